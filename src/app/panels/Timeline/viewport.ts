/**
 * Zoom, pan and time-axis maths for the timeline, in trace nanoseconds. Pure: the renderer and the
 * panel call these; tests pin them down.
 */
import { ticks as d3ticks, tickStep } from 'd3';
import type { Viewport } from '../../store/viewSlice';
import { upperBound } from '../../trace/search';
import type { TraceTable } from '../../trace/TraceTable';

/** The narrowest window the timeline zooms to (a few events at the inline runtime's resolution). */
export const MIN_SPAN_NS = 50;
/** The widest window, so a zoom-out cannot lose the trace in an empty sea. */
export const MAX_SPAN_FACTOR = 4;

/** The window that shows everything: first to last event (and the cursor), with a margin. */
export function fitViewport(firstNs: number, lastNs: number, cursorNs: number): Viewport {
  const lo = Math.min(firstNs, cursorNs);
  const hi = Math.max(lastNs, cursorNs);
  const span = Math.max(hi - lo, 1000);
  const margin = span * 0.02;
  return { startNs: lo - margin, endNs: lo + span + margin };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping `anchorNs` at the same place on screen, the span
 * limited to [MIN_SPAN_NS, MAX_SPAN_FACTOR × the span of `fit`].
 */
export function zoomAround(v: Viewport, factor: number, anchorNs: number, fit: Viewport): Viewport {
  const span = v.endNs - v.startNs;
  const maxSpan = Math.max(MIN_SPAN_NS, (fit.endNs - fit.startNs) * MAX_SPAN_FACTOR);
  const next = Math.min(maxSpan, Math.max(MIN_SPAN_NS, span * factor));
  const ratio = span > 0 ? (anchorNs - v.startNs) / span : 0.5;
  const startNs = anchorNs - ratio * next;
  return clampToFit({ startNs, endNs: startNs + next }, fit);
}

/** Moves the window by `deltaNs` (positive = later), keeping part of the trace in view. */
export function panBy(v: Viewport, deltaNs: number, fit: Viewport): Viewport {
  return clampToFit({ startNs: v.startNs + deltaNs, endNs: v.endNs + deltaNs }, fit);
}

/** Keeps at least half a window of overlap with the trace. */
export function clampToFit(v: Viewport, fit: Viewport): Viewport {
  const span = v.endNs - v.startNs;
  const lowest = fit.startNs - span / 2;
  const highest = fit.endNs + span / 2;
  if (v.startNs < lowest) return { startNs: lowest, endNs: lowest + span };
  if (v.endNs > highest) return { startNs: highest - span, endNs: highest };
  return v;
}

export interface TimeUnit {
  readonly name: 'ns' | 'µs' | 'ms' | 's';
  readonly ns: number;
}

const UNITS: readonly TimeUnit[] = [
  { name: 'ns', ns: 1 },
  { name: 'µs', ns: 1e3 },
  { name: 'ms', ns: 1e6 },
  { name: 's', ns: 1e9 },
];

/** The largest unit in which `ns` is at least 1 (ns for anything smaller). */
export function unitFor(ns: number): TimeUnit {
  let unit = UNITS[0] ?? { name: 'ns', ns: 1 };
  for (const u of UNITS) if (Math.abs(ns) >= u.ns) unit = u;
  return unit;
}

/** `ns` in `unit` with just enough decimals to tell apart values `step` ns apart. */
export function formatIn(ns: number, unit: TimeUnit, step: number): string {
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(step / unit.ns) - 1e-9)));
  return `${(ns / unit.ns).toFixed(decimals)} ${unit.name}`;
}

export interface Tick {
  readonly ns: number;
  readonly label: string;
}

/**
 * About `count` round tick times inside the window, all labelled in one unit: the unit of the
 * window's largest time when three decimals tell the ticks apart (11.440 ms, 11.445 ms), else the
 * unit of the tick step (at least µs), so a 0–2 ms window reads 0.2 ms … 2.0 ms.
 */
export function timeTicks(v: Viewport, count: number): Tick[] {
  const step = tickStep(v.startNs, v.endNs, count);
  if (!Number.isFinite(step) || step <= 0) return [];
  const large = unitFor(Math.max(1e3, Math.abs(v.startNs), Math.abs(v.endNs)));
  const unit = step / large.ns >= 1e-3 ? large : unitFor(Math.max(1e3, step * 10));
  return d3ticks(v.startNs, v.endNs, count).map((ns) => ({ ns, label: formatIn(ns, unit, step) }));
}

/** A duration: three decimals in the largest unit it reaches (ns as a whole number). */
export function formatTime(ns: number): string {
  const unit = unitFor(ns);
  if (unit.name === 'ns') return `${Math.round(ns)} ns`;
  const value = ns / unit.ns;
  return `${value.toFixed(value >= 100 ? 1 : 3)} ${unit.name}`;
}

/** The last index whose time is at or before `ns` (−1 when none), by binary search over `t`. */
export function lastIndexAtOrBefore(t: Float64Array, length: number, ns: number): number {
  return upperBound(t, length, ns) - 1;
}

/**
 * The window that fits every event held and the cursor: from the first event to the last, widened
 * by the table's time slack (worker clocks disagree by that much). The toolbar and the canvas
 * both use it, so their zoom limits agree.
 */
export function fitOf(table: Pick<TraceTable, 'length' | 't' | 'tSlackNs'>, cursorNs: number): Viewport {
  const n = table.length;
  if (n === 0) return fitViewport(0, 0, cursorNs);
  return fitViewport((table.t[0] ?? 0) - table.tSlackNs, (table.t[n - 1] ?? 0) + table.tSlackNs, cursorNs);
}
