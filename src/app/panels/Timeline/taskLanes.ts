/**
 * What the channel task rows (lanes.ts `tasks`) show in the window, as the QNX System Profiler
 * shows a thread: its state over time as bars (one per state, from its `state` event to the
 * task's next one, ChannelActivity), and its other channel operations as marks (problems apart,
 * so none is hidden). drawTaskLanes.ts draws them; the renderer hit-tests them: a mark stands for
 * its event, a bar for the `state` event that began it.
 *
 *   cpu · task   ──■──■──■────■──■──          the domain's lane (every event, aggregated)
 *     ↳ fs       ▇RECV fs▇▇▇▇▇▇▇▇▇RUN▇●▇▇     a bar per state, ● a receive
 *     ↳ ui       ▇RUN▇▶REPLY ← fs▇▇▇▇▇▇▇▇     ▶ a send
 *
 * A state that began and ended at the same time is not drawn. Only what is in the window is
 * visited: a binary search finds each task's first state and mark in it, and where states or
 * marks are denser than the pixels (a long trace zoomed out) the walk gallops to the next pixel
 * column, so a frame costs about rows × columns × log(states per column), not the number of
 * events. A task's events are in one domain, whose clock does not go back, so its times are
 * searched as sorted.
 */
import type { ChannelActivity, ChannelTask, TaskState } from '../../debug/channelActivity';
import { TraceFlag, type TraceTable } from '../../trace/TraceTable';
import { messageColour, PROBLEM_COLOUR } from '../../theme/colours';
import { type Geometry, xOf } from './draw';

export interface DrawnBar {
  readonly key: string;
  readonly state: TaskState;
  /** Table index of the `state` event that began it; −1 when that event was evicted. */
  readonly index: number;
  readonly x1: number;
  readonly x2: number;
  readonly top: number;
  readonly bottom: number;
  /** Where the recorded future begins in the bar: x1 when all of it is after the cursor, x2 when none. */
  readonly futureX: number;
  /** Narrower than a pixel: it stands for its pixel column, and gets no label. */
  readonly dense: boolean;
}

export type TaskGlyph = 'send' | 'receive' | 'op' | 'problem';

export interface DrawnTaskMark {
  readonly key: string;
  readonly index: number;
  readonly x: number;
  readonly y: number;
  readonly glyph: TaskGlyph;
  readonly colour: string;
  readonly future: boolean;
}

export interface TaskLanes {
  readonly bars: readonly DrawnBar[];
  readonly marks: readonly DrawnTaskMark[];
}

export const NO_TASK_LANES: TaskLanes = { bars: [], marks: [] };

/** Space between a bar and its row's edges. */
const BAR_INSET = 3;
/** Least distance between two ordinary marks of a row, in px. */
const MARK_SPACING = 5;
export const MARK_SIZE = 3.5;
/** Largest cluster of close marks looked through for the one to draw. */
const CLUSTER_SCAN = 16;
/** Operations without a message id (create, get, post, restart, priority). */
const OP_COLOUR = '#d0d7de';

/** The first position in `list` (table indices, ascending) whose event is at or after `ns`. */
function bisect(table: TraceTable, list: readonly number[], ns: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((table.t[list[mid] ?? 0] ?? 0) < ns) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first position at or after `from` in `list` (table indices, ascending) whose event is at or
 * after `ns`; `list.length` when none. It gallops from `from` (1, 2, 4, … ahead) before bisecting,
 * so a walk that moves a little at a time reads a few nearby entries, not a whole bisection of a
 * long trace's columns (whose cache misses cost more than the comparisons).
 */
export function firstAt(table: TraceTable, list: readonly number[], from: number, ns: number): number {
  const { t } = table;
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < list.length && (t[list[hi] ?? 0] ?? 0) < ns) {
    lo = hi + 1;
    hi = from + step;
    step *= 2;
  }
  hi = Math.min(hi, list.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[list[mid] ?? 0] ?? 0) < ns) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * taskLanesOf, kept until its inputs change (the trace, the cursor, the window, the rows), so a
 * frame drawn for a hover or a selection does not walk the rows again.
 */
export class TaskLanesCache {
  private key = '';
  private table: TraceTable | null = null;
  private value: TaskLanes = NO_TASK_LANES;

