/**
 * For channel tests (tests only): one core with a channel buffer and the tasks given, and a run
 * to the end with its channel events and what the checker says of it.
 */
import { checkTrace } from '../faults/invariants';
import type { ScenarioInput } from '../scenario/schema';
import { scenarioWorld } from '../scenario/testWorld';
import type { TraceEvent } from '../trace/events';

export type ChannelEvent = TraceEvent & Extract<TraceEvent, { kind: 'channel' }>;

/** Runs `input` until idle (or 1 s of simulated time). */
export function runChannels(input: ScenarioInput) {
  const w = scenarioWorld(input);
  const outcome = w.sim.run({ maxSteps: 100_000, maxTimeNs: 1e9 });
  const events = w.sim.trace.events;
  const ch = events.filter((e): e is ChannelEvent => e.kind === 'channel');
  return { w, outcome, events, ch, violations: checkTrace(w.scenario, events) };
}

/** The `op` events, of `task` when given. */
export const channelOps = (ch: readonly ChannelEvent[], op: string, task?: string): ChannelEvent[] =>
  ch.filter((e) => e.op === op && (task === undefined || e.task === task));

export function channelScenario(
  tasks: object[],
  mode: 'hubris' | 'anckor' = 'hubris',
  priorityInheritance = false,
): ScenarioInput {
  return {
    version: 1,
    name: 'channels test',
    seed: 1,
    memory: { size: 4096, regions: [{ name: 'buf', offset: 0, size: 256 }] },
    domains: [{ name: 'cpu' }],
    instances: [],
    endpoints: [],
    runtime: { assert: 'halt', costs: { taskUs: 2 } },
    channels: { mode, priorityInheritance, region: 'buf', tasks: tasks as never },
  };
}

/** A task on that core. */
export const channelTask = (name: string, priority: number, behaviour: object, startAtUs = 0) => ({
  name,
  domain: 'cpu',
  priority,
  startAtUs,
  behaviour,
});
