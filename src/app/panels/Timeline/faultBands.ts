/**
 * Injected faults on the timeline: each `fault` event is a vertical band across every lane, in
 * the fault colour, with the fault's id on a tag under the axis (DESIGN.md §3.7), drawn the way
 * trace gaps are (a translucent band with solid edges) but over all domains, since a fault is a
 * cause a reader looks for across cores.
 *
 *   axis  ─────┬──────────────┬──────
 *             [f1]           [f2]        tags (skipped where they would overlap)
 *   lanes     ▒│▒            ▒│▒         band: fill under the marks, a 1 px line
 *
 * Faults that land in the same pixel column draw one band (a doorbell fault that acts on every
 * ring makes many events); its tag names the first. The drawn bands are returned for hit testing,
 * so hovering a band shows the fault event's tooltip and clicking it moves the cursor there.
 */
import type { TraceTable } from '../../trace/TraceTable';
import { kindIndex } from '../../trace/TraceTable';
import { FUTURE_ALPHA, type Geometry, SMALL_FONT, xOf } from './draw';

export const FAULT_COLOUR = '#e879f9';
const FAULT_FILL = 'rgba(232, 121, 249, 0.13)';
const BAND_WIDTH = 5;
const TAG_HEIGHT = 13;

/** A band as drawn: its x (CSS px), the table index of its first fault event, and that fault's id. */
export interface DrawnBand {
  readonly x: number;
  readonly index: number;
  readonly id: string;
  /** Fault events merged into this band. */
  readonly count: number;
  readonly future: boolean;
}

type IndexedTable = TraceTable & { readonly epoch?: number };

/**
 * The table indices of every `fault` event, extended as the table grows and rebuilt when events
 * already held change (as TraceIndex detects it).
 */
export class FaultMarks {
  private table: TraceTable | null = null;
  private scanned = 0;
  private revision = -1;
  private evicted = -1;
  private epoch: number | undefined = undefined;
  private list: number[] = [];

  sync(table: IndexedTable): readonly number[] {
    if (!this.appendOnly(table)) {
      this.table = table;
      this.scanned = 0;
      this.list = [];
    }
    const fault = kindIndex('fault');
    for (let i = this.scanned; i < table.length; i++) if (table.kind[i] === fault) this.list.push(i);
    this.scanned = table.length;
    this.revision = table.revision;
    this.evicted = table.evicted;
    this.epoch = table.epoch;
    return this.list;
  }

  private appendOnly(table: IndexedTable): boolean {
    if (table !== this.table || table.length < this.scanned || table.evicted !== this.evicted) return false;
    if (table.epoch !== undefined) return table.epoch === this.epoch;
    return table.revision - this.revision === table.length - this.scanned;
  }
}

/** The bands in the window: one per pixel column that holds fault events. */
export function bandsOf(g: Geometry, table: TraceTable, marks: readonly number[], cursor: number): DrawnBand[] {
  const bands: DrawnBand[] = [];
  let last: { column: number; band: DrawnBand } | null = null;
  // Marks are in table order, so in time order within `tSlackNs`: start at the window, stop after it.
  const slack = table.tSlackNs + ((g.endNs - g.startNs) * BAND_WIDTH) / Math.max(1, g.plotRight - g.plotLeft);
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((table.t[marks[mid] ?? 0] ?? 0) < g.startNs - slack) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < marks.length; k++) {
    const index = marks[k] ?? 0;
    const t = table.t[index] ?? 0;
    if (t > g.endNs + slack) break;
    const x = xOf(g, t);
    if (x < g.plotLeft - BAND_WIDTH || x > g.plotRight + BAND_WIDTH) continue;
    const column = Math.round(x);
    if (last && last.column === column) {
      last.band = { ...last.band, count: last.band.count + 1, future: last.band.future && index >= cursor };
      bands[bands.length - 1] = last.band;
      continue;
    }
    const e = table.event(index);
    const band: DrawnBand = {
      x: column,
      index,
      id: e?.kind === 'fault' ? e.fault : '?',
      count: 1,
      future: index >= cursor,
    };
    bands.push(band);
    last = { column, band };
  }
  return bands;
}

/** The bands' fill and lines, under the marks. */
export function drawFaultBands(ctx: CanvasRenderingContext2D, g: Geometry, bands: readonly DrawnBand[]): void {
  if (bands.length === 0) return;
  const top = g.axisHeight;
  ctx.save();
  ctx.beginPath();
  ctx.rect(g.plotLeft, top, g.plotRight - g.plotLeft, g.height - top);
  ctx.clip();
  for (const future of [true, false]) {
    ctx.globalAlpha = future ? FUTURE_ALPHA : 1;
    ctx.fillStyle = FAULT_FILL;
    ctx.beginPath();
    for (const b of bands) if (b.future === future) ctx.rect(b.x - BAND_WIDTH / 2, top, BAND_WIDTH, g.height - top);
    ctx.fill();
    ctx.fillStyle = FAULT_COLOUR;
    ctx.beginPath();
    for (const b of bands) if (b.future === future) ctx.rect(b.x, top, 1, g.height - top);
    ctx.fill();
  }
  ctx.restore();
}

/** The fault ids on tags just under the axis, over the marks; a tag that would overlap is skipped. */
export function drawFaultTags(ctx: CanvasRenderingContext2D, g: Geometry, bands: readonly DrawnBand[]): void {
  ctx.font = SMALL_FONT;
  ctx.textBaseline = 'middle';
  const y = g.axisHeight + 1;
  let end = -Infinity;
  for (const b of bands) {
    const text = b.count > 1 ? `${b.id} ×${b.count}` : b.id;
    const w = ctx.measureText(text).width + 6;
    const x = Math.min(b.x + 1, g.plotRight - w);
    if (x < end + 2 || x < g.plotLeft) continue;
    ctx.globalAlpha = b.future ? FUTURE_ALPHA + 0.2 : 1;
    ctx.fillStyle = '#3b0a45';
    ctx.fillRect(x, y, w, TAG_HEIGHT);
    ctx.fillStyle = FAULT_COLOUR;
    ctx.fillRect(x, y, 1, TAG_HEIGHT);
    ctx.fillText(text, x + 3, y + TAG_HEIGHT / 2);
    end = x + w;
  }
  ctx.globalAlpha = 1;
}

/** The band nearest `x` within `tolerance` px, or null. */
export function bandAt(bands: readonly DrawnBand[], x: number, tolerance = 4): DrawnBand | null {
  let best: DrawnBand | null = null;
  let distance = tolerance;
  for (const b of bands) {
    const d = Math.abs(b.x - x);
    if (d <= distance) [best, distance] = [b, d];
  }
  return best;
}
