/**
 * What the timeline draws over the marks: message arrows (send lane → receive lane, clipped to
 * the plot with a stub at the edge), and the rings that highlight the selected and hovered events
 * and messages. Returns the arrows as drawn, for hit testing.
 *
 * An arrow whose send is in the recorded future is dimmed; one in flight at the cursor (sent,
 * not yet read) is dashed; a send never read gets a short hollow stub. An arrow between two
 * events of the same lane is an arc above the lane (arrows.ts), clipped to the plot by the
 * canvas rather than by arithmetic.
 *
 * A channel event sits on its task's row (lanes.ts `tasks`) when the layout has one, so a
 * synchronous message runs from the sender's row to the receiver's; a channel reply is dashed
 * (long dashes), as the QNX System Profiler draws MsgReply.
 */
import { taskKey } from '../../debug/channelActivity';
import { kindIndex, LANES_PER_DOMAIN, type TraceTable } from '../../trace/TraceTable';
import { messageColour, SELECTION_COLOUR } from '../../theme/colours';
import { type Arrow, arcLift, clipSegment, type Clipped, distanceToArc, distanceToSegment } from './arrows';
import { FUTURE_ALPHA, type Geometry, xOf } from './draw';

/** An arrow as drawn (clipped to the plot), for hit testing. */
export interface DrawnArrow extends Clipped {
  readonly msgId: number;
  readonly send: number;
  readonly receive: number;
  /** 0: a straight segment; else an arc (ends unclipped) peaking this many pixels above its ends. */
  readonly lift: number;
  /** A channel reply (dashed). */
  readonly reply: boolean;
}

export interface Highlights {
  readonly cursor: number;
  readonly selectedIndex: number;
  readonly selectedMsg: number | null;
  readonly hoverIndex: number;
  readonly hoverMsg: number | null;
}

const HEAD = 6;
const UNREAD_STUB = 14;

const CHANNEL = kindIndex('channel');

/**
 * The row an event is drawn on: a channel event's task row when the layout has one, else its
 * lane's row; undefined when neither exists.
 */
export function rowOf(g: Geometry, table: TraceTable, index: number): { top: number; height: number } | undefined {
  if (g.layout.tasks.length > 0 && table.kind[index] === CHANNEL) {
    const e = table.event(index);
    if (e?.kind === 'channel') {
      const row = g.layout.taskByKey.get(taskKey(Math.floor((table.lane[index] ?? 0) / LANES_PER_DOMAIN), e.task));
      if (row) return row;
    }
  }
  return g.layout.rows[table.lane[index] ?? -1];
}

/** Centre of the event's mark, or null when it has no row. */
export function positionOf(g: Geometry, table: TraceTable, index: number): { x: number; y: number } | null {
  const row = rowOf(g, table, index);
  if (!row) return null;
  return { x: xOf(g, table.t[index] ?? 0), y: row.top + row.height / 2 };
}

/** A channel reply (`op: 'reply'`): drawn dashed, as the QNX System Profiler draws MsgReply. */
export function isReply(table: TraceTable, index: number): boolean {
  if (index < 0 || table.kind[index] !== CHANNEL) return false;
  const e = table.event(index);
  return e?.kind === 'channel' && e.op === 'reply';
}

function head(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number): void {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  ctx.moveTo(x2, y2);
  ctx.lineTo(x2 - HEAD * Math.cos(angle - 0.45), y2 - HEAD * Math.sin(angle - 0.45));
  ctx.lineTo(x2 - HEAD * Math.cos(angle + 0.45), y2 - HEAD * Math.sin(angle + 0.45));
  ctx.closePath();
}

type ArrowState = 'past' | 'flight' | 'future';

