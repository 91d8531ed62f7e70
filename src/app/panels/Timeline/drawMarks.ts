/**
 * Canvas drawing of the aggregated marks, in passes grouped by colour (one path and one fill per
 * colour), as Perfetto does: canvas state changes cost more than the geometry.
 */
import type { TraceTable } from '../../trace/TraceTable';
import { PROBLEM_COLOUR } from '../../theme/colours';
import type { Aggregation } from './aggregate';
import { BG, FUTURE_ALPHA, type Geometry, SMALL_FONT } from './draw';
import { type LaneLayout, LANE_HEIGHT } from './lanes';
import { type Glyph, markStyle, type MarkStyle } from './palette';

/** Columns between two glyphs in a lane. */
const GLYPH_SPACING = 8;
/** Width of a label character (10 px monospace), for fitting labels before measuring them. */
const LABEL_CHAR = 6.1;

/** Paths batched by colour: rectangles, glyphs, and strokes. */
class Batches {
  private readonly rects = new Map<string, number[]>();
  private readonly glyphs = new Map<string, { glyph: Glyph; colour: string; at: number[] }>();

  rect(colour: string, x: number, y: number, w: number, h: number): void {
    let list = this.rects.get(colour);
    if (!list) this.rects.set(colour, (list = []));
    list.push(x, y, w, h);
  }

  glyph(glyph: Glyph, colour: string, x: number, y: number, size: number): void {
    const key = `${glyph}|${colour}`;
    let entry = this.glyphs.get(key);
    if (!entry) this.glyphs.set(key, (entry = { glyph, colour, at: [] }));
    entry.at.push(x, y, size);
  }

  flush(ctx: CanvasRenderingContext2D): void {
    for (const [colour, list] of this.rects) {
      if (list.length === 0) continue;
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let k = 0; k < list.length; k += 4)
        ctx.rect(list[k] ?? 0, list[k + 1] ?? 0, list[k + 2] ?? 0, list[k + 3] ?? 0);
      ctx.fill();
      list.length = 0;
    }
    for (const entry of this.glyphs.values()) {
      if (entry.at.length === 0) continue;
      drawGlyphs(ctx, entry.glyph, entry.colour, entry.at);
      entry.at.length = 0;
    }
  }
}

