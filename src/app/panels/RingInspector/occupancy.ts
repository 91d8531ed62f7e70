/**
 * The occupancy counter track's arithmetic (Perfetto counter tracks): the bytes in use as a step
 * function of time, aggregated per pixel so drawing costs O(width + events in view) whatever the
 * trace length, and the way back from a pixel to an event to seek to.
 *
 *   bucket x covers [t0 + x·dt, t0 + (x+1)·dt):  min / max of the value over the bucket, including
 *   the value carried in from before it; `last` is the value at its end.
 */
import type { RegionPackets } from './packetHistory';
import { lowerBound, upperBound } from '../../trace/search';

export interface OccupancyBuckets {
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly last: Float64Array;
  /** Largest value in view (0 when empty). */
  readonly peak: number;
}

/** How many of the first `count` times are before `ns` (`inclusive`: at or before). */
const countBefore = (t: Float64Array, count: number, ns: number, inclusive: boolean): number =>
  inclusive ? upperBound(t, count, ns) : lowerBound(t, count, ns);

/** Bytes in use at time `ns`: after the last event at or before it (0 before the first). */
export function occupancyAt(packets: RegionPackets, ns: number): number {
  const k = countBefore(packets.t, packets.count, ns, true);
  return k > 0 ? (packets.inUse[k - 1] ?? 0) : 0;
}

export function occupancyBuckets(packets: RegionPackets, t0: number, t1: number, width: number): OccupancyBuckets {
  const n = Math.max(0, Math.floor(width));
  const min = new Float64Array(n);
  const max = new Float64Array(n);
  const last = new Float64Array(n);
  const dt = n > 0 && t1 > t0 ? (t1 - t0) / n : 0;
  let j = countBefore(packets.t, packets.count, t0, false);
  let carry = j > 0 ? (packets.inUse[j - 1] ?? 0) : 0;
  let peak = 0;
  for (let x = 0; x < n; x++) {
    // The last bucket also takes the events at exactly t1.
    const end =
      x === n - 1
        ? countBefore(packets.t, packets.count, t1, true)
        : countBefore(packets.t, packets.count, t0 + (x + 1) * dt, false);
    let lo = carry;
    let hi = carry;
    while (j < end) {
      const v = packets.inUse[j] ?? 0;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      carry = v;
      j++;
    }
    min[x] = lo;
    max[x] = hi;
    last[x] = carry;
    if (hi > peak) peak = hi;
  }
  return { min, max, last, peak };
}

/** Index of the last table event at or before time `ns`, or -1 when every event is later. */
export function lastEventAtOrBefore(table: { readonly length: number; readonly t: Float64Array }, ns: number): number {
  return countBefore(table.t, table.length, ns, true) - 1;
}