  of(g: Geometry, table: TraceTable, activity: ChannelActivity, cursor: number, cursorNs: number | null): TaskLanes {
    if (g.layout.tasks.length === 0) return NO_TASK_LANES;
    const rows = g.layout.tasks.map((r) => `${r.key}@${r.top}`).join('|');
    const key = `${table.revision}|${table.length}|${cursor}|${cursorNs}|${g.startNs}|${g.endNs}|${g.plotLeft}|${g.plotRight}|${rows}`;
    if (key !== this.key || table !== this.table) {
      this.value = taskLanesOf(g, table, activity, cursor, cursorNs);
      this.key = key;
      this.table = table;
    }
    return this.value;
  }
}

/**
 * The bars and marks of every task row in the window. `cursor`: events [0, cursor) have
 * happened; `cursorNs`: where the cursor is drawn (null: none), where a bar turns dim.
 */
export function taskLanesOf(
  g: Geometry,
  table: TraceTable,
  activity: ChannelActivity,
  cursor: number,
  cursorNs: number | null,
): TaskLanes {
  if (g.layout.tasks.length === 0 || table.length === 0) return NO_TASK_LANES;
  const bars: DrawnBar[] = [];
  const marks: DrawnTaskMark[] = [];
  const nsPerPx = (g.endNs - g.startNs) / Math.max(1, g.plotRight - g.plotLeft);
  const nsAt = (x: number) => g.startNs + (x - g.plotLeft) * nsPerPx;
  const cursorX = cursorNs === null ? Infinity : xOf(g, cursorNs);
  for (const row of g.layout.tasks) {
    const task = activity.task(row.key);
    if (!task) continue;
    const span = { key: row.key, top: row.top + BAR_INSET, bottom: row.top + row.height - BAR_INSET };
    taskBars(g, table, task, span, cursor, cursorX, nsAt, bars);
    taskMarks(g, table, task, row.top + row.height / 2, cursor, nsAt, marks);
  }
  return { bars, marks };
}

/**
 * A row's bars: each state in the window that lasted; where states are narrower than a pixel,
 * one bar per pixel column, in the state in effect at the column's left edge (the walk jumps to
 * it by binary search, past the states in between).
 */
function taskBars(
  g: Geometry,
  table: TraceTable,
  task: ChannelTask,
  span: { readonly key: string; readonly top: number; readonly bottom: number },
  cursor: number,
  cursorX: number,
  nsAt: (x: number) => number,
  out: DrawnBar[],
): void {
  const { states, stateInfo } = task;
  const n = states.length;
  const newest = table.t[table.length - 1] ?? 0;
  const push = (index: number, state: TaskState, x1: number, x2: number, dense: boolean) => {
    const futureX = index >= cursor ? x1 : Math.min(x2, Math.max(x1, cursorX));
    out.push({ key: span.key, state, index, x1, x2, top: span.top, bottom: span.bottom, futureX, dense });
  };
  // Begun before the oldest event held: from that event on.
  const first = n > 0 ? (table.t[states[0] ?? 0] ?? 0) : newest;
  if (task.carried && first > g.startNs) {
    const x1 = Math.max(g.plotLeft, xOf(g, table.t[0] ?? 0));
    const x2 = Math.min(g.plotRight, xOf(g, first));
    if (x2 > x1) push(-1, task.carried, x1, x2, false);
  }
  /** The last pixel column a bar stood for. */
  let column = -Infinity;
  let k = Math.max(0, bisect(table, states, g.startNs - table.tSlackNs) - 1);
  while (k < n) {
    const index = states[k] ?? 0;
    const t1 = table.t[index] ?? 0;
    if (t1 > g.endNs + table.tSlackNs) break;
    const t2 = k + 1 < n ? (table.t[states[k + 1] ?? 0] ?? 0) : newest;
    const state = stateInfo[k];
    if (!state || t2 <= t1 || t2 <= g.startNs) {
      k += 1;
      continue;
    }
    const from = xOf(g, t1);
    const to = xOf(g, t2);
    if (to - from >= 1) {
      const x1 = Math.max(g.plotLeft, from);
      const x2 = Math.min(g.plotRight, to);
      if (x2 > x1) push(index, state, x1, x2, false);
      column = Math.floor(to) - 1;
      k += 1;
      continue;
    }
    // Narrower than a pixel: it stands for the next column not yet drawn; then on to the state
    // in effect at that column's right edge.
    const c = Math.max(Math.floor(from), column + 1);
    if (c >= g.plotRight) break;
    if (c + 1 > g.plotLeft) push(index, state, Math.max(g.plotLeft, c), Math.min(g.plotRight, c + 1), true);
    column = c;
    k = Math.max(k + 1, firstAt(table, states, k + 1, nsAt(c + 1)) - 1);
  }
}

