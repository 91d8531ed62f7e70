/**
 * Canvas drawing of the timeline's frame: background, lane rows and channel task rows, the label
 * gutter, grid lines, the time axis, the time cursor, the evicted band and the axis hint. The marks
 * are drawn by drawMarks.ts, arrows and highlights by drawOverlay.ts, the task rows' state bars and
 * marks by drawTaskLanes.ts.
 *
 * Coordinates are CSS pixels (the renderer scales the context by devicePixelRatio). One
 * aggregation column is one CSS pixel: column c is drawn at x = plotLeft + c.
 */
import { CURSOR_COLOUR, domainColour } from '../../theme/colours';
import type { LaneLayout } from './lanes';
import type { Tick } from './viewport';

export const FONT = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
export const SMALL_FONT = '10px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
export const BG = '#0f141b';
const AXIS_BG = '#161c25';
const GUTTER_BG = '#141a22';
const TEXT = '#c9d1d9';
const MUTED = '#8b97a6';
const FAINT = '#4b5563';
const TASK_ROW_BG = '#0d1219';
const TASK_ROW_LINE = '#18202a';
const TASK_LABEL = '#aab4c0';
/** Alpha of the recorded future (events after the cursor). */
export const FUTURE_ALPHA = 0.32;

export interface Geometry {
  readonly width: number;
  readonly height: number;
  readonly plotLeft: number;
  readonly plotRight: number;
  readonly axisHeight: number;
  readonly layout: LaneLayout;
  readonly startNs: number;
  readonly endNs: number;
}

export const xOf = (g: Geometry, ns: number): number =>
  g.plotLeft + ((ns - g.startNs) * (g.plotRight - g.plotLeft)) / (g.endNs - g.startNs);

/** Background, lane rows, the label gutter, grid lines and the time axis. */
export function drawChrome(
  ctx: CanvasRenderingContext2D,
  g: Geometry,
  ticks: readonly Tick[],
  cursorNs: number | null,
  /** Axis space kept free at the right (for a hint). */
  reserveRight = 0,
): void {
  ctx.fillStyle = BG;
  ctx.fillRect(0, 0, g.width, g.height);
  const { rows } = g.layout;
  rows.forEach((row, k) => {
    ctx.fillStyle = row.collapsed ? '#0c1016' : k % 2 === 0 ? '#121821' : '#10151d';
    ctx.fillRect(g.plotLeft, row.top, g.plotRight - g.plotLeft, row.height);
  });
  // Channel task rows: darker than the lanes, a hairline between neighbours.
  for (const row of g.layout.tasks) {
    ctx.fillStyle = TASK_ROW_BG;
    ctx.fillRect(g.plotLeft, row.top, g.plotRight - g.plotLeft, row.height);
    ctx.fillStyle = TASK_ROW_LINE;
    ctx.fillRect(g.plotLeft, row.top, g.plotRight - g.plotLeft, 1);
  }
  // The recorded future: a lighter background right of the cursor.
  if (cursorNs !== null) {
    const x = Math.max(g.plotLeft, xOf(g, cursorNs));
    if (x < g.plotRight) {
      ctx.fillStyle = 'rgba(148, 163, 184, 0.035)';
      ctx.fillRect(x, g.axisHeight, g.plotRight - x, g.height - g.axisHeight);
    }
  }
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.045)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const tick of ticks) {
    const x = Math.round(xOf(g, tick.ns)) + 0.5;
    ctx.moveTo(x, g.axisHeight);
    ctx.lineTo(x, g.height);
  }
  ctx.stroke();
  // Axis.
  ctx.fillStyle = AXIS_BG;
  ctx.fillRect(0, 0, g.width, g.axisHeight);
  ctx.fillStyle = '#2b3542';
  ctx.fillRect(0, g.axisHeight - 1, g.width, 1);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.strokeStyle = MUTED;
  ctx.beginPath();
  for (const tick of ticks) {
    const x = Math.round(xOf(g, tick.ns)) + 0.5;
    ctx.moveTo(x, g.axisHeight - 6);
    ctx.lineTo(x, g.axisHeight - 1);
  }
  ctx.stroke();
  ctx.fillStyle = MUTED;
  for (const tick of ticks) {
    const x = xOf(g, tick.ns);
    if (x + 4 + ctx.measureText(tick.label).width <= g.plotRight - reserveRight) {
      ctx.fillText(tick.label, x + 4, g.axisHeight / 2 - 1);
    }
  }
  // Gutter with lane labels and a stripe in each domain's colour.
  ctx.fillStyle = GUTTER_BG;
  ctx.fillRect(0, g.axisHeight, g.plotLeft, g.height - g.axisHeight);
  ctx.fillStyle = '#2b3542';
  ctx.fillRect(g.plotLeft - 1, 0, 1, g.height);
  for (const row of rows) {
    ctx.fillStyle = domainColour(row.domain);
    ctx.fillRect(0, row.top, 3, row.height);
    ctx.font = row.collapsed ? SMALL_FONT : FONT;
    ctx.fillStyle = row.collapsed ? FAINT : TEXT;
    ctx.fillText(row.label, 10, row.top + row.height / 2);
  }
  ctx.font = SMALL_FONT;
  for (const row of g.layout.tasks) {
    ctx.fillStyle = domainColour(row.domain);
    ctx.fillRect(0, row.top, 3, row.height);
    ctx.fillStyle = TASK_LABEL;
    ctx.fillText(fitLabel(ctx, row.label, g.plotLeft - 14), 10, row.top + row.height / 2);
  }
  ctx.fillStyle = MUTED;
  ctx.font = SMALL_FONT;
  ctx.fillText('time →', 10, g.axisHeight / 2 - 1);
}

