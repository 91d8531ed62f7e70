/**
 * The libipc tasks and ports inside the topology's SVG (placed by portLayout.ts): each port a
 * queue node with its fill at the time cursor as a bar of slots ("key_manager_port 3/4"), each
 * task a node, edges task → port and port → task labelled with what went along them so far.
 * A task waiting on its port is tinted by what it waits for (a slot: amber; a message: dimmed;
 * a proto response: blue); failures show as a red badge with their count. Tasks and ports are
 * clickable and join the shared selection.
 */
import { onActivate } from './activate';
import type { ActivityCount } from '../../debug/portActivity';
import type { DerivedState } from '../../debug/derive';
import type { Selection } from '../../store/selectionSlice';
import type { PlacedNode, RoutedEdge } from './portLayout';
import type { PortTopology, TopoTask } from './portTopology';

/** Width of a 10 px monospace character in SVG units, for cutting names to fit. */
const CHAR = 6.1;
/** Slots drawn one by one up to this depth; a deeper queue is one continuous bar. */
const MAX_CELLS = 16;

const WORDS: Record<ActivityCount, string> = {
  sent: 'sent',
  received: 'received',
  routed: 'routed',
  problems: 'failed',
};

const WAITING: Record<'send' | 'recv' | 'response', string> = {
  send: 'blocked: queue full',
  recv: 'waits for a message',
  response: 'waits for the response',
};

