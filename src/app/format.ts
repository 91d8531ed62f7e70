/** Number formats every view shares. */

/** A trace time in ns as µs (or ms for long times), with the unit. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  if (Math.abs(ns) >= 10_000_000) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1000).toFixed(ns % 1000 === 0 ? 0 : 3)} µs`;
}

export const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
