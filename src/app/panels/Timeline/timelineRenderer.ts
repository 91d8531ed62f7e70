/**
 * The timeline's canvas controller (DESIGN.md §5: D3 and canvas behind a small controller with
 * `update` and `destroy`, owned by one React effect). Framework-free: the benchmark drives the
 * same class without React.
 *
 * `update(model)` schedules one draw on the next animation frame (many updates in a frame cost
 * one draw); `renderNow()` draws at once. A frame: sync the incremental trace index, aggregate
 * the visible index range into one mark per lane and pixel column (cached until the trace, the
 * cursor, the window or the size changes), then draw chrome, marks, arrows, highlights, cursor.
 *
 * Input (pointer on the canvas, keys on the host, which must be focusable) is turned into
 * callbacks; the window itself lives in the store, so this class never changes it on its own.
 *
 * Over 400 lines on purpose: drawing and hit testing share the geometry and the layers drawn in
 * one frame (marks, arrows, fault bands, blocked-send bands, channel task rows, violation marks);
 * the drawing of each layer lives in its own module (draw, arrows, faultBands, blockedBands,
 * taskLanes and drawTaskLanes).
 */
import type { TraceTable } from '../../trace/TraceTable';
import type { Viewport } from '../../store/viewSlice';
import { AggregateBuffers, type Aggregation, aggregate, pickCell } from './aggregate';
import { ChannelActivity } from '../../debug/channelActivity';
import { PortActivity } from '../../debug/portActivity';
import { pairArrows } from './arrows';
import { blockAt, blocksOf, type DrawnBlock, drawBlockedBands } from './blockedBands';
import { drawChrome, drawCursor, drawEvicted, drawHint, type Geometry, hintWidth, xOf } from './draw';
import { drawMarks } from './drawMarks';
import { distanceToArrow, type DrawnArrow, drawArrows, drawHighlights, type Highlights } from './drawOverlay';
import { bandAt, bandsOf, type DrawnBand, drawFaultBands, drawFaultTags, FaultMarks } from './faultBands';
import { layoutLanes, rowAt } from './lanes';
import { drawTaskLanes } from './drawTaskLanes';
import { NO_TASK_LANES, taskBarAt, type TaskLanes, TaskLanesCache, taskMarkAt } from './taskLanes';
import { taskLanesDataset, taskRowSpecs, updateDataset } from './taskRows';
import { TraceIndex } from './traceIndex';
import { fitOf, fitViewport, panBy, timeTicks, zoomAround } from './viewport';

export interface TimelineModel {
  readonly table: TraceTable | null;
  /** Events [0, cursor) have happened; the rest is the recorded future, drawn dimmed. */
  readonly cursor: number;
  readonly cursorTimeNs: number | null;
  /** null: fit the whole trace. */
  readonly viewport: Viewport | null;
  readonly selectedSeq: number | null;
  readonly selectedMsg: number | null;
  readonly hoverSeq: number | null;
  readonly hoverMsg: number | null;
  /** Table indices where the invariant checker found a violation (drawn as marks under the axis). */
  readonly violations?: readonly number[];
}

export type TimelineHit =
  | { readonly kind: 'event'; readonly index: number }
  | { readonly kind: 'message'; readonly msgId: number; readonly send: number; readonly receive: number }
  | { readonly kind: 'time'; readonly ns: number };

export interface TimelineCallbacks {
  readonly onViewport: (viewport: Viewport | null) => void;
  readonly onClick: (hit: TimelineHit) => void;
  /** `clientX`, `clientY`: where the pointer is, for a tooltip. */
  readonly onHover: (hit: TimelineHit | null, clientX: number, clientY: number) => void;
}

export interface DrawStats {
  /** Events inside the window. */
  readonly visible: number;
  readonly arrows: number;
  /** The aggregation was recomputed (not served from the cache). */
  readonly aggregated: boolean;
}