/** `text` cut with an ellipsis to at most `width` units of 10 px monospace. */
export function fitText(text: string, width: number): string {
  const max = Math.max(1, Math.floor(width / CHAR));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function Badge({ x, y, count, label }: { x: number; y: number; count: number; label: string }) {
  if (count <= 0) return null;
  return (
    <g className="topo-badge" aria-label={label}>
      <circle cx={x} cy={y} r={7} />
      <text x={x} y={y + 3.5} textAnchor="middle">
        {count > 99 ? '99+' : count}
      </text>
    </g>
  );
}

export interface PortsLayerProps {
  readonly topology: PortTopology;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly RoutedEdge[];
  readonly derived: DerivedState | null;
  /** What `task` did so far (at the time cursor). */
  readonly count: (task: string, what: ActivityCount) => number;
  readonly selection: Selection | null;
  readonly select: (selection: Selection) => void;
}

export function PortsLayer({ topology, nodes, edges, derived, count, selection, select }: PortsLayerProps) {
  const tasks = new Map(topology.tasks.map((t) => [t.name, t]));
  const ports = new Map(topology.ports.map((p) => [p.name, p]));
  const waitingOf = (t: TopoTask) => (t.port === null ? undefined : derived?.ports.get(t.port)?.waiting.get(t.name));
  const isSelected = (kind: 'task' | 'port', name: string) =>
    selection !== null && selection.kind === kind && selection.name === name;

  return (
    <g className="topo-ports">
      {edges.map(({ edge, d, label }) => {
        const t = tasks.get(edge.task);
        const waiting = t ? waitingOf(t) : undefined;
        const n = count(edge.task, edge.count);
        return (
          <g
            key={`${edge.task}>${edge.port}`}
            className={`topo-port-edge ${edge.direction}${waiting ? ` waiting-${waiting}` : ''}`}
            data-edge={`${edge.task} ${edge.direction === 'in' ? '→' : '←'} ${edge.port}`}
            data-count={n}
          >
            <path d={d} markerEnd="url(#topo-port-arrow)" />
            {label && (
              <text x={label.x} y={label.y} className="topo-port-count">
                {n} {WORDS[edge.count]}
              </text>
            )}
          </g>
        );
      })}
      {nodes.map((node) => {
        if (node.kind === 'port') {
          const spec = ports.get(node.name);
          const state = derived?.ports.get(node.name);
          const depth = state && state.depth > 0 ? state.depth : (spec?.depth ?? 0);
          const fill = state?.items.length ?? 0;
          const failures = state?.failures ?? 0;
          const full = depth > 0 && fill >= depth;
          const barX = node.x + 8;
          const barW = node.w - 16;
          const barY = node.y + 19;
          const cells = depth > 0 && depth <= MAX_CELLS ? depth : 0;
          const cellW = cells > 0 ? barW / cells : 0;
          const fillText = `${fill}/${depth}`;
          // Declared by a definition, but no task of the scenario sends to it or receives from it.
          const unused = !topology.edges.some((e) => e.port === node.name);
          return (
            <g
              key={`port:${node.name}`}
              className={`topo-port${isSelected('port', node.name) ? ' selected' : ''}${full ? ' full' : ''}${unused ? ' unused' : ''}`}
              role="button"
              tabIndex={0}
              aria-label={`Port ${node.name}: ${unused ? 'no task uses it, ' : ''}${fill} of ${depth} queued, ${state?.sent ?? 0} sent, ${state?.received ?? 0} received${failures > 0 ? `, ${failures} failed` : ''}`}
              data-port={node.name}
              data-fill={fill}
              data-depth={depth}
              onClick={() => select({ kind: 'port', name: node.name })}
              onKeyDown={onActivate(() => select({ kind: 'port', name: node.name }))}
            >
              <rect x={node.x} y={node.y} width={node.w} height={node.h} rx={4} className="topo-port-box" />
              <text x={node.x + 8} y={node.y + 13} className="topo-port-name">
                {fitText(node.name, node.w - 24 - fillText.length * CHAR)}
              </text>
              <text x={node.x + node.w - 8} y={node.y + 13} textAnchor="end" className="topo-port-fill">
                {fillText}
              </text>
              {cells > 0 ? (
                Array.from({ length: cells }, (_, k) => (
                  <rect
                    key={k}
                    x={barX + k * cellW + 0.5}
                    y={barY}
                    width={Math.max(1, cellW - 1.5)}
                    height={7}
                    className={k < fill ? 'topo-slot used' : 'topo-slot'}
                  />
                ))
              ) : (
                <>
                  <rect x={barX} y={barY} width={barW} height={7} className="topo-slot" />
                  <rect
                    x={barX}
                    y={barY}
                    width={depth > 0 ? (barW * Math.min(fill, depth)) / depth : 0}
                    height={7}
                    className="topo-slot used"
                  />
                </>
              )}
              <Badge
                x={node.x + node.w - 2}
                y={node.y + 1}
                count={failures}
                label={`${failures} failed on ${node.name}`}
              />
            </g>
          );
        }
        const t = tasks.get(node.name);
        if (!t) return null;
        const waiting = waitingOf(t);
        const problems = count(t.name, 'problems');
        const role =
          t.role === 'proto-client' ? `proto client of ${t.via}` : t.role === 'sender' ? `sends ${t.via}` : 'receiver';
        // A remote task's edge has no room for a label: the node says where it goes and the count.
        const edge = topology.edges.find((e) => e.task === t.name);
        const portDomain = t.port === null ? undefined : ports.get(t.port)?.domain;
        const text = node.remote ? `${t.name} ${edge?.direction === 'out' ? '←' : '→'} ${t.port ?? '?'}` : t.name;
        const second = !node.remote
          ? null
          : edge
            ? `${count(t.name, edge.count)} ${WORDS[edge.count]} · port on ${portDomain ?? '?'}`
            : `${t.via} is routed to no port`;
        return (
          <g
            key={`task:${node.name}`}
            className={`topo-task${waiting ? ` waiting-${waiting}` : ''}${isSelected('task', node.name) ? ' selected' : ''}`}
            role="button"
            tabIndex={0}
            aria-label={`Task ${t.name} (${role}${t.port === null ? '' : `, ${t.port}`}): ${waiting ? WAITING[waiting] : 'running or ready'}${problems > 0 ? `, ${problems} failed` : ''}`}
            data-task={t.name}
            data-waiting={waiting ?? ''}
            onClick={() => select({ kind: 'task', name: t.name })}
            onKeyDown={onActivate(() => select({ kind: 'task', name: t.name }))}
          >
            <title>{`${t.name}: ${role}${waiting ? ` · ${WAITING[waiting]}` : ''}`}</title>
            <rect
              x={node.x}
              y={node.y}
              width={node.w}
              height={node.h}
              rx={Math.min(10, node.h / 2)}
              className="topo-task-box"
            />
            <text x={node.x + node.w / 2} y={node.y + 13.5} textAnchor="middle" className="topo-task-name">
              {fitText(text, node.w - 12)}
            </text>
            {second !== null && (
              <text x={node.x + node.w / 2} y={node.y + 25} textAnchor="middle" className="topo-port-count">
                {fitText(second, node.w - 12)}
              </text>
            )}
            <Badge x={node.x + node.w - 2} y={node.y + 1} count={problems} label={`${problems} failed in ${t.name}`} />
          </g>
        );
      })}
    </g>
  );
}
