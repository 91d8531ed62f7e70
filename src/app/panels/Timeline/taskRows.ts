/**
 * Glue between ChannelActivity and the timeline's task rows: which rows each domain gets (in the
 * order its tasks first appeared, labelled with the task's name and, after a restart, its
 * generation at the cursor: `kv/g1`), and what the frame drew, on the host element's dataset for
 * tests and tools (as `data-blocked-bands` and `data-fault-bands` are):
 *
 *   data-task-lanes="fs ui log"        the task rows, top to bottom (names)
 *   data-task-lane-y="79 97 115"       their centres, in CSS px from the canvas top
 *   data-task-bars="12"                state bars drawn in the window
 *   data-task-states="READY RUNNING"   the states those bars show (sorted)
 *   data-task-arrows="4"               message arrows drawn from a task row to a task row
 *   data-reply-arrows="2"              of those, replies (dashed)
 */
import { type ChannelActivity, taskKey } from '../../debug/channelActivity';
import { LANES_PER_DOMAIN, type TraceTable } from '../../trace/TraceTable';
import type { Geometry } from './draw';
import type { DrawnArrow } from './drawOverlay';
import type { TaskRowSpec } from './lanes';
import type { TaskLanes } from './taskLanes';

/** Per domain index, the task rows to lay out under its `task` lane. */
export function taskRowSpecs(activity: ChannelActivity, domains: number, cursor: number): TaskRowSpec[][] {
  const specs: TaskRowSpec[][] = Array.from({ length: domains }, () => []);
  for (const task of activity.tasks()) {
    const generation = activity.generationAt(task, cursor);
    const label = generation > 0 ? `${task.name}/g${generation}` : task.name;
    specs[task.domain]?.push({ key: task.key, label });
  }
  return specs;
}

export function taskLanesDataset(
  g: Geometry,
  /** null: no trace (nothing drawn). */
  table: TraceTable | null,
  lanes: TaskLanes,
  arrows: readonly DrawnArrow[],
  activity: ChannelActivity,
): Record<string, string> {
  const rows = g.layout.tasks;
  // Without task rows (a trace without channel events) no event is looked at.
  const onTaskRows =
    table && rows.length > 0 ? arrows.filter((a) => onTaskRow(g, table, a.send) && onTaskRow(g, table, a.receive)) : [];
  return {
    taskLanes: rows.map((r) => activity.task(r.key)?.name ?? '?').join(' '),
    taskLaneY: rows.map((r) => String(Math.round(r.top + r.height / 2))).join(' '),
    taskBars: String(lanes.bars.length),
    taskStates: [...new Set(lanes.bars.map((b) => b.state.state))].sort().join(' '),
    taskArrows: String(onTaskRows.length),
    replyArrows: String(onTaskRows.filter((a) => a.reply).length),
  };
}

/** The event is a channel event of a task that has a row. */
function onTaskRow(g: Geometry, table: TraceTable, index: number): boolean {
  const e = table.event(index);
  const domain = Math.floor((table.lane[index] ?? 0) / LANES_PER_DOMAIN);
  return e?.kind === 'channel' && g.layout.taskByKey.has(taskKey(domain, e.task));
}

/** Writes `values` to the element's dataset, leaving the attributes that did not change alone. */
export function updateDataset(element: HTMLElement, values: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(values)) if (element.dataset[key] !== value) element.dataset[key] = value;
}