export const GUTTER = 132;
export const AXIS_HEIGHT = 24;
const RIGHT_PAD = 12;
const BOTTOM_PAD = 6;
const EMPTY_HEIGHT = 96;
/** Zoom per keypress / per wheel pixel; pan per keypress as a fraction of the window. */
const KEY_ZOOM = 0.8;
const WHEEL_ZOOM = 0.0015;
const KEY_PAN = 0.15;

const EMPTY_MODEL: TimelineModel = {
  table: null,
  cursor: 0,
  cursorTimeNs: null,
  viewport: null,
  selectedSeq: null,
  selectedMsg: null,
  hoverSeq: null,
  hoverMsg: null,
};

export class TimelineRenderer {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly index = new TraceIndex();
  private readonly faultMarks = new FaultMarks();
  /** The fault bands as drawn, for hit testing. */
  private bands: DrawnBand[] = [];
  /** libipc tasks blocked on a full queue, and their bands as drawn (for hit testing). */
  private readonly portActivity = new PortActivity();
  private blocks: DrawnBlock[] = [];
  /** Synchronous-channel tasks, and their rows' bars and marks as drawn (for hit testing). */
  private readonly channelActivity = new ChannelActivity();
  private readonly taskLanesCache = new TaskLanesCache();
  private taskLanes: TaskLanes = NO_TASK_LANES;
  private violationXs: readonly { readonly x: number; readonly index: number }[] = [];
  private readonly buffers = new AggregateBuffers();
  private model = EMPTY_MODEL;
  private agg: Aggregation | null = null;
  private aggKey = '';
  private aggTable: TraceTable | null = null;
  private fresh = false;
  private geometry: Geometry | null = null;
  private drawn: DrawnArrow[] = [];
  private frame = 0;
  private drag: { x: number; view: Viewport; moved: boolean } | null = null;
  private pointer: { x: number; y: number } | null = null;
  private readonly observer: ResizeObserver;
  private readonly detach: () => void;

  constructor(
    private readonly host: HTMLElement,
    private readonly callbacks: TimelineCallbacks,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('aria-hidden', 'true');
    host.appendChild(this.canvas);
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    this.observer = new ResizeObserver(() => this.schedule());
    this.observer.observe(host);
    this.detach = this.listen();
  }

  update(model: TimelineModel): void {
    this.model = model;
    this.schedule();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
    this.detach();
    this.canvas.remove();
  }

  /** The window drawn: the model's, or the whole trace. */
  view(): Viewport {
    return this.model.viewport ?? this.fit();
  }

  /** The window that fits everything held (and the cursor). */
  fit(): Viewport {
    const { table } = this.model;
    const cursor = this.model.cursorTimeNs ?? (table && table.length > 0 ? (table.t[table.length - 1] ?? 0) : 0);
    return table ? fitOf(table, cursor) : fitViewport(0, 0, cursor);
  }