/** `text`, cut with an ellipsis to fit `width` px in the current font. */
function fitLabel(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let n = text.length - 1;
  while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > width) n -= 1;
  return `${text.slice(0, n)}…`;
}

/** The time cursor: a vertical line with a handle on the axis. */
export function drawCursor(ctx: CanvasRenderingContext2D, g: Geometry, cursorNs: number): void {
  const x = Math.round(xOf(g, cursorNs)) + 0.5;
  if (x < g.plotLeft || x > g.plotRight) return;
  ctx.strokeStyle = CURSOR_COLOUR;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, g.axisHeight - 6);
  ctx.lineTo(x, g.height);
  ctx.stroke();
  ctx.fillStyle = CURSOR_COLOUR;
  ctx.beginPath();
  ctx.moveTo(x - 5, g.axisHeight - 8);
  ctx.lineTo(x + 5, g.axisHeight - 8);
  ctx.lineTo(x, g.axisHeight - 2);
  ctx.closePath();
  ctx.fill();
}

/** A hatched band left of the first held event when older events were evicted. */
export function drawEvicted(ctx: CanvasRenderingContext2D, g: Geometry, firstNs: number, evicted: number): void {
  const x = Math.min(g.plotRight, xOf(g, firstNs));
  if (evicted <= 0 || x <= g.plotLeft) return;
  const top = g.axisHeight;
  ctx.save();
  ctx.beginPath();
  ctx.rect(g.plotLeft, top, x - g.plotLeft, g.height - top);
  ctx.clip();
  ctx.fillStyle = 'rgba(210, 153, 34, 0.08)';
  ctx.fillRect(g.plotLeft, top, x - g.plotLeft, g.height - top);
  ctx.strokeStyle = 'rgba(210, 153, 34, 0.25)';
  ctx.beginPath();
  for (let k = g.plotLeft - g.height; k < x; k += 8) {
    ctx.moveTo(k, g.height);
    ctx.lineTo(k + g.height - top, top);
  }
  ctx.stroke();
  ctx.fillStyle = '#d29922';
  ctx.font = SMALL_FONT;
  ctx.fillText(`${evicted.toLocaleString('en-US')} evicted`, g.plotLeft + 4, top + 10);
  ctx.restore();
}

/** Width the axis keeps free for `hint` (0 when none). */
export function hintWidth(ctx: CanvasRenderingContext2D, hint: string | null): number {
  if (hint === null) return 0;
  ctx.font = SMALL_FONT;
  return ctx.measureText(hint).width + 16;
}

/** A short status line at the right end of the axis (such as "zoom in to see arrows"). */
export function drawHint(ctx: CanvasRenderingContext2D, g: Geometry, hint: string): void {
  ctx.font = SMALL_FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = '#d29922';
  ctx.fillText(hint, g.plotRight - 4, g.axisHeight / 2 - 1);
  ctx.textAlign = 'left';
}
