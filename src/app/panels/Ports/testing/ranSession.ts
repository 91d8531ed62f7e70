/**
 * For the Ports panel's unit tests: a scenario opened as the debugger opens it (a DebugSession on
 * the inline runtime) and run until it goes idle or `maxSteps` decisions, so a test can move the
 * time cursor and read shared memory at it. Throws when the scenario does not open.
 */
import type { ScenarioInput } from '../../../../core';
import { DebugSession } from '../../../debug/DebugSession';

export function ranSession(input: ScenarioInput, maxSteps = 5_000): DebugSession {
  const created = DebugSession.create(input, () => () => undefined);
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const s = created.value;
  s.inline?.runUntil(() => false, { maxSteps });
  s.sync();
  return s;
}

/** Moves the cursor just after the event at table index `index`, as the app's seekEvent does. */
export function seek(s: DebugSession, index: number): void {
  const moved = s.seekEvent(index);
  if (!moved.ok) throw new Error(moved.error);
  s.sync();
}