  renderNow(): DrawStats {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const { table } = this.model;
    if (table) {
      this.index.sync(table);
      this.channelActivity.sync(table);
    }
    const g = this.layout(table);
    this.geometry = g;
    this.size(g.width, g.height);
    const ctx = this.ctx;
    const view = { startNs: g.startNs, endNs: g.endNs };
    const plotWidth = g.plotRight - g.plotLeft;
    const agg = table && table.length > 0 ? this.aggregateView(table, g) : null;
    const dense = agg !== null && agg.ends > agg.arrowEnds.length;
    const hint = dense ? `${agg.ends.toLocaleString('en-US')} message ends: zoom in for arrows` : null;
    const ticks = timeTicks(view, Math.max(2, Math.floor(plotWidth / 110)));
    drawChrome(ctx, g, ticks, this.model.cursorTimeNs, hintWidth(ctx, hint));
    if (hint !== null) drawHint(ctx, g, hint);
    this.drawn = [];
    this.blocks = [];
    this.taskLanes = NO_TASK_LANES;
    this.bands = table ? bandsOf(g, table, this.faultMarks.sync(table), this.model.cursor) : [];
    // What was drawn, for tests and tools: the ids of the fault bands in the window.
    this.host.dataset['faultBands'] = [...new Set(this.bands.map((b) => b.id))].join(' ');
    if (!table || !agg) {
      this.agg = null;
      updateDataset(this.host, taskLanesDataset(g, table, NO_TASK_LANES, [], this.channelActivity));
      ctx.fillStyle = '#8b97a6';
      ctx.font = '13px system-ui, sans-serif';
      ctx.fillText('No events yet: run the scenario to fill the timeline.', g.plotLeft + 16, AXIS_HEIGHT + 34);
      return { visible: 0, arrows: 0, aggregated: false };
    }
    drawEvicted(ctx, g, table.t[0] ?? 0, table.evicted);
    drawFaultBands(ctx, g, this.bands);
    this.blocks = blocksOf(g, table, this.portActivity.sync(table).spans(), this.model.cursor);
    this.host.dataset['blockedBands'] = String(this.blocks.length);
    drawBlockedBands(ctx, this.blocks);
    drawMarks(ctx, g, agg, table, dense);
    this.taskLanes = this.taskLanesCache.of(g, table, this.channelActivity, this.model.cursor, this.model.cursorTimeNs);
    drawTaskLanes(ctx, g, this.taskLanes);
    const highlights = this.highlights(table);
    const arrows = dense ? [] : pairArrows(agg.arrowEnds, table, (id) => this.index.message(id));
    this.drawn = drawArrows(ctx, g, table, arrows, highlights);
    updateDataset(this.host, taskLanesDataset(g, table, this.taskLanes, this.drawn, this.channelActivity));
    drawHighlights(ctx, g, table, highlights, (id) => {
      const ends = this.index.message(id);
      return [ends.send, ends.receive];
    });
    drawFaultTags(ctx, g, this.bands);
    this.violationXs = drawViolationMarks(ctx, g, table, this.model.violations ?? []);
    this.host.dataset['violations'] = String(this.violationXs.length);
    if (this.model.cursorTimeNs !== null) drawCursor(ctx, g, this.model.cursorTimeNs);
    return { visible: agg.visible, arrows: arrows.length, aggregated: this.fresh };
  }

  /** What is under a point (CSS pixels from the host's top left), or null (the label gutter). */
  hitAt(x: number, y: number): TimelineHit | null {
    const g = this.geometry;
    if (!g || x < g.plotLeft || x > g.plotRight) return null;
    const ns = g.startNs + ((x - g.plotLeft) * (g.endNs - g.startNs)) / (g.plotRight - g.plotLeft);
    const row = y >= AXIS_HEIGHT ? rowAt(g.layout, y) : null;
    // A violation's mark, just under the axis on the right of a fault tag, goes to its event.
    if (y >= AXIS_HEIGHT && y < AXIS_HEIGHT + 10) {
      const mark = this.violationXs.find((v) => Math.abs(v.x - x) <= 4);
      if (mark) return { kind: 'event', index: mark.index };
    }
    // A fault's tag, just under the axis, names its band.
    const band = bandAt(this.bands, x);
    if (band && y >= AXIS_HEIGHT && y < AXIS_HEIGHT + 16) return { kind: 'event', index: band.index };
    if (row && this.agg) {
      const index = pickCell(this.agg, row.lane, x - g.plotLeft, 4);
      if (index >= 0) return { kind: 'event', index };
    }
    const taskMark = taskMarkAt(this.taskLanes, x, y);
    if (taskMark) return { kind: 'event', index: taskMark.index };
    let best: DrawnArrow | null = null;
    let bestDistance = 4;
    for (const a of this.drawn) {
      const d = distanceToArrow(a, x, y);
      if (d < bestDistance) [best, bestDistance] = [a, d];
    }
    if (best) return { kind: 'message', msgId: best.msgId, send: best.send, receive: best.receive };
    const block = blockAt(this.blocks, x, y);
    if (block) return { kind: 'event', index: block.span.start };
    const bar = taskBarAt(this.taskLanes, x, y);
    if (bar && bar.index >= 0) return { kind: 'event', index: bar.index };
    if (band && y >= AXIS_HEIGHT) return { kind: 'event', index: band.index };
    return { kind: 'time', ns };
  }

