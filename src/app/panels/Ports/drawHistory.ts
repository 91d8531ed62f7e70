/**
 * Draws a port's object history on one canvas, three bands sharing the time axis:
 *
 *   ┌ slot 0 ── [#2 ]──────[#11      ]───                     one row per queue slot; a block per
 *   │ slot 1 ──── [#3    ]─────[#12 ]──                       message, coloured by sender, from
 *   │ …                                                      send to receive (to the cursor while
 *   ├ marks   ▲ blocked (amber)  ▲ timeout / failure / reset (red)            queued)
 *   ├ fill    ▁▂▃▅▇█████▇▇▇▆▅▃▂   - - - - depth - - - -      the items queued, as steps
 *   └────────────────────────────────────────────────────┘ cursor
 */
import { CURSOR_COLOUR, PROBLEM_COLOUR, SELECTION_COLOUR } from '../../theme/colours';
import type { BlockBox, FillBuckets, MarkTick } from './historyView';
import { isFailureMark } from './portHistory';

export interface HistoryLayout {
  readonly width: number;
  readonly depth: number;
  /** Height of one slot row. */
  readonly rowH: number;
  readonly stripH: number;
  readonly markTop: number;
  readonly markH: number;
  readonly fillTop: number;
  readonly fillH: number;
  readonly height: number;
}

/** Slot rows get at most this much height together (deep queues get thin rows). */
const STRIP_MAX = 176;

export function historyLayout(width: number, depth: number): HistoryLayout {
  const rows = Math.max(1, depth);
  const rowH = Math.max(4, Math.min(18, Math.floor(STRIP_MAX / rows)));
  const stripH = rows * rowH;
  const markTop = stripH + 3;
  const markH = 9;
  const fillTop = markTop + markH + 3;
  const fillH = 52;
  return { width, depth: rows, rowH, stripH, markTop, markH, fillTop, fillH, height: fillTop + fillH };
}

/** The slot row at y, or null outside the strip. */
export function rowAt(l: HistoryLayout, y: number): number | null {
  return y >= 0 && y < l.stripH ? Math.floor(y / l.rowH) : null;
}

export interface HistoryPicture {
  readonly blocks: readonly BlockBox[];
  readonly fill: FillBuckets;
  readonly marks: readonly MarkTick[];
  readonly colourOf: (task: string) => string;
  readonly selected: number | null;
  readonly hovered: number | null;
  /** x of the time cursor (may lie outside the canvas). */
  readonly cursorX: number;
}

const BG_ROW = ['#111820', '#141c26'];
const GRID = '#2b3542';
const LABEL = '#0d1117';
// Neutral, so the fill level never reads as one sender's colour.
const FILL_AREA = 'rgba(159, 176, 195, 0.22)';
const FILL_LINE = '#b4c2d2';
const WARN = '#d29922';
const FUTURE_SHADE = 'rgba(13, 17, 23, 0.6)';

