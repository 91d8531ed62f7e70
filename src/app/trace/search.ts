/** Binary searches over a sorted numeric column's first `length` entries. */

/** The first index whose value is not less than `value` (`length` when none). */
export function lowerBound(column: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = Math.min(length, column.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((column[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose value is greater than `value` (`length` when none). */
export function upperBound(column: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = Math.min(length, column.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((column[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
