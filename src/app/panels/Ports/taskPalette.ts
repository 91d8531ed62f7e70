/**
 * Sender colours (Tracealyzer colours queue messages by sender): a task keeps its colour in every
 * view of the port. Tasks the scenario declares take the palette in declaration order, so the
 * first eight are always distinct; a name it does not declare (an old trace) is hashed onto it.
 * No yellow (the selection) and no red (problems).
 */
export const TASK_COLOURS = [
  '#f0883e',
  '#58a6ff',
  '#a371f7',
  '#3fb950',
  '#39c5cf',
  '#db61a2',
  '#8fbf3f',
  '#bf8f6f',
] as const;

function hashOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The colour of task `name`, given the scenario's task names in declaration order. */
export function taskColour(name: string, tasks: readonly string[]): string {
  const declared = tasks.indexOf(name);
  const i = declared >= 0 ? declared : hashOf(name);
  return TASK_COLOURS[i % TASK_COLOURS.length] ?? TASK_COLOURS[0];
}
