/** For channel tests (tests only): one core with a channel buffer, and the tasks given. */
import type { ScenarioInput } from '../scenario/schema';

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
