/**
 * Message arrows: each message the window touches becomes one arrow from its packet-written event
 * (the sender's lane) to the packet-read event with the same msgId (the receiver's lane). An arrow
 * whose other end is outside the window is still listed (the renderer clips it and draws a stub at
 * the edge); a send never read has `receive = −1`.
 *
 * Both ends in one lane (a libipc message between two tasks of one core: every task shares its
 * domain's task lane) would make a flat line through the lane's own marks, so such an arrow is
 * drawn as an arc above the lane: a quadratic curve whose control point is `2 × lift` above the
 * ends (its peak is `lift` above them).
 */
import { TraceFlag } from '../../trace/TraceTable';
import type { MessageEnds } from './traceIndex';

export interface Arrow {
  readonly msgId: number;
  /** Table index of the send (packet-written), −1 when it is not held (evicted). */
  readonly send: number;
  /** Table index of the receive (packet-read), −1 when it has not happened (or is not held). */
  readonly receive: number;
}

export interface ArrowColumns {
  readonly flags: Uint8Array;
  readonly msgId: Float64Array;
}

/**
 * The arrows for the visible send/receive events `ends` (table indices in order), each message
 * once, in order of first appearance; `lookup` finds the other end of a message.
 */
export function pairArrows(
  ends: ArrayLike<number>,
  columns: ArrowColumns,
  lookup: (msgId: number) => MessageEnds,
): Arrow[] {
  const seen = new Set<number>();
  const arrows: Arrow[] = [];
  for (let k = 0; k < ends.length; k++) {
    const i = ends[k] ?? -1;
    const id = columns.msgId[i] ?? NaN;
    if (id !== id || seen.has(id)) continue;
    seen.add(id);
    const f = columns.flags[i] ?? 0;
    const other = lookup(id);
    if ((f & TraceFlag.send) !== 0) arrows.push({ msgId: id, send: i, receive: other.receive });
    else arrows.push({ msgId: id, send: other.send, receive: i });
  }
  return arrows;
}

/** A segment clipped to [left, right] in x; null when it lies wholly outside. */
export interface Clipped {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** The start (send) was cut at the left or right edge. */
  readonly startClipped: boolean;
  /** The end (receive) was cut. */
  readonly endClipped: boolean;
}

export function clipSegment(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  left: number,
  right: number,
): Clipped | null {
  if ((x1 < left && x2 < left) || (x1 > right && x2 > right)) return null;
  const cx1 = Math.min(right, Math.max(left, x1));
  const cx2 = Math.min(right, Math.max(left, x2));
  // A vertical segment (both ends at one time: a channel send switching straight to its
  // receiver) is inside the edges whole, and keeps both its ends.
  const at = (x: number, y: number) => (x2 === x1 ? y : y1 + ((y2 - y1) * (x - x1)) / (x2 - x1));
  return {
    x1: cx1,
    y1: at(cx1, y1),
    x2: cx2,
    y2: at(cx2, y2),
    startClipped: cx1 !== x1,
    endClipped: cx2 !== x2,
  };
}

/** Peak height of the arc between two events `dx` apart in a lane `rowHeight` tall: above the marks, at most about half a lane. */
export function arcLift(dx: number, rowHeight: number): number {
  return Math.min(rowHeight * 0.55, Math.max(5, Math.abs(dx) * 0.35));
}

/** The point at `u` ∈ [0, 1] of the arc from (x1, y1) to (x2, y2) peaking `lift` above them. */
export function arcPoint(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  lift: number,
  u: number,
): { x: number; y: number } {
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2 - 2 * lift;
  const v = 1 - u;
  return { x: v * v * x1 + 2 * v * u * cx + u * u * x2, y: v * v * y1 + 2 * v * u * cy + u * u * y2 };
}

const ARC_SAMPLES = 24;

/** Distance from (x, y) to the arc, measured on a polyline of ARC_SAMPLES segments (good to a fraction of a pixel for lane-sized arcs). */
export function distanceToArc(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  lift: number,
  x: number,
  y: number,
): number {
  let best = Infinity;
  let prev = { x: x1, y: y1 };
  for (let k = 1; k <= ARC_SAMPLES; k++) {
    const next = arcPoint(x1, y1, x2, y2, lift, k / ARC_SAMPLES);
    best = Math.min(best, distanceToSegment(prev.x, prev.y, next.x, next.y, x, y));
    prev = next;
  }
  return best;
}

/** Distance from (x, y) to the segment (x1, y1)–(x2, y2). */
export function distanceToSegment(x1: number, y1: number, x2: number, y2: number, x: number, y: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length2 = dx * dx + dy * dy;
  const u = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length2));
  return Math.hypot(x1 + u * dx - x, y1 + u * dy - y);
}