function drawGlyphs(ctx: CanvasRenderingContext2D, glyph: Glyph, colour: string, at: readonly number[]): void {
  ctx.beginPath();
  for (let k = 0; k < at.length; k += 3) {
    const x = at[k] ?? 0;
    const y = at[k + 1] ?? 0;
    const s = at[k + 2] ?? 0;
    switch (glyph) {
      case 'diamond':
        ctx.moveTo(x, y - s);
        ctx.lineTo(x + s, y);
        ctx.lineTo(x, y + s);
        ctx.lineTo(x - s, y);
        ctx.closePath();
        break;
      case 'cross':
        ctx.moveTo(x - s, y - s);
        ctx.lineTo(x + s, y + s);
        ctx.moveTo(x + s, y - s);
        ctx.lineTo(x - s, y + s);
        break;
      case 'warning':
        ctx.moveTo(x, y - s - 1);
        ctx.lineTo(x + s + 1, y + s);
        ctx.lineTo(x - s - 1, y + s);
        ctx.closePath();
        break;
      case 'send':
        ctx.moveTo(x - s * 0.6, y - s);
        ctx.lineTo(x + s * 0.9, y);
        ctx.lineTo(x - s * 0.6, y + s);
        ctx.closePath();
        break;
      case 'square':
        ctx.rect(x - s * 0.6, y - s * 0.6, s * 1.2, s * 1.2);
        break;
      case 'dot':
      case 'ring':
      case 'receive':
        ctx.moveTo(x + s * 0.8, y);
        ctx.arc(x, y, s * 0.8, 0, Math.PI * 2);
        break;
      case 'gap':
      case 'none':
        break;
    }
  }
  ctx.lineWidth = glyph === 'cross' ? 2.2 : 1.5;
  if (glyph === 'cross' || glyph === 'ring') {
    ctx.strokeStyle = colour;
    ctx.stroke();
    return;
  }
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.strokeStyle = BG;
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** Rows of the same domain (its task rows too): its first top and last bottom (trace gaps span the whole domain). */
function domainSpan(layout: LaneLayout, domain: number): { top: number; bottom: number } {
  let top = Infinity;
  let bottom = -Infinity;
  for (const row of [...layout.rows, ...layout.tasks]) {
    if (row.domain !== domain) continue;
    top = Math.min(top, row.top);
    bottom = Math.max(bottom, row.top + row.height);
  }
  return { top, bottom };
}

const batches = new Batches();

/**
 * The aggregated marks: per lane, runs of equal style become one bar; glyphs where there is room
 * (always for problems and transitions, otherwise where the lane is sparse); the `to` state of a
 * transition when its label fits. The future layer first, dimmed, then the past on top.
 */
export function drawMarks(
  ctx: CanvasRenderingContext2D,
  g: Geometry,
  agg: Aggregation,
  table: TraceTable,
  /** Messages in one colour (too many to tell apart). */
  neutral: boolean,
): void {
  const labels: { x: number; y: number; text: string }[] = [];
  for (const layer of [1, 0] as const) {
    ctx.globalAlpha = layer === 1 ? FUTURE_ALPHA : 1;
    const gaps: { x: number; w: number; domain: number }[] = [];
    for (const row of g.layout.rows) {
      if (row.lane >= agg.lanes) continue;
      const base = (layer * agg.lanes + row.lane) * agg.columns;
      const cy = row.top + row.height / 2;
      const size = Math.min(5, row.height * 0.2);
      let lastGlyph = -Infinity;
      let labelEnd = -Infinity;
      let run: MarkStyle | null = null;
      let runStart = 0;
      const flush = (end: number) => {
        if (!run) return;
        if (run.glyph === 'gap')
          gaps.push({ x: g.plotLeft + runStart - 1, w: Math.max(4, end - runStart + 2), domain: row.domain });
        else {
          const h = Math.max(2, row.height * run.bar * 2);
          batches.rect(run.colour, g.plotLeft + runStart, cy - h / 2, Math.max(1, end - runStart), h);
        }
        run = null;
      };
      for (let c = 0; c < agg.columns; c++) {
        const r = agg.rank[base + c] ?? 0;
        if (r === 0) {
          flush(c);
          continue;
        }
        const i = agg.index[base + c] ?? 0;
        const st = markStyle(r - 1, table.kind[i] ?? 0, table.msgId[i] ?? NaN, neutral);
        if (st !== run) {
          flush(c);
          run = st;
          runStart = c;
        }
        if (st.glyph === 'none' || st.glyph === 'gap' || c - lastGlyph < GLYPH_SPACING || row.collapsed) continue;
        if (!st.important && !sparse(agg, base, c)) continue;
        const x = g.plotLeft + c + 0.5;
        batches.glyph(st.glyph, st.colour, x, cy, size);
        lastGlyph = c;
        if (st.glyph === 'diamond' && layer === 0 && row.height >= LANE_HEIGHT && x > labelEnd) {
          const e = table.event(i);
          const width = e?.kind === 'transition' ? e.to.length * LABEL_CHAR + size + 10 : 0;
          if (e?.kind === 'transition' && clearAhead(agg, row.lane, c, width)) {
            labels.push({ x: x + size + 3, y: cy, text: e.to });
            labelEnd = x + width;
          }
        }
      }
      flush(agg.columns);
    }
    for (const gap of gaps) {
      const span = domainSpan(g.layout, gap.domain);
      // A trace gap: records lost, so the whole domain is uncertain here.
      ctx.fillStyle = 'rgba(239, 68, 68, 0.3)';
      ctx.fillRect(gap.x, span.top, gap.w, span.bottom - span.top);
      batches.rect(PROBLEM_COLOUR, gap.x, span.top, 1, span.bottom - span.top);
      batches.rect(PROBLEM_COLOUR, gap.x + gap.w - 1, span.top, 1, span.bottom - span.top);
    }
    batches.flush(ctx);
  }
  ctx.globalAlpha = 1;
  drawLabels(ctx, labels, g.plotRight);
}

/** No mark in either layer of `lane` in the `width` columns after `c` (room for a label). */
function clearAhead(agg: Aggregation, lane: number, c: number, width: number): boolean {
  const end = Math.min(agg.columns, c + Math.ceil(width));
  for (const layer of [0, 1]) {
    const base = (layer * agg.lanes + lane) * agg.columns;
    for (let k = c + 1; k < end; k++) if ((agg.rank[base + k] ?? 0) !== 0) return false;
  }
  return true;
}

/** No other mark within 3 columns either side. */
function sparse(agg: Aggregation, base: number, c: number): boolean {
  for (let d = -3; d <= 3; d++) {
    if (d === 0 || c + d < 0 || c + d >= agg.columns) continue;
    if ((agg.rank[base + c + d] ?? 0) !== 0) return false;
  }
  return true;
}

function drawLabels(
  ctx: CanvasRenderingContext2D,
  labels: readonly { x: number; y: number; text: string }[],
  right: number,
) {
  ctx.font = SMALL_FONT;
  ctx.textBaseline = 'middle';
  for (const label of labels) {
    const w = ctx.measureText(label.text).width + 6;
    if (label.x + w > right) continue;
    ctx.fillStyle = 'rgba(15, 20, 27, 0.85)';
    ctx.fillRect(label.x, label.y - 7, w, 14);
    ctx.fillStyle = '#e9d5ff';
    ctx.fillText(label.text, label.x + 3, label.y);
  }
}
