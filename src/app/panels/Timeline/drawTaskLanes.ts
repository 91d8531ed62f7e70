/**
 * Canvas drawing of the channel task rows (taskLanes.ts works out what to draw): the state bars,
 * batched by colour, the past then the dimmed future (the part after the time cursor); a label
 * in each bar where it fits (`SEND → kv`, `REPLY ← kv`, `RECV kv`, `RUN`, `NOTIF`, …), past the
 * marks; then the marks, each with a dark outline so it stays visible on any bar.
 */
import type { TaskState } from '../../debug/channelActivity';
import { channelStateColour } from '../../theme/colours';
import { BG, FUTURE_ALPHA, type Geometry, SMALL_FONT } from './draw';
import { type DrawnBar, type DrawnTaskMark, MARK_SIZE, type TaskLanes } from './taskLanes';

/** Width of a label character (10 px monospace), for fitting labels before measuring them. */
const LABEL_CHAR = 6.1;

/** The label of a state in a bar: the long form when it fits, else the short one. */
export function stateLabel(s: TaskState): { long: string; short: string } {
  const peer = s.peer ?? '';
  switch (s.state) {
    case 'RUNNING':
      return { long: 'RUN', short: 'RUN' };
    case 'SEND_BLOCKED':
      return { long: peer ? `SEND → ${peer}` : 'SEND', short: 'SEND' };
    case 'REPLY_BLOCKED':
      return { long: peer ? `REPLY ← ${peer}` : 'REPLY', short: 'REPLY' };
    case 'RECEIVE_BLOCKED':
      return { long: peer ? `RECV ${peer}` : 'RECV', short: 'RECV' };
    case 'NOTIFICATION_WAIT':
      // Waiting on the timer's bit alone is a sleep (Hubris `sys_recv` on the timer notification).
      return peer === 'timer' ? { long: 'SLEEP', short: 'SLEEP' } : { long: 'NOTIF', short: 'NOTIF' };
    default:
      return { long: s.state, short: s.state };
  }
}

/** Relative luminance of a `#rrggbb` colour (0 black … 1 white). */
function luminance(hex: string): number {
  const v = Number.parseInt(hex.slice(1, 7), 16);
  if (!Number.isFinite(v)) return 0;
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin((v >> 16) & 255) + 0.7152 * lin((v >> 8) & 255) + 0.0722 * lin(v & 255);
}

const textColours = new Map<string, string>();
/** Dark text on a light bar, light text on a dark one. */
function textOn(colour: string): string {
  let text = textColours.get(colour);
  if (text === undefined) textColours.set(colour, (text = luminance(colour) > 0.18 ? '#0d1117' : '#e6edf3'));
  return text;
}

/** The bars (batched by colour, the past then the dimmed future), their labels, then the marks. */
export function drawTaskLanes(ctx: CanvasRenderingContext2D, g: Geometry, lanes: TaskLanes): void {
  if (lanes.bars.length === 0 && lanes.marks.length === 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(g.plotLeft, g.axisHeight, g.plotRight - g.plotLeft, g.height - g.axisHeight);
  ctx.clip();
  const past = new Map<string, number[]>();
  const future = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, colour: string, x1: number, x2: number, top: number, bottom: number) => {
    if (x2 <= x1) return;
    let list = map.get(colour);
    if (!list) map.set(colour, (list = []));
    list.push(x1, top, x2 - x1, bottom - top);
  };
  for (const b of lanes.bars) {
    const colour = channelStateColour(b.state.state);
    // A hairline gap at the end of a wide bar, so two bars of one colour stay two.
    const end = b.x2 - b.x1 > 4 ? b.x2 - 1 : b.x2;
    add(past, colour, b.x1, Math.min(end, b.futureX), b.top, b.bottom);
    add(future, colour, Math.max(b.x1, b.futureX), end, b.top, b.bottom);
  }
  for (const [map, alpha] of [
    [past, 1],
    [future, FUTURE_ALPHA],
  ] as const) {
    ctx.globalAlpha = alpha;
    for (const [colour, list] of map) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let k = 0; k < list.length; k += 4)
        ctx.rect(list[k] ?? 0, list[k + 1] ?? 0, list[k + 2] ?? 0, list[k + 3] ?? 0);
      ctx.fill();
    }
  }
  drawBarLabels(ctx, lanes.bars, lanes.marks);
  drawMarks(ctx, lanes.marks);
  ctx.restore();
}