export function drawArrows(
  ctx: CanvasRenderingContext2D,
  g: Geometry,
  table: TraceTable,
  arrows: readonly Arrow[],
  h: Highlights,
): DrawnArrow[] {
  const drawn: DrawnArrow[] = [];
  const groups = new Map<string, { colour: string; state: ArrowState; reply: boolean; items: DrawnArrow[] }>();
  const stubs: { x: number; y: number; colour: string; future: boolean }[] = [];
  for (const arrow of arrows) {
    const from = arrow.send >= 0 ? positionOf(g, table, arrow.send) : null;
    const to = arrow.receive >= 0 ? positionOf(g, table, arrow.receive) : null;
    const colour = messageColour(arrow.msgId);
    if (!to) {
      if (from && from.x >= g.plotLeft && from.x <= g.plotRight) {
        stubs.push({ x: from.x, y: from.y, colour, future: arrow.send >= h.cursor });
      }
      continue;
    }
    // An evicted send: the arrow comes in from the left edge.
    const start = from ?? { x: g.plotLeft - 1e6, y: to.y };
    const clipped = clipSegment(start.x, start.y, to.x, to.y, g.plotLeft, g.plotRight);
    if (!clipped) continue;
    const state: ArrowState = arrow.send >= h.cursor ? 'future' : arrow.receive >= h.cursor ? 'flight' : 'past';
    const reply = isReply(table, arrow.send);
    const key = `${colour}|${state}|${reply}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { colour, state, reply, items: [] }));
    const row = from && from.y === to.y ? rowOf(g, table, arrow.receive) : undefined;
    const ends = row && from ? { ...clipped, x1: from.x, y1: from.y, x2: to.x, y2: to.y } : clipped;
    const lift = row && from ? arcLift(to.x - from.x, row.height) : 0;
    const item = { msgId: arrow.msgId, send: arrow.send, receive: arrow.receive, ...ends, lift, reply };
    group.items.push(item);
    drawn.push(item);
  }
  // Arcs keep their real ends: the plot clips them.
  ctx.save();
  ctx.beginPath();
  ctx.rect(g.plotLeft, g.axisHeight, g.plotRight - g.plotLeft, g.height - g.axisHeight);
  ctx.clip();
  for (const msgId of [h.hoverMsg, h.selectedMsg]) {
    if (msgId === null) continue;
    const item = drawn.find((a) => a.msgId === msgId);
    if (!item) continue;
    ctx.strokeStyle = msgId === h.selectedMsg ? SELECTION_COLOUR : 'rgba(255, 255, 255, 0.6)';
    ctx.lineWidth = 4;
    ctx.globalAlpha = 0.8;
    ctx.beginPath();
    trace(ctx, item);
    ctx.stroke();
  }
  for (const group of groups.values()) {
    ctx.globalAlpha = group.state === 'future' ? FUTURE_ALPHA : 0.9;
    ctx.strokeStyle = group.colour;
    ctx.fillStyle = group.colour;
    ctx.lineWidth = 1.25;
    ctx.setLineDash(dashOf(group.state, group.reply));
    ctx.beginPath();
    for (const a of group.items) trace(ctx, a);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const a of group.items) {
      if (Math.hypot(a.x2 - a.x1, a.y2 - a.y1) < 2) continue;
      // An arc's head points along its tangent at the end: from its control point.
      if (a.lift > 0) head(ctx, (a.x1 + a.x2) / 2, (a.y1 + a.y2) / 2 - 2 * a.lift, a.x2, a.y2);
      else head(ctx, a.x1, a.y1, a.x2, a.y2);
      // A cut start: a short bar at the edge says "comes from off screen".
      if (a.startClipped && a.lift === 0) ctx.rect(a.x1 - (a.x1 <= g.plotLeft ? 0 : 2), a.y1 - 3, 2, 6);
    }
    ctx.fill();
  }
  ctx.restore();
  for (const stub of stubs) {
    ctx.globalAlpha = stub.future ? FUTURE_ALPHA : 0.9;
    ctx.strokeStyle = stub.colour;
    ctx.lineWidth = 1.25;
    ctx.setLineDash([2, 2]);
    ctx.beginPath();
    ctx.moveTo(stub.x, stub.y);
    ctx.lineTo(stub.x + UNREAD_STUB, stub.y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.beginPath();
    head(ctx, stub.x, stub.y, stub.x + UNREAD_STUB, stub.y);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  return drawn;
}

/**
 * A message in flight at the cursor is dashed; a reply is dashed with longer dashes, and dotted
 * while in flight, so both stay told apart.
 */
function dashOf(state: ArrowState, reply: boolean): number[] {
  if (reply) return state === 'flight' ? [1.5, 2.5] : [6, 3];
  return state === 'flight' ? [4, 3] : [];
}

/** Adds the arrow's line (a segment or an arc) to the current path. */
function trace(ctx: CanvasRenderingContext2D, a: DrawnArrow): void {
  ctx.moveTo(a.x1, a.y1);
  if (a.lift > 0) ctx.quadraticCurveTo((a.x1 + a.x2) / 2, (a.y1 + a.y2) / 2 - 2 * a.lift, a.x2, a.y2);
  else ctx.lineTo(a.x2, a.y2);
}

/** Rings around the selected and hovered events (and both ends of the selected message). */
export function drawHighlights(
  ctx: CanvasRenderingContext2D,
  g: Geometry,
  table: TraceTable,
  h: Highlights,
  ends: (msgId: number) => readonly number[],
): void {
  const ring = (index: number, colour: string, radius: number) => {
    if (index < 0) return;
    const p = positionOf(g, table, index);
    if (!p || p.x < g.plotLeft - radius || p.x > g.plotRight + radius) return;
    ctx.strokeStyle = colour;
    ctx.beginPath();
    ctx.arc(p.x, p.y, radius, 0, Math.PI * 2);
    ctx.stroke();
  };
  ctx.lineWidth = 2;
  if (h.hoverMsg !== null) for (const i of ends(h.hoverMsg)) ring(i, 'rgba(255, 255, 255, 0.55)', 7);
  ring(h.hoverIndex, 'rgba(255, 255, 255, 0.8)', 8);
  if (h.selectedMsg !== null) for (const i of ends(h.selectedMsg)) ring(i, SELECTION_COLOUR, 7);
  ring(h.selectedIndex, SELECTION_COLOUR, 9);
}

/** Distance from a point to a drawn arrow, in pixels. */
export function distanceToArrow(a: DrawnArrow, x: number, y: number): number {
  if (a.lift > 0) return distanceToArc(a.x1, a.y1, a.x2, a.y2, a.lift, x, y);
  return distanceToSegment(a.x1, a.y1, a.x2, a.y2, x, y);
}
