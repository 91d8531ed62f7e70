/**
 * For unit tests: a preset scenario built and run inline to `maxSteps`, and its trace as the
 * debugger's table, so views' models can be checked against what the simulation really reports.
 * Throws on a scenario that does not parse or build (a broken preset is a test failure).
 */
import { buildWorld, parseScenario, type Scenario, type ScenarioInput, type TraceEvent } from '../../core';
import { ColumnTrace } from '../trace/TraceTable';

export interface PresetRun {
  readonly scenario: Scenario;
  readonly events: readonly TraceEvent[];
  readonly table: ColumnTrace;
}

export function runPreset(input: ScenarioInput, maxSteps = 5000): PresetRun {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`preset does not parse: ${JSON.stringify(parsed.error)}`);
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(`preset does not build: ${JSON.stringify(built.error)}`);
  const world = built.value;
  world.sim.run({ maxSteps });
  const events = world.sim.trace.events;
  const table = new ColumnTrace();
  for (const e of events) table.append(e);
  return { scenario: parsed.value, events, table };
}
