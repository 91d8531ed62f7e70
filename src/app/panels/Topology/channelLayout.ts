/**
 * Where the synchronous-channel part of the topology goes inside a domain box, read top to
 * bottom as a call goes (clients over the channels they call, servers under the channels they
 * receive on):
 *
 *     [c1 pri 3]   [c2 pri 3]       rank 0: tasks that only send or call
 *        │            │
 *     <chan_a>     <chan_b>         rank 1: the channels, and notifiers (they post straight to a task)
 *        │      ╳     │             a server calling a channel while handling: an edge up to it
 *     [a pri 2]    [b pri 2]        rank 2: tasks that receive (on a channel, or notification bits)
 *     [hog pri 2]                   rank 3: tasks linked to nothing
 *
 * Every rank is one or more rows of at most two nodes; all nodes are one height, so the band
 * between two rows (a corridor) and the strips left and right of the nodes (gutters) hold no
 * node. An edge between adjacent rows is one straight segment across the corridor between them,
 * and so is one across rows whose nodes all stand clear of its ends' columns. Any other edge
 * (skipping rows, or within a row — a REPLY-BLOCKED client's wait drawn back from its server two
 * rows down) leaves its node into the neighbouring corridor, runs to the nearer gutter (or the
 * gap between the columns, where no node of the rows it passes is centred), along it, and back
 * in through the corridor next to its target. So no edge crosses a node. Coordinates are the
 * topology's SVG units.
 */
import type { Box } from './portLayout';
import { type ChannelTopology, channelId, type NodeId, taskId } from './channelTopology';

export const CH_SECTION_HEAD = 16;
/** Tasks and channels alike: three lines (name; priority and role; state). */
export const CH_NODE_H = 40;
/** The corridor between two rows: room for an edge and its label. */
export const CH_ROW_GAP = 34;
/** Left and right of the nodes, for edges that go round. */
export const CH_GUTTER = 12;
const COLUMN_GAP = 12;
const PER_ROW = 2;
/** Before the row of tasks linked to nothing (no edge crosses it). */
const UNLINKED_GAP = 12;
/** Under the last row: room for an edge that goes round below it. */
const TAIL = 12;
/** Apart from each other, edges going round in one gutter. */
const LANE = 3;

export interface ChanPlaced extends Box {
  readonly kind: 'task' | 'channel';
  readonly name: string;
  readonly id: NodeId;
  /** Row index in the section, top first. */
  readonly row: number;
  /** 0 callers, 1 channels and notifiers, 2 receivers, 3 linked to nothing. */
  readonly rank: 0 | 1 | 2 | 3;
}

export interface ChannelSection {
  /** Height taken in its box (0 when the domain has no channel tasks and no channels). */
  readonly height: number;
  readonly nodes: readonly ChanPlaced[];
  /** Each row's top and bottom. */
  readonly rows: readonly { readonly top: number; readonly bottom: number }[];
  /** The section's extent, gutters included. */
  readonly left: number;
  readonly width: number;
}

const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? Number.POSITIVE_INFINITY : xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sorted by `key`, ties (and keyless nodes, last) in their given order. */
export const sortBy = <T>(xs: readonly T[], key: (x: T) => number): T[] =>
  xs
    .map((x, i) => ({ x, i, k: key(x) }))
    .sort((a, b) => (a.k === b.k ? a.i - b.i : a.k < b.k ? -1 : 1))
    .map((e) => e.x);