/**
 * A row's marks: ordinary ones at least MARK_SPACING px apart (the walk jumps past the rest),
 * then every problem in the window, one per pixel column, so no problem is hidden by density.
 */
function taskMarks(
  g: Geometry,
  table: TraceTable,
  task: ChannelTask,
  y: number,
  cursor: number,
  nsAt: (x: number) => number,
  out: DrawnTaskMark[],
): void {
  const lo = g.startNs - table.tSlackNs - 4 * ((g.endNs - g.startNs) / Math.max(1, g.plotRight - g.plotLeft));
  const hi = nsAt(g.plotRight + 4) + table.tSlackNs;
  const push = (index: number, problem: boolean) => {
    const e = table.event(index);
    if (e?.kind !== 'channel') return;
    const id = e.msgId;
    const glyph: TaskGlyph = problem
      ? 'problem'
      : id === undefined
        ? 'op'
        : e.op === 'send' || e.op === 'reply'
          ? 'send'
          : 'receive';
    const colour = problem ? PROBLEM_COLOUR : id === undefined ? OP_COLOUR : messageColour(id);
    out.push({ key: task.key, index, x: xOf(g, table.t[index] ?? 0), y, glyph, colour, future: index >= cursor });
  };
  let k = bisect(table, task.marks, lo);
  while (k < task.marks.length) {
    const index = task.marks[k] ?? 0;
    const t = table.t[index] ?? 0;
    if (t > hi) break;
    const next = Math.max(k + 1, firstAt(table, task.marks, k + 1, nsAt(xOf(g, t) + MARK_SPACING)));
    // One mark stands for the cluster: a message's end rather than a plain operation (a send
    // right after a `get`), looked for among a few only, so a dense stretch stays cheap.
    // Problems are left to the pass below.
    let best = (table.flags[index] ?? 0) & TraceFlag.problem ? -1 : index;
    if (next - k <= CLUSTER_SCAN)
      for (let j = k; j < next; j++) {
        const i = task.marks[j] ?? 0;
        if (((table.flags[i] ?? 0) & TraceFlag.problem) !== 0) continue;
        if (best < 0) best = i;
        if (!Number.isNaN(table.msgId[i] ?? NaN)) {
          best = i;
          break;
        }
      }
    if (best >= 0) push(best, false);
    k = next;
  }
  let column = -Infinity;
  for (let p = bisect(table, task.problems, lo); p < task.problems.length; p++) {
    const index = task.problems[p] ?? 0;
    const t = table.t[index] ?? 0;
    if (t > hi) break;
    const c = Math.round(xOf(g, t));
    if (c === column) continue;
    column = c;
    push(index, true);
  }
}

/** The mark nearest (x, y) within `tolerance` px, or null. */
export function taskMarkAt(lanes: TaskLanes, x: number, y: number, tolerance = 4): DrawnTaskMark | null {
  let best: DrawnTaskMark | null = null;
  let distance = tolerance;
  for (const m of lanes.marks) {
    const d = Math.hypot(m.x - x, m.y - y);
    // Problems are drawn last, over the rest: they win a tie.
    if (d < distance || (d === distance && m.glyph === 'problem')) [best, distance] = [m, d];
  }
  return best;
}

/** The bar under (x, y), or null; the one drawn last wins where they overlap. */
export function taskBarAt(lanes: TaskLanes, x: number, y: number): DrawnBar | null {
  for (let k = lanes.bars.length - 1; k >= 0; k--) {
    const b = lanes.bars[k];
    if (b && x >= b.x1 && x <= b.x2 && y >= b.top - 1 && y <= b.bottom + 1) return b;
  }
  return null;
}