  private schedule(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.renderNow());
  }

  private layout(table: TraceTable | null): Geometry {
    const width = Math.max(GUTTER + 120, this.host.clientWidth);
    const tasks = table ? taskRowSpecs(this.channelActivity, table.domains.length, this.model.cursor) : [];
    const layout = layoutLanes(
      table?.domains ?? [],
      (lane) => this.index.count(lane),
      AXIS_HEIGHT,
      (domain) => tasks[domain] ?? [],
    );
    const height = AXIS_HEIGHT + Math.max(layout.height, EMPTY_HEIGHT - AXIS_HEIGHT) + BOTTOM_PAD;
    const v = this.view();
    return {
      width,
      height,
      plotLeft: GUTTER,
      plotRight: width - RIGHT_PAD,
      axisHeight: AXIS_HEIGHT,
      layout,
      startNs: v.startNs,
      endNs: v.endNs,
    };
  }

  private size(width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  /** The aggregation of the window, recomputed only when its inputs changed (`fresh` says so). */
  private aggregateView(table: TraceTable, g: Geometry): Aggregation {
    const columns = Math.floor(g.plotRight - g.plotLeft);
    const lanes = g.layout.rows.length;
    const { cursor } = this.model;
    const key = `${table.revision}|${table.length}|${cursor}|${g.startNs}|${g.endNs}|${columns}|${lanes}`;
    this.fresh = !(this.agg && key === this.aggKey && table === this.aggTable);
    if (!this.fresh && this.agg) return this.agg;
    const from = table.indexAtTime(g.startNs - table.tSlackNs);
    const to = table.indexAtTime(g.endNs + table.tSlackNs);
    const arrowCap = Math.min(4000, Math.max(100, columns));
    this.agg = aggregate(
      table,
      { from, to, split: cursor, startNs: g.startNs, endNs: g.endNs, columns, lanes, arrowCap },
      this.buffers,
    );
    this.aggKey = key;
    this.aggTable = table;
    return this.agg;
  }

  private highlights(table: TraceTable): Highlights {
    const m = this.model;
    return {
      cursor: m.cursor,
      selectedIndex: m.selectedSeq === null ? -1 : table.indexOfSeq(m.selectedSeq),
      selectedMsg: m.selectedMsg,
      hoverIndex: m.hoverSeq === null ? -1 : table.indexOfSeq(m.hoverSeq),
      hoverMsg: m.hoverMsg,
    };
  }

  private local(e: { clientX: number; clientY: number }): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private timeAt(x: number): number {
    const g = this.geometry;
    const v = this.view();
    if (!g) return (v.startNs + v.endNs) / 2;
    return v.startNs + ((x - g.plotLeft) * (v.endNs - v.startNs)) / (g.plotRight - g.plotLeft);
  }

  private listen(): () => void {
    const c = this.canvas;
    const nsPerPx = () => {
      const g = this.geometry;
      const v = this.view();
      return g ? (v.endNs - v.startNs) / (g.plotRight - g.plotLeft) : 1;
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, view: this.view(), moved: false };
      c.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      const p = this.local(e);
      this.pointer = p;
      const drag = this.drag;
      if (drag) {
        const dx = e.clientX - drag.x;
        if (Math.abs(dx) > 3 && !drag.moved) {
          drag.moved = true;
          this.callbacks.onHover(null, e.clientX, e.clientY);
        }
        if (drag.moved) {
          c.style.cursor = 'grabbing';
          this.callbacks.onViewport(panBy(drag.view, -dx * nsPerPx(), this.fit()));
          return;
        }
      }
      const hit = this.hitAt(p.x, p.y);
      c.style.cursor = hit?.kind === 'event' || hit?.kind === 'message' ? 'pointer' : 'crosshair';
      this.callbacks.onHover(hit, e.clientX, e.clientY);
    };
    const up = (e: PointerEvent) => {
      const drag = this.drag;
      this.drag = null;
      c.style.cursor = '';
      if (!drag || drag.moved) return;
      const p = this.local(e);
      const hit = this.hitAt(p.x, p.y);
      if (hit) this.callbacks.onClick(hit);
    };
    const leave = () => {
      this.pointer = null;
      this.callbacks.onHover(null, 0, 0);
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const v = this.view();
      const px = e.deltaMode === 1 ? 16 : 1;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const delta = (e.shiftKey ? e.deltaY : e.deltaX) * px;
        this.callbacks.onViewport(panBy(v, delta * nsPerPx(), this.fit()));
        return;
      }
      const factor = Math.exp(e.deltaY * px * WHEEL_ZOOM * (e.ctrlKey ? 4 : 1));
      this.callbacks.onViewport(zoomAround(v, factor, this.timeAt(this.local(e).x), this.fit()));
    };
    const dblclick = () => this.callbacks.onViewport(null);
    const key = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const v = this.view();
      const span = v.endNs - v.startNs;
      const anchor = this.pointer ? this.timeAt(this.pointer.x) : (v.startNs + v.endNs) / 2;
      let next: Viewport | null;
      switch (e.key) {
        case 'w':
        case 'W':
        case '+':
        case '=':
          next = zoomAround(v, KEY_ZOOM, anchor, this.fit());
          break;
        case 's':
        case 'S':
        case '-':
        case '_':
          next = zoomAround(v, 1 / KEY_ZOOM, anchor, this.fit());
          break;
        case 'a':
        case 'A':
        case 'ArrowLeft':
          next = panBy(v, -span * KEY_PAN, this.fit());
          break;
        case 'd':
        case 'D':
        case 'ArrowRight':
          next = panBy(v, span * KEY_PAN, this.fit());
          break;
        case '0':
          next = null;
          break;
        default:
          return;
      }
      e.preventDefault();
      this.callbacks.onViewport(next);
    };
    c.addEventListener('pointerdown', down);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up);
    c.addEventListener('pointerleave', leave);
    c.addEventListener('wheel', wheel, { passive: false });
    c.addEventListener('dblclick', dblclick);
    this.host.addEventListener('keydown', key);
    return () => {
      c.removeEventListener('pointerdown', down);
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerup', up);
      c.removeEventListener('pointerleave', leave);
      c.removeEventListener('wheel', wheel);
      c.removeEventListener('dblclick', dblclick);
      this.host.removeEventListener('keydown', key);
    };
  }
}

/**
 * Where the invariant checker found a violation: a small red triangle under the axis at the
 * event's time (one per pixel column). Returns the marks drawn, for hit testing.
 */
function drawViolationMarks(
  ctx: CanvasRenderingContext2D,
  g: Geometry,
  table: TraceTable,
  indices: readonly number[],
): { x: number; index: number }[] {
  const drawn: { x: number; index: number }[] = [];
  const seen = new Set<number>();
  ctx.fillStyle = '#f87171';
  for (const index of indices) {
    const t = table.t[index];
    if (t === undefined || t < g.startNs || t > g.endNs) continue;
    const x = Math.round(xOf(g, t));
    if (seen.has(x)) continue;
    seen.add(x);
    drawn.push({ x, index });
    ctx.beginPath();
    ctx.moveTo(x - 4, AXIS_HEIGHT + 1);
    ctx.lineTo(x + 4, AXIS_HEIGHT + 1);
    ctx.lineTo(x, AXIS_HEIGHT + 8);
    ctx.closePath();
    ctx.fill();
  }
  return drawn;
}