/** The section of `domain`, starting at `top`, `width` wide from `left`. */
export function layoutChannelSection(
  topology: ChannelTopology,
  domain: string,
  left: number,
  width: number,
  top: number,
): ChannelSection {
  const tasks = topology.tasks.filter((t) => t.domain === domain);
  const channels = topology.channels.filter((c) => c.domain === domain);
  if (tasks.length === 0 && channels.length === 0) return { height: 0, nodes: [], rows: [], left, width };
  const edges = topology.edges;
  const chIndex = new Map(channels.map((c, i) => [c.name, i]));
  const rankOf = (name: string): 0 | 1 | 2 | 3 => {
    const id = taskId(name);
    if (edges.some((e) => e.to === id)) return 2;
    if (edges.some((e) => e.from === id && e.kind !== 'post')) return 0;
    if (edges.some((e) => e.from === id)) return 1;
    return 3;
  };
  // Ordered under (or over) the channels they use, so most edges run straight down.
  const channelsOf = (name: string, kinds: readonly string[]) =>
    edges.flatMap((e) =>
      e.task === name && kinds.includes(e.kind) && e.channel !== null ? [chIndex.get(e.channel) ?? Infinity] : [],
    );
  const byRank = (r: number) => tasks.filter((t) => rankOf(t.name) === r).map((t) => t.name);
  const callers = sortBy(byRank(0), (n) => mean(channelsOf(n, ['call', 'send'])));
  const receivers = sortBy(byRank(2), (n) => mean(channelsOf(n, ['receive'])));
  const targetOf = (n: string) => {
    const to = edges.find((e) => e.task === n && e.kind === 'post')?.to;
    const i = receivers.findIndex((r) => taskId(r) === to);
    return i < 0 ? Infinity : i;
  };
  const notifiers = sortBy(byRank(1), targetOf);
  const ranks: { rank: 0 | 1 | 2 | 3; items: { kind: 'task' | 'channel'; name: string }[] }[] = [
    { rank: 0, items: callers.map((name) => ({ kind: 'task', name })) },
    {
      rank: 1,
      items: [
        ...channels.map((c) => ({ kind: 'channel' as const, name: c.name })),
        ...notifiers.map((name) => ({ kind: 'task' as const, name })),
      ],
    },
    { rank: 2, items: receivers.map((name) => ({ kind: 'task', name })) },
    { rank: 3, items: byRank(3).map((name) => ({ kind: 'task', name })) },
  ];

  const innerLeft = left + CH_GUTTER;
  const innerWidth = width - 2 * CH_GUTTER;
  const columnWidth = (innerWidth - COLUMN_GAP * (PER_ROW - 1)) / PER_ROW;
  const nodes: ChanPlaced[] = [];
  const rows: { top: number; bottom: number }[] = [];
  let y = top + CH_SECTION_HEAD;
  for (const { rank, items } of ranks) {
    for (let start = 0; start < items.length; start += PER_ROW) {
      const row = items.slice(start, start + PER_ROW);
      if (rows.length > 0) y += rank === 3 ? UNLINKED_GAP : CH_ROW_GAP;
      // A node alone in its rank is centred, a little wider (its name has the room); the last of
      // several keeps to the left column, leaving the gap between the columns free for edges.
      const alone = items.length === 1;
      row.forEach((item, k) => {
        const w = alone ? Math.min(innerWidth, columnWidth * 1.25) : columnWidth;
        const x = alone ? innerLeft + (innerWidth - w) / 2 : innerLeft + k * (columnWidth + COLUMN_GAP);
        const id = item.kind === 'task' ? taskId(item.name) : channelId(item.name);
        nodes.push({ kind: item.kind, name: item.name, id, x, y, w, h: CH_NODE_H, row: rows.length, rank });
      });
      rows.push({ top: y, bottom: y + CH_NODE_H });
      y += CH_NODE_H;
    }
  }
  return { height: y + TAIL - top, nodes, rows, left, width };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface RouteRequest {
  readonly id: string;
  readonly from: NodeId;
  readonly to: NodeId;
}

export interface RoutedChanEdge {
  readonly id: string;
  /** The polyline, source first; its last segment enters the target. */
  readonly points: readonly Point[];
  /** SVG path (corners of a detour rounded). */
  readonly d: string;
  /** One straight segment between adjacent rows, or round through a gutter. */
  readonly straight: boolean;
}

type Side = 'top' | 'bottom';

interface Plan {
  readonly req: RouteRequest;
  readonly src: ChanPlaced;
  readonly dst: ChanPlaced;
  readonly srcSide: Side;
  readonly dstSide: Side;
  /** Detours: the x of its vertical run (in a gutter, or between the columns). */
  readonly lane: number | null;
  /** Detours: how far from its ends' nodes its horizontal runs go. */
  readonly depth: number;
}

/** A polyline with corners rounded by up to `r`. */
function roundedPath(points: readonly Point[], r: number): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${first.x},${first.y}`;
  rest.forEach((p, i) => {
    const prev = points[i] ?? first;
    const next = rest[i + 1];
    if (!next) {
      d += ` L${p.x},${p.y}`;
      return;
    }
    const cut = (a: Point, b: Point, len: number): Point => {
      const dist = Math.hypot(b.x - a.x, b.y - a.y);
      const k = dist === 0 ? 0 : Math.min(len, dist / 2) / dist;
      return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
    };
    const a = cut(p, prev, r);
    const b = cut(p, next, r);
    d += ` L${a.x},${a.y} Q${p.x},${p.y} ${b.x},${b.y}`;
  });
  return d;
}

/**
 * The edges' polylines between placed nodes (an edge whose ends were not both placed is left out).
 * The ends on one side of a node are spread along it in the order of where they go, so edges
 * leave side by side instead of on top of each other.
 */
export function routeChannelEdges(section: ChannelSection, requests: readonly RouteRequest[]): RoutedChanEdge[] {
  const at = new Map(section.nodes.map((n) => [n.id, n]));
  const lastRow = section.rows.length - 1;
  const leftGutter = section.left + CH_GUTTER;
  const rightGutter = section.left + section.width - CH_GUTTER;
  const centre = section.left + section.width / 2;
  const cx = (n: Box) => n.x + n.w / 2;
  const plans: Plan[] = [];
  // Vertical runs go in the gutters, or between the columns where no node of the rows they pass
  // is centred; runs sharing one are kept LANE apart.
  const used = { left: 0, middle: 0, right: 0 };
  // The gap between the columns holds three runs (at its middle and LANE either side).
  const middleFree = (from: number, to: number) =>
    used.middle < 3 &&
    !section.nodes.some((n) => n.row > from && n.row < to && n.x < centre + 2 * LANE && n.x + n.w > centre - 2 * LANE);
  const laneX = (where: 'left' | 'middle' | 'right', k: number) =>
    where === 'left'
      ? leftGutter - 4 - k * LANE
      : where === 'right'
        ? rightGutter + 4 + k * LANE
        : centre + (k % 2 === 0 ? 1 : -1) * Math.ceil(k / 2) * LANE;
  for (const req of requests) {
    const src = at.get(req.from);
    const dst = at.get(req.to);
    if (!src || !dst) continue;
    const step = dst.row - src.row;
    const [srcSide, dstSide]: [Side, Side] =
      step > 0
        ? ['bottom', 'top']
        : step < 0
          ? ['top', 'bottom']
          : src.row < lastRow || src.row === 0
            ? ['bottom', 'bottom']
            : ['top', 'top'];
    // Straight across the rows between when none of their nodes stands between the two ends'
    // columns (an end's port stays within its node, so the segment stays within them).
    const lo = Math.min(src.x, dst.x);
    const hi = Math.max(src.x + src.w, dst.x + dst.w);
    const between = (n: ChanPlaced) => n.row > Math.min(src.row, dst.row) && n.row < Math.max(src.row, dst.row);
    if (step !== 0 && !section.nodes.some((n) => between(n) && n.x < hi && n.x + n.w > lo)) {
      plans.push({ req, src, dst, srcSide, dstSide, lane: null, depth: 0 });
      continue;
    }
    const options: ('left' | 'middle' | 'right')[] = [
      'left',
      'right',
      ...(middleFree(Math.min(src.row, dst.row), Math.max(src.row, dst.row)) ? ['middle' as const] : []),
    ];
    const cost = (where: 'left' | 'middle' | 'right') => {
      const x = laneX(where, used[where]);
      return Math.abs(x - cx(src)) + Math.abs(x - cx(dst));
    };
    const where = sortBy(options, cost)[0] ?? 'left';
    const k = used[where]++;
    plans.push({ req, src, dst, srcSide, dstSide, lane: laneX(where, k), depth: 10 + k * LANE });
  }
  // Spread each node side's ends by where their edge goes next.
  const ends = new Map<string, { plan: Plan; end: 'src' | 'dst'; key: number }[]>();
  for (const plan of plans) {
    const toward = (other: ChanPlaced) => plan.lane ?? cx(other);
    for (const [end, node, side, other] of [
      ['src', plan.src, plan.srcSide, plan.dst],
      ['dst', plan.dst, plan.dstSide, plan.src],
    ] as const) {
      const k = `${node.id}|${side}`;
      ends.set(k, [...(ends.get(k) ?? []), { plan, end, key: toward(other) }]);
    }
  }
  const portX = new Map<string, number>();
  for (const [k, list] of ends) {
    const node = at.get(k.slice(0, k.lastIndexOf('|')) as NodeId);
    if (!node) continue;
    sortBy(list, (e) => e.key).forEach((e, i) =>
      portX.set(`${e.plan.req.id}|${e.end}`, node.x + (node.w * (i + 1)) / (list.length + 1)),
    );
  }
  return plans.map((plan) => {
    const { req, src, dst, srcSide, dstSide, lane, depth } = plan;
    const yOf = (n: ChanPlaced, side: Side) => (side === 'top' ? n.y : n.y + n.h);
    const a = { x: portX.get(`${req.id}|src`) ?? cx(src), y: yOf(src, srcSide) };
    const b = { x: portX.get(`${req.id}|dst`) ?? cx(dst), y: yOf(dst, dstSide) };
    if (lane === null) return { id: req.id, points: [a, b], d: `M${a.x},${a.y} L${b.x},${b.y}`, straight: true };
    const y1 = srcSide === 'top' ? a.y - depth : a.y + depth;
    const y2 = dstSide === 'top' ? b.y - depth : b.y + depth;
    const points = [a, { x: a.x, y: y1 }, { x: lane, y: y1 }, { x: lane, y: y2 }, { x: b.x, y: y2 }, b];
    return { id: req.id, points, d: roundedPath(points, 4), straight: false };
  });
}