/**
 * A label in each bar where it fits: the long form, else the short one, starting past a mark at
 * the bar's start and never under a mark further in.
 */
function drawBarLabels(
  ctx: CanvasRenderingContext2D,
  bars: readonly DrawnBar[],
  marks: readonly DrawnTaskMark[],
): void {
  const xs = new Map<string, number[]>();
  for (const m of marks) {
    let list = xs.get(m.key);
    if (!list) xs.set(m.key, (list = []));
    list.push(m.x);
  }
  for (const list of xs.values()) list.sort((a, b) => a - b);
  ctx.font = SMALL_FONT;
  ctx.textBaseline = 'middle';
  for (const b of bars) {
    if (b.dense || b.x2 - b.x1 < 3 * LABEL_CHAR + 8 || b.bottom - b.top < 9) continue;
    const near = xs.get(b.key) ?? [];
    let x = b.x1 + 4;
    // Past marks at the start (a state often begins with the operation that caused it).
    for (const mx of near) if (mx >= b.x1 - MARK_SIZE - 1 && mx < x + MARK_SIZE) x = mx + MARK_SIZE + 2;
    const room = b.x2 - 4 - x;
    const { long, short } = stateLabel(b.state);
    const text = [long, short].find((t) => t.length * LABEL_CHAR <= room && clear(near, x, x + t.length * LABEL_CHAR));
    if (text === undefined || ctx.measureText(text).width > room) continue;
    ctx.globalAlpha = x >= b.futureX ? FUTURE_ALPHA + 0.15 : 1;
    ctx.fillStyle = textOn(channelStateColour(b.state.state));
    ctx.fillText(text, x, (b.top + b.bottom) / 2 + 0.5);
  }
  ctx.globalAlpha = 1;
}

/** No mark of `xs` (sorted) within a mark's size of [from, to]. */
function clear(xs: readonly number[], from: number, to: number): boolean {
  for (const x of xs) {
    if (x > to + MARK_SIZE) return true;
    if (x >= from - MARK_SIZE) return false;
  }
  return true;
}

/** The marks, one path per glyph, colour and layer (problems last, on top). */
function drawMarks(ctx: CanvasRenderingContext2D, marks: readonly DrawnTaskMark[]): void {
  const groups = new Map<string, DrawnTaskMark[]>();
  for (const m of marks) {
    const key = `${m.glyph === 'problem' ? 1 : 0}|${m.glyph}|${m.colour}|${m.future}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(m);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = BG;
  for (const key of [...groups.keys()].sort()) {
    const list = groups.get(key) ?? [];
    const first = list[0];
    if (!first) continue;
    ctx.globalAlpha = first.future ? FUTURE_ALPHA + 0.15 : 1;
    ctx.fillStyle = first.colour;
    ctx.beginPath();
    for (const m of list) glyph(ctx, m);
    ctx.fill();
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** Adds a mark's shape to the current path. */
function glyph(ctx: CanvasRenderingContext2D, m: DrawnTaskMark): void {
  const s = m.glyph === 'problem' ? MARK_SIZE + 1 : MARK_SIZE;
  switch (m.glyph) {
    case 'send':
      ctx.moveTo(m.x - s * 0.7, m.y - s);
      ctx.lineTo(m.x + s, m.y);
      ctx.lineTo(m.x - s * 0.7, m.y + s);
      ctx.closePath();
      break;
    case 'receive':
      ctx.moveTo(m.x + s * 0.85, m.y);
      ctx.arc(m.x, m.y, s * 0.85, 0, Math.PI * 2);
      break;
    case 'problem':
      ctx.moveTo(m.x, m.y - s);
      ctx.lineTo(m.x + s, m.y);
      ctx.lineTo(m.x, m.y + s);
      ctx.lineTo(m.x - s, m.y);
      ctx.closePath();
      break;
    case 'op':
      ctx.rect(m.x - s * 0.6, m.y - s * 0.6, s * 1.2, s * 1.2);
      break;
  }
}
