/**
 * Per-pixel aggregation for the timeline canvas: for each lane and each pixel column at most one
 * mark, the most important event in it (problem > transition > message > other), so the cost of a
 * frame is one pass over the visible index range plus one pass over the pixels, whatever the
 * number of events.
 *
 * Cell layout: `cell = (layer * lanes + lane) * columns + column`. Layer 0 holds the events that
 * have happened (index < `split`), layer 1 the recorded future (index ≥ `split`), so the renderer
 * can draw the future dimmed under the past. `rank[cell]` is 0 when empty, else the winning
 * priority + 1; `index[cell]` is the table index of the first event with that priority.
 */
import { KINDS, type TraceKind } from '../../../core';
import { TraceFlag } from '../../trace/TraceTable';

/** Mark priorities; higher wins a pixel. The categories, in order: other < message < transition < problem. */
export const Priority = {
  decision: 0,
  activity: 1,
  api: 2,
  doorbell: 3,
  callback: 4,
  message: 5,
  transition: 6,
  problem: 7,
  lost: 8,
  anomaly: 9,
  assert: 10,
  gap: 11,
} as const;

export type Category = 'problem' | 'transition' | 'message' | 'other';

export function categoryOf(priority: number): Category {
  if (priority >= Priority.problem) return 'problem';
  if (priority === Priority.transition) return 'transition';
  if (priority === Priority.message) return 'message';
  return 'other';
}

const NORMAL: Record<TraceKind, number> = {
  decision: Priority.decision,
  api: Priority.api,
  transition: Priority.transition,
  'packet-written': Priority.message,
  'packet-read': Priority.message,
  'packet-dropped': Priority.message,
  blocks: Priority.activity,
  port: Priority.message,
  channel: Priority.message,
  pool: Priority.activity,
  fault: Priority.lost,
  violation: Priority.anomaly,
  'doorbell-rung': Priority.doorbell,
  'doorbell-delivered': Priority.doorbell,
  'doorbell-lost': Priority.lost,
  callback: Priority.callback,
  anomaly: Priority.anomaly,
  assert: Priority.assert,
  work: Priority.activity,
  task: Priority.activity,
  'memory-fault': Priority.lost,
  note: Priority.activity,
  domain: Priority.activity,
  'trace-gap': Priority.gap,
};

/** Problem events: at least `Priority.problem`, the specific kinds above the generic ones. */
const PROBLEM: Record<TraceKind, number> = {
  ...NORMAL,
  decision: Priority.problem,
  api: Priority.problem,
  transition: Priority.problem,
  'packet-written': Priority.problem,
  'packet-read': Priority.problem,
  'packet-dropped': Priority.problem,
  'doorbell-rung': Priority.problem,
  'doorbell-delivered': Priority.problem,
  callback: Priority.problem,
  // A libipc failure (a send timeout, a stale or lost proto response, a reset) outranks the
  // message it belongs to, so it takes the problem colour rather than the message's.
  port: Priority.problem,
  pool: Priority.problem,
  work: Priority.problem,
  task: Priority.problem,
  note: Priority.problem,
  domain: Priority.problem,
};

const table = (source: Record<TraceKind, number>, floor = 0): Uint8Array => {
  const out = new Uint8Array(256).fill(Math.max(Priority.activity, floor));
  KINDS.forEach((kind, i) => (out[i] = Math.max(source[kind], floor)));
  return out;
};
/** By kind column value: plain events, events carrying a message id, problem events. */
const BY_KIND = table(NORMAL);
const BY_KIND_WITH_MESSAGE = table(NORMAL, Priority.message);
const BY_KIND_PROBLEM = table(PROBLEM);

/** The priority of one event from its columns. */
export function priorityOf(kind: number, flags: number, msgId: number): number {
  if ((flags & TraceFlag.problem) !== 0) return BY_KIND_PROBLEM[kind] ?? Priority.problem;
  // A message id (a send call, a received() callback) makes the event part of a message.
  if (msgId === msgId) return BY_KIND_WITH_MESSAGE[kind] ?? Priority.message;
  return BY_KIND[kind] ?? Priority.activity;
}

/** The columns aggregation reads (a TraceTable has them all). */
export interface Columns {
  readonly t: Float64Array;
  readonly lane: Uint16Array;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly msgId: Float64Array;
}

