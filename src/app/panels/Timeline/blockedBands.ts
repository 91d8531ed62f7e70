/**
 * libipc tasks blocked in `_ipc_send` on a full queue (PortActivity's blocked spans): a hatched
 * amber band on the task lane of the task's domain, from the `send-blocked` event to the event
 * that ended the wait (the send that got a slot, a timeout, a failure, the device's reset). A wait
 * that ended in a timeout, a failure or a reset gets an edge in the problem colour at its end;
 * a wait still open runs to the newest event held. The task's name is written in the band when
 * it fits. Tasks of one lane that wait in the window get a stripe each (in order of their first
 * wait), so two tasks blocked at once stay apart. Bands are drawn under the marks; the drawn bands are returned for hit testing (a band
 * stands for its `send-blocked` event).
 *
 *   mcu · task   ──■──▨▨▨▨▨▨ log_task ▨▨▨▨▨▨■──     ■ marks; ▨ the band (send-blocked → send)
 */
import type { BlockedSpan } from '../../debug/portActivity';
import type { TraceTable } from '../../trace/TraceTable';
import { PROBLEM_COLOUR } from '../../theme/colours';
import { FUTURE_ALPHA, type Geometry, SMALL_FONT, xOf } from './draw';
import type { LaneRow } from './lanes';

export const BLOCKED_COLOUR = '#d29922';
const BLOCKED_FILL = 'rgba(210, 153, 34, 0.16)';
const HATCH_STEP = 6;
const INSET = 2;

export interface DrawnBlock {
  readonly span: BlockedSpan;
  readonly x1: number;
  readonly x2: number;
  readonly top: number;
  readonly bottom: number;
  /** The wait began in the recorded future (after the time cursor). */
  readonly future: boolean;
  /** Its end is inside the window (not cut by an edge, not still open). */
  readonly ended: boolean;
}

/** The bands of `spans` that show in the window, at least 2 px wide, clipped to the plot. */
export function blocksOf(g: Geometry, table: TraceTable, spans: readonly BlockedSpan[], cursor: number): DrawnBlock[] {
  const out: DrawnBlock[] = [];
  const newest = table.t[table.length - 1] ?? 0;
  const shown: { span: BlockedSpan; row: LaneRow; t1: number; t2: number }[] = [];
  /** By lane: the tasks waiting in the window, in order of their first wait (their stripe). */
  const stripes = new Map<number, string[]>();
  for (const span of spans) {
    const t1 = table.t[span.start];
    if (t1 === undefined || span.start >= table.length) continue;
    const t2 = span.end >= 0 ? (table.t[span.end] ?? newest) : newest;
    if (t2 < g.startNs || t1 > g.endNs) continue;
    const row = g.layout.rows[table.lane[span.start] ?? -1];
    if (!row || row.collapsed) continue;
    shown.push({ span, row, t1, t2 });
    let tasks = stripes.get(row.lane);
    if (!tasks) stripes.set(row.lane, (tasks = []));
    if (!tasks.includes(span.task)) tasks.push(span.task);
  }
  for (const { span, row, t1, t2 } of shown) {
    const tasks = stripes.get(row.lane) ?? [span.task];
    const h = (row.height - 2 * INSET) / tasks.length;
    const top = row.top + INSET + h * Math.max(0, tasks.indexOf(span.task));
    const x1 = Math.max(g.plotLeft, xOf(g, t1));
    const end = xOf(g, t2);
    const x2 = Math.min(g.plotRight, Math.max(end, x1 + 2));
    out.push({
      span,
      x1,
      x2,
      top,
      bottom: top + h,
      future: span.start >= cursor,
      ended: span.end >= 0 && end <= g.plotRight,
    });
  }
  return out;
}

export function drawBlockedBands(ctx: CanvasRenderingContext2D, blocks: readonly DrawnBlock[]): void {
  if (blocks.length === 0) return;
  ctx.save();
  ctx.font = SMALL_FONT;
  ctx.textBaseline = 'middle';
  for (const b of blocks) {
    const w = b.x2 - b.x1;
    const h = b.bottom - b.top;
    ctx.globalAlpha = b.future ? FUTURE_ALPHA : 1;
    ctx.fillStyle = BLOCKED_FILL;
    ctx.fillRect(b.x1, b.top, w, h);
    // Hatching: diagonal strokes clipped to the band.
    ctx.save();
    ctx.beginPath();
    ctx.rect(b.x1, b.top, w, h);
    ctx.clip();
    ctx.strokeStyle = BLOCKED_COLOUR;
    ctx.globalAlpha = (b.future ? FUTURE_ALPHA : 1) * 0.45;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const start = b.x1 - h - ((b.x1 - h) % HATCH_STEP);
    for (let x = start; x < b.x2; x += HATCH_STEP) {
      ctx.moveTo(x, b.bottom);
      ctx.lineTo(x + h, b.top);
    }
    ctx.stroke();
    ctx.restore();
    ctx.globalAlpha = b.future ? FUTURE_ALPHA : 1;
    ctx.fillStyle = BLOCKED_COLOUR;
    ctx.fillRect(b.x1, b.top, w, 1);
    if (b.ended && b.span.outcome !== 'sent') {
      ctx.fillStyle = PROBLEM_COLOUR;
      ctx.fillRect(b.x2 - 2, b.top, 2, h);
    }
    const label = `${b.span.task} blocked`;
    const lw = ctx.measureText(label).width;
    if (lw + 16 < w && h >= 9) {
      const lh = Math.min(12, h);
      ctx.fillStyle = '#0f141b';
      ctx.fillRect(b.x1 + 5, b.top + (h - lh) / 2, lw + 6, lh);
      ctx.fillStyle = '#f2c46b';
      ctx.fillText(label, b.x1 + 8, b.top + h / 2 + 0.5);
    }
  }
  ctx.restore();
}

/** The band under (x, y), or null; the newest band wins where they overlap. */
export function blockAt(blocks: readonly DrawnBlock[], x: number, y: number): DrawnBlock | null {
  for (let k = blocks.length - 1; k >= 0; k--) {
    const b = blocks[k];
    if (b && x >= b.x1 && x <= b.x2 && y >= b.top && y <= b.bottom) return b;
  }
  return null;
}
