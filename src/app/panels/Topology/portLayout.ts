/**
 * Where the libipc part of the topology goes inside a domain box: one group per port that lives
 * in the domain, read top to bottom as the data flows,
 *
 *     [refresh_task] [nfc_task]        senders and proto clients of the port, two per row
 *          │ 3 sent     │ 2 routed
 *          ▼            ▼
 *     [key_manager_port ▮▮▮▯ 3/4]      the queue
 *          │ 5 received
 *          ▼
 *     [key_manager_task]               its receiver
 *
 * then the domain's tasks whose port lives in another domain ("remote" tasks, one per row, full
 * width for their "task → port" label: their edge leaves the box through the right-hand gutter).
 * Coordinates are the topology's SVG units.
 */
import type { PortTopology, TopoEdge } from './portTopology';

export const SECTION_HEAD = 16;
export const TASK_H = 20;
/** A remote task: two lines, "task → port" and what went along the edge. */
export const REMOTE_H = 30;
export const PORT_H = 32;
/** Vertical room for an edge and its label between a row of tasks and a port. */
export const EDGE_GAP = 28;
const ROW_GAP = 6;
const COLUMN_GAP = 10;
const GROUP_GAP = 12;
const PER_ROW = 2;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PlacedNode extends Box {
  readonly kind: 'task' | 'port';
  readonly name: string;
  /** A task whose port lives in another domain (or nowhere). */
  readonly remote: boolean;
}

export interface PortSection {
  /** Height the section takes in its box (0 when the domain has no tasks and no ports). */
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
}

/** Places `names` in rows of `perRow` from `y`; returns the y under the last row. */
function placeRows(
  names: readonly string[],
  left: number,
  width: number,
  y: number,
  remote: boolean,
  out: PlacedNode[],
): number {
  const perRow = remote ? 1 : PER_ROW;
  const h = remote ? REMOTE_H : TASK_H;
  const w = (width - COLUMN_GAP * (perRow - 1)) / perRow;
  names.forEach((name, k) => {
    const row = Math.floor(k / perRow);
    const column = k % perRow;
    // A row holding one of several tasks centres it under (or over) the port, wider: its name has the room.
    const alone = perRow > 1 && k === names.length - 1 && column === 0;
    const own = alone ? Math.min(width, w * 1.3) : w;
    const x = alone ? left + (width - own) / 2 : left + column * (w + COLUMN_GAP);
    out.push({ kind: 'task', name, x, y: y + row * (h + ROW_GAP), w: own, h, remote });
  });
  const rows = Math.ceil(names.length / perRow);
  return rows === 0 ? y : y + rows * (h + ROW_GAP) - ROW_GAP;
}

/** The section of `domain`, starting at `top`, `width` wide from `left`. */
export function layoutPortSection(
  topology: PortTopology,
  domain: string,
  left: number,
  width: number,
  top: number,
): PortSection {
  const nodes: PlacedNode[] = [];
  const ports = topology.ports.filter((p) => p.domain === domain);
  const homed = new Set<string>();
  let y = top + SECTION_HEAD;
  for (const port of ports) {
    const here = topology.tasks.filter((t) => t.domain === domain && t.port === port.name);
    const senders = here.filter((t) => t.role !== 'receiver').map((t) => t.name);
    const receivers = here.filter((t) => t.role === 'receiver').map((t) => t.name);
    for (const t of here) homed.add(t.name);
    if (senders.length > 0) y = placeRows(senders, left, width, y, false, nodes) + EDGE_GAP;
    nodes.push({ kind: 'port', name: port.name, x: left, y, w: width, h: PORT_H, remote: false });
    y += PORT_H;
    if (receivers.length > 0) y = placeRows(receivers, left, width, y + EDGE_GAP, false, nodes);
    y += GROUP_GAP;
  }
  const remote = topology.tasks.filter((t) => t.domain === domain && !homed.has(t.name)).map((t) => t.name);
  if (remote.length > 0) y = placeRows(remote, left, width, y, true, nodes) + GROUP_GAP;
  if (nodes.length === 0) return { height: 0, nodes };
  return { height: y - GROUP_GAP - top, nodes };
}

export interface RoutedEdge {
  readonly edge: TopoEdge;
  /** SVG path from the edge's source to its target. */
  readonly d: string;
  /** Where its count label goes (text starts there), or null when it has no room (a remote edge). */
  readonly label: { readonly x: number; readonly y: number } | null;
}

/**
 * The edges' paths between placed nodes: straight down between a task and its port in the same
 * group; for a remote task, a curve out of the box's right side at `gutter` and back in at the
 * port. An edge whose task or port was not placed is left out.
 */
export function routeEdges(topology: PortTopology, nodes: readonly PlacedNode[], gutter: number): RoutedEdge[] {
  const task = new Map(nodes.filter((n) => n.kind === 'task').map((n) => [n.name, n]));
  const port = new Map(nodes.filter((n) => n.kind === 'port').map((n) => [n.name, n]));
  const out: RoutedEdge[] = [];
  for (const edge of topology.edges) {
    const t = task.get(edge.task);
    const p = port.get(edge.port);
    if (!t || !p) continue;
    const cx = t.x + t.w / 2;
    if (t.remote) {
      const [from, to] =
        edge.direction === 'in'
          ? [
              { x: t.x + t.w, y: t.y + t.h / 2 },
              { x: p.x + p.w, y: p.y + p.h / 2 },
            ]
          : [
              { x: p.x + p.w, y: p.y + p.h / 2 },
              { x: t.x + t.w, y: t.y + t.h / 2 },
            ];
      out.push({
        edge,
        d: `M${from.x},${from.y} C${gutter},${from.y} ${gutter},${to.y} ${to.x},${to.y}`,
        label: null,
      });
      continue;
    }
    const [y1, y2] = edge.direction === 'in' ? [t.y + t.h, p.y] : [p.y + p.h, t.y];
    out.push({ edge, d: `M${cx},${y1} L${cx},${y2}`, label: { x: cx + 5, y: (y1 + y2) / 2 + 3 } });
  }
  return out;
}