export function drawHistory(ctx: CanvasRenderingContext2D, l: HistoryLayout, p: HistoryPicture): void {
  const { width } = l;
  ctx.clearRect(0, 0, width, l.height);
  for (let r = 0; r < l.depth; r++) {
    ctx.fillStyle = BG_ROW[r % 2] ?? '#111820';
    ctx.fillRect(0, r * l.rowH, width, l.rowH);
  }
  const labels = l.rowH >= 12;
  ctx.font = `${Math.min(11, l.rowH - 3)}px ui-monospace, SFMono-Regular, Menlo, monospace`;
  ctx.textBaseline = 'middle';
  // A dense trace puts many blocks on one pixel: a block that adds no pixel to its row is skipped
  // (the selected and hovered ones never are), so drawing costs about width × depth at most.
  const drawnTo = new Float64Array(l.depth).fill(-Infinity);
  // A monospace font: one measurement serves every label.
  const charW = ctx.measureText('0').width;
  for (const b of p.blocks) {
    if (b.x1 < 0 || b.x0 > width) continue;
    const x0 = Math.max(0, b.x0);
    const x1 = Math.min(width, b.x1);
    const marked = b.message.msgId === p.selected || b.message.msgId === p.hovered;
    if (!marked && Math.ceil(x1) <= (drawnTo[b.row] ?? -Infinity)) continue;
    drawnTo[b.row] = Math.max(drawnTo[b.row] ?? -Infinity, Math.ceil(x1));
    const wide = x1 - x0 >= 6;
    const y = b.row * l.rowH + 1;
    const h = l.rowH - 2;
    ctx.globalAlpha = b.state === 'received' ? 0.85 : 1;
    ctx.fillStyle = p.colourOf(b.message.task);
    ctx.fillRect(x0, y, x1 - x0, h);
    ctx.globalAlpha = 1;
    if (b.state === 'dropped') {
      // Lost in a reset: a red end (and a red outline when there is room for one).
      ctx.fillStyle = PROBLEM_COLOUR;
      ctx.fillRect(x1 - 2, y, 2, h);
      if (wide) {
        ctx.strokeStyle = PROBLEM_COLOUR;
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y + 0.5, x1 - x0 - 1, h - 1);
      }
    } else if (b.rewritten) {
      // Its by-reference object changed under it: amber outline (the warning colour).
      ctx.strokeStyle = WARN;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + 0.75, y + 0.75, Math.max(0.5, x1 - x0 - 1.5), h - 1.5);
    }
    if (b.state === 'queued' && wide) {
      // Still in the queue: a bright leading edge at the cursor.
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(x1 - 1.5, y, 1.5, h);
    }
    const text = `#${b.message.msgId}`;
    if (labels && text.length * charW + 6 <= x1 - x0) {
      ctx.fillStyle = LABEL;
      ctx.fillText(text, x0 + 3, y + h / 2 + 0.5);
    }
    const id = b.message.msgId;
    if (id === p.selected || id === p.hovered) {
      ctx.strokeStyle = id === p.selected ? SELECTION_COLOUR : '#ffffff';
      ctx.lineWidth = id === p.selected ? 2 : 1;
      ctx.strokeRect(x0 - 1, y - 1, x1 - x0 + 2, h + 2);
    }
  }

  // Fill level: area of each column's peak, the step line at each column's end, the depth dashed.
  const base = l.fillTop + l.fillH;
  const y = (v: number): number => base - (Math.min(v, l.depth) / l.depth) * (l.fillH - 6);
  ctx.fillStyle = '#0f151d';
  ctx.fillRect(0, l.fillTop, width, l.fillH);
  ctx.strokeStyle = GRID;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(0, Math.round(y(l.depth)) + 0.5);
  ctx.lineTo(width, Math.round(y(l.depth)) + 0.5);
  ctx.stroke();
  ctx.setLineDash([]);
  const n = p.fill.last.length;
  ctx.fillStyle = FILL_AREA;
  ctx.beginPath();
  ctx.moveTo(0, base);
  for (let x = 0; x < n; x++) {
    const v = y(p.fill.max[x] ?? 0);
    ctx.lineTo(x, v);
    ctx.lineTo(x + 1, v);
  }
  ctx.lineTo(n, base);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = FILL_LINE;
  ctx.lineWidth = 1.25;
  ctx.beginPath();
  for (let x = 0; x < n; x++) {
    const v = y(p.fill.last[x] ?? 0);
    if (x === 0) ctx.moveTo(0, v);
    ctx.lineTo(x + 1, v);
  }
  ctx.stroke();
  // Columns where the queue was full.
  ctx.fillStyle = PROBLEM_COLOUR;
  for (let x = 0; x < n; x++) if ((p.fill.max[x] ?? 0) >= l.depth) ctx.fillRect(x, y(l.depth) - 1, 1, 2);

  // Marks: a small triangle each, amber for a blocked sender, then red for a failure (so a failure
  // is never hidden under a warning); one of each colour per pixel column.
  for (const failures of [false, true]) {
    ctx.fillStyle = failures ? PROBLEM_COLOUR : WARN;
    let lastX = NaN;
    for (const m of p.marks) {
      if (isFailureMark(m.op) !== failures) continue;
      const x = Math.round(m.x);
      if (x === lastX) continue;
      lastX = x;
      ctx.beginPath();
      ctx.moveTo(m.x, l.markTop);
      ctx.lineTo(m.x - 4, l.markTop + l.markH);
      ctx.lineTo(m.x + 4, l.markTop + l.markH);
      ctx.closePath();
      ctx.fill();
      if (failures) {
        ctx.globalAlpha = 0.5;
        ctx.fillRect(m.x - 0.5, l.fillTop, 1, l.fillH);
        ctx.globalAlpha = 1;
      }
    }
  }

  if (p.cursorX < width) {
    ctx.fillStyle = FUTURE_SHADE;
    ctx.fillRect(Math.max(0, p.cursorX), 0, width - Math.max(0, p.cursorX), l.height);
  }
  if (p.cursorX >= 0 && p.cursorX <= width) {
    ctx.strokeStyle = CURSOR_COLOUR;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    const cx = Math.min(width - 1, Math.round(p.cursorX)) + 0.5;
    ctx.moveTo(cx, 0);
    ctx.lineTo(cx, l.height);
    ctx.stroke();
  }
}
