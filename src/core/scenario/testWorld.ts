/** For tests (tests only): worlds from scenarios, and replays from a snapshot. */
import { buildWorld, type World } from './build';
import { parseScenario } from './parse';
import type { ScenarioInput } from './schema';

export function scenarioWorld(input: ScenarioInput): World {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(built.error.map((i) => i.message).join('\n'));
  return built.value;
}

/**
 * Runs `steps` decisions, snapshots, runs on to the end (or `rest` decisions), rewinds to the
 * snapshot and runs again: the trace after the snapshot, both times, one JSON line per event.
 */
export function replayFromSnapshot(world: World, steps: number, rest = 5_000): { first: string[]; again: string[] } {
  world.sim.run({ maxSteps: steps });
  const snap = world.sim.snapshot();
  const mark = world.sim.trace.length;
  world.sim.run({ maxSteps: rest });
  const first = world.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
  world.sim.restore(snap);
  world.sim.run({ maxSteps: rest });
  const again = world.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
  return { first, again };
}
