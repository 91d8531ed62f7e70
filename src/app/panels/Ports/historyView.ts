/**
 * The object history's geometry at a time cursor, as plain numbers to draw and hit-test:
 *
 *   slot rows      one row per queue slot (0 at the top); a message is a block in the row of its
 *                  slot from its send to its receive, to the cursor while still queued, or to the
 *                  reset that dropped it
 *   fill buckets   the fill level per pixel column: the largest value in the column (an area) and
 *                  the value at its end (the step line), so drawing costs O(width + steps in view)
 *   marks          blocked senders, timeouts, failed sends, resets, stale proto responses
 *
 * Everything at or after the cursor's table index is the recorded future and left out.
 */
import { lowerBound } from '../../trace/search';
import { type FillSteps, type MarkOp, type PortMessage, type PortRecord, rewriteOf } from './portHistory';

/** The time window drawn and its width in pixels. */
export interface TimeWindow {
  readonly t0: number;
  readonly t1: number;
  readonly width: number;
}

export type BlockState = 'queued' | 'received' | 'dropped';

export interface BlockBox {
  readonly message: PortMessage;
  readonly x0: number;
  readonly x1: number;
  /** The queue slot: the block's row. */
  readonly row: number;
  readonly state: BlockState;
  /** When it left the queue (received or dropped), or the cursor's time while queued. */
  readonly endT: number;
  /** A by-reference object its sender rewrote before the receiver was done with it. */
  readonly rewritten: boolean;
}

/** Blocks narrower than this are widened so every message can be seen and clicked. */
export const MIN_BLOCK_PX = 3;

export const xOf = (w: TimeWindow, t: number): number => ((t - w.t0) / Math.max(1, w.t1 - w.t0)) * w.width;

export const timeOf = (w: TimeWindow, x: number): number => w.t0 + (x / Math.max(1, w.width)) * (w.t1 - w.t0);

/** A message's state and end time seen from table index `cursor` (cursor time `cursorT`). */
export function messageAt(m: PortMessage, cursor: number, cursorT: number): { state: BlockState; endT: number } {
  if (m.recvIndex >= 0 && m.recvIndex < cursor) return { state: 'received', endT: m.recvT };
  if (m.dropIndex >= 0 && m.dropIndex < cursor) return { state: 'dropped', endT: m.dropT };
  return { state: 'queued', endT: cursorT };
}

/** The blocks of messages sent before `cursor` that overlap the window, in send order. */
export function visibleBlocks(record: PortRecord, cursor: number, cursorT: number, w: TimeWindow): BlockBox[] {
  const out: BlockBox[] = [];
  const sent = record.sentBefore(cursor);
  for (let i = 0; i < sent; i++) {
    const m = record.messages[i];
    if (!m || m.sendT > w.t1) continue;
    const { state, endT } = messageAt(m, cursor, cursorT);
    if (endT < w.t0) continue;
    // A message sent at the window's right edge (just now, at the cursor) still shows, inside it.
    const x0 = Math.min(xOf(w, m.sendT), w.width - MIN_BLOCK_PX);
    const x1 = Math.max(xOf(w, endT), x0 + MIN_BLOCK_PX);
    const until = m.doneIndex >= 0 && m.doneIndex < cursor ? m.doneIndex : cursor;
    const rewritten = rewriteOf(m, record.writes, until) !== null;
    out.push({ message: m, x0, x1, row: m.slot, state, endT, rewritten });
  }
  return out;
}

/** The block under (x, row): the last drawn (on top) wins; a little slack around thin blocks. */
export function blockAt(blocks: readonly BlockBox[], x: number, row: number): BlockBox | null {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i];
    if (b && b.row === row && x >= b.x0 - 1 && x <= b.x1 + 1) return b;
  }
  return null;
}

export interface FillBuckets {
  readonly max: Int32Array;
  readonly last: Int32Array;
}

/** The fill level per pixel column over the window, from the steps before `cursor`. */
export function fillBuckets(fill: FillSteps, cursor: number, w: TimeWindow): FillBuckets {
  const n = Math.max(0, Math.floor(w.width));
  const max = new Int32Array(n);
  const last = new Int32Array(n);
  const count = fill.before(cursor);
  const dt = n > 0 ? Math.max(1, w.t1 - w.t0) / n : 0;
  let j = lowerBound(fill.t, count, w.t0);
  let carry = j > 0 ? (fill.fill[j - 1] ?? 0) : 0;
  for (let x = 0; x < n; x++) {
    const end = x === n - 1 ? count : lowerBound(fill.t, count, w.t0 + (x + 1) * dt);
    let hi = carry;
    while (j < end) {
      const v = fill.fill[j] ?? 0;
      if (v > hi) hi = v;
      carry = v;
      j += 1;
    }
    max[x] = hi;
    last[x] = carry;
  }
  return { max, last };
}

export interface MarkTick {
  readonly x: number;
  readonly op: MarkOp;
  readonly index: number;
  readonly task: string;
  readonly detail: string | null;
}

/** The marks before `cursor` inside the window. */
export function visibleMarks(record: PortRecord, cursor: number, w: TimeWindow): MarkTick[] {
  const out: MarkTick[] = [];
  const k = record.marksBefore(cursor);
  for (let i = 0; i < k; i++) {
    const m = record.marks[i];
    if (!m || m.t < w.t0 || m.t > w.t1) continue;
    out.push({ x: xOf(w, m.t), op: m.op, index: m.index, task: m.task, detail: m.detail });
  }
  return out;
}

/** The mark nearest x within `slack` pixels, or null. */
export function markAt(marks: readonly MarkTick[], x: number, slack = 3): MarkTick | null {
  let best: MarkTick | null = null;
  for (const m of marks)
    if (Math.abs(m.x - x) <= slack && (!best || Math.abs(m.x - x) < Math.abs(best.x - x))) best = m;
  return best;
}

export interface PortCounts {
  readonly sent: number;
  readonly received: number;
  /** Items lost in device resets. */
  readonly lost: number;
  /** Sends and proto waits that timed out or failed (as derive.ts counts them). */
  readonly failures: number;
}

/**
 * What happened on the port before `cursor`, over the whole trace (derive.ts starts its counts
 * again at each device reset; the history spans resets, so its counts do too).
 */
export function portCounts(record: PortRecord, cursor: number): PortCounts {
  const sent = record.sentBefore(cursor);
  let received = 0;
  let lost = 0;
  for (let i = 0; i < sent; i++) {
    const m = record.messages[i];
    if (!m) continue;
    if (m.recvIndex >= 0 && m.recvIndex < cursor) received += 1;
    else if (m.dropIndex >= 0 && m.dropIndex < cursor) lost += 1;
  }
  let failures = 0;
  const k = record.marksBefore(cursor);
  for (let i = 0; i < k; i++) {
    const op = record.marks[i]?.op;
    if (op === 'send-timeout' || op === 'send-failed' || op === 'proto-timeout') failures += 1;
  }
  return { sent, received, lost, failures };
}