export interface AggregateRequest {
  /** Index range to scan, [from, to). */
  readonly from: number;
  readonly to: number;
  /** Events at index ≥ split are the recorded future (layer 1). */
  readonly split: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly columns: number;
  readonly lanes: number;
  /** At most this many send/receive indices are kept for arrows (all are counted). */
  readonly arrowCap: number;
}

export interface Aggregation {
  readonly columns: number;
  readonly lanes: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly rank: Uint8Array;
  readonly index: Int32Array;
  /** Visible send/receive events in index order, the first `min(ends, arrowCap)` of them. */
  readonly arrowEnds: Int32Array;
  /** Visible send/receive events in all. */
  readonly ends: number;
  /** Events that fell inside the window. */
  readonly visible: number;
}

/** Reusable buffers: a frame allocates nothing when the size has not changed. */
export class AggregateBuffers {
  rank = new Uint8Array(0);
  index = new Int32Array(0);
  arrowEnds = new Int32Array(0);

  ensure(cells: number, arrows: number): void {
    if (this.rank.length < cells) {
      this.rank = new Uint8Array(cells);
      this.index = new Int32Array(cells);
    }
    if (this.arrowEnds.length < arrows) this.arrowEnds = new Int32Array(arrows);
  }
}

export function aggregate(columns: Columns, request: AggregateRequest, buffers = new AggregateBuffers()): Aggregation {
  const { from, to, split, startNs, endNs, lanes, arrowCap } = request;
  const width = Math.max(1, Math.floor(request.columns));
  const cells = 2 * lanes * width;
  buffers.ensure(cells, arrowCap);
  const rank = buffers.rank.subarray(0, cells);
  const index = buffers.index.subarray(0, cells);
  const arrowEnds = buffers.arrowEnds.subarray(0, arrowCap);
  rank.fill(0);
  const { t, lane, kind, flags, msgId } = columns;
  const scale = endNs > startNs ? width / (endNs - startNs) : 0;
  const futureBase = lanes * width;
  const endBits = TraceFlag.send | TraceFlag.receive;
  let ends = 0;
  let visible = 0;
  const last = Math.min(to, t.length);
  for (let i = Math.max(0, from); i < last; i++) {
    const ti = t[i] ?? 0;
    if (ti < startNs || ti >= endNs) continue;
    const l = lane[i] ?? 0;
    if (l >= lanes) continue;
    visible += 1;
    const f = flags[i] ?? 0;
    const p = priorityOf(kind[i] ?? 0, f, msgId[i] ?? NaN) + 1;
    const cell = (i < split ? 0 : futureBase) + l * width + Math.floor((ti - startNs) * scale);
    if (p > (rank[cell] ?? 0)) {
      rank[cell] = p;
      index[cell] = i;
    }
    if ((f & endBits) !== 0) {
      if (ends < arrowCap) arrowEnds[ends] = i;
      ends += 1;
    }
  }
  return {
    columns: width,
    lanes,
    startNs,
    endNs,
    rank,
    index,
    arrowEnds: arrowEnds.subarray(0, Math.min(ends, arrowCap)),
    ends,
    visible,
  };
}

/** The cell of a lane, column and layer. */
export const cellOf = (agg: Aggregation, layer: 0 | 1, lane: number, column: number): number =>
  (layer * agg.lanes + lane) * agg.columns + column;

/**
 * The event nearest to `column` in `lane` within `radius` columns (past layer first), or -1.
 * Ties go to the more important mark.
 */
export function pickCell(agg: Aggregation, lane: number, column: number, radius: number): number {
  if (lane < 0 || lane >= agg.lanes) return -1;
  let best = -1;
  let bestDistance = Infinity;
  let bestRank = 0;
  for (let d = -radius; d <= radius; d++) {
    const c = Math.round(column) + d;
    if (c < 0 || c >= agg.columns) continue;
    for (const layer of [0, 1] as const) {
      const cell = cellOf(agg, layer, lane, c);
      const r = agg.rank[cell] ?? 0;
      if (r === 0) continue;
      const distance = Math.abs(d) + layer * 0.5;
      if (distance < bestDistance || (distance === bestDistance && r > bestRank)) {
        best = agg.index[cell] ?? -1;
        bestDistance = distance;
        bestRank = r;
      }
    }
  }
  return best;
}
