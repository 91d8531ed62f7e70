/**
 * Lane layout: one row per domain and execution context (irq, work queue, tasks), in table lane
 * order (`lane = domainIndex * 3 + context`), labelled `cpuapp · irq`. A lane with no events is
 * collapsed to a thin row that keeps its label, so the three contexts of a domain stay
 * recognisable. Domains are separated by a gap.
 *
 * Under a domain's `task` lane, one thinner row per synchronous-channel task of that domain (as
 * the QNX System Profiler gives each thread its own row), labelled `  ↳ server`. These are kept
 * apart in `tasks` so `rows[lane]` still indexes the lanes; a domain without channel tasks gets
 * none and its layout is what it was without them.
 *
 *   cpuapp · irq
 *   cpuapp · work
 *   cpuapp · task
 *     ↳ server        ← tasks[0]
 *     ↳ client/g1     ← tasks[1]
 *   (gap)
 *   cpurad · irq …
 */
import { CONTEXTS, LANES_PER_DOMAIN } from '../../trace/TraceTable';

export const LANE_HEIGHT = 26;
export const COLLAPSED_HEIGHT = 13;
export const DOMAIN_GAP = 6;
export const TASK_ROW_HEIGHT = 18;

export interface LaneRow {
  readonly lane: number;
  readonly domain: number;
  readonly label: string;
  readonly top: number;
  readonly height: number;
  readonly collapsed: boolean;
}

/** A channel task's row as the caller names it: its key (ChannelActivity's `taskKey`) and label. */
export interface TaskRowSpec {
  readonly key: string;
  readonly label: string;
}

export interface TaskRow {
  readonly key: string;
  readonly domain: number;
  readonly label: string;
  readonly top: number;
  readonly height: number;
}

export interface LaneLayout {
  /** One row per table lane, in lane order (`rows[lane]`). */
  readonly rows: readonly LaneRow[];
  /** The channel task rows, top to bottom. */
  readonly tasks: readonly TaskRow[];
  /** The task rows by key. */
  readonly taskByKey: ReadonlyMap<string, TaskRow>;
  /** Total height of the rows and gaps. */
  readonly height: number;
}

const NO_TASKS: readonly TaskRowSpec[] = [];

export function layoutLanes(
  domains: readonly string[],
  count: (lane: number) => number,
  top = 0,
  /** The channel task rows of a domain, in the order to draw them. */
  tasksOf: (domain: number) => readonly TaskRowSpec[] = () => NO_TASKS,
): LaneLayout {
  const rows: LaneRow[] = [];
  const tasks: TaskRow[] = [];
  const taskByKey = new Map<string, TaskRow>();
  let y = top;
  domains.forEach((name, d) => {
    if (d > 0) y += DOMAIN_GAP;
    CONTEXTS.forEach((context, c) => {
      const lane = d * LANES_PER_DOMAIN + c;
      const collapsed = count(lane) === 0;
      const height = collapsed ? COLLAPSED_HEIGHT : LANE_HEIGHT;
      rows.push({ lane, domain: d, label: `${name} · ${context}`, top: y, height, collapsed });
      y += height;
    });
    for (const spec of tasksOf(d)) {
      const row: TaskRow = { key: spec.key, domain: d, label: `  ↳ ${spec.label}`, top: y, height: TASK_ROW_HEIGHT };
      tasks.push(row);
      taskByKey.set(spec.key, row);
      y += TASK_ROW_HEIGHT;
    }
  });
  return { rows, tasks, taskByKey, height: y - top };
}

/** The lane row under `y`, or null (a gap, the axis, a task row, below the last lane). */
export function rowAt(layout: LaneLayout, y: number): LaneRow | null {
  for (const row of layout.rows) if (y >= row.top && y < row.top + row.height) return row;
  return null;
}

/** The channel task row under `y`, or null. */
export function taskRowAt(layout: LaneLayout, y: number): TaskRow | null {
  for (const row of layout.tasks) if (y >= row.top && y < row.top + row.height) return row;
  return null;
}
