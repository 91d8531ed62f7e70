/**
 * Builds the inline world from a validated scenario: the shared memory, the simulation with every
 * domain, and (through `populate`) every IPC instance and endpoint application on it. Recorded
 * decisions, if any, are forced so the run replays exactly.
 */
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import { MemoryMap } from '../shm/MemoryMap';
import { Simulation } from '../sim/Simulation';
import { FaultInjector } from '../faults/FaultInjector';
import { checkLibipc } from '../ports/build';
import { clearArea, type LibIpc } from '../ports/LibIpc';
import type { EndpointRunner } from './EndpointRunner';
import type { ChannelKernel } from '../channels/ChannelKernel';
import { type BuiltInstance, populate } from './populate';
import type { Scenario } from './schema';

export type { BuiltInstance } from './populate';

export interface World {
  readonly scenario: Scenario;
  readonly sim: Simulation;
  /** By `domain/node`. */
  readonly instances: ReadonlyMap<string, BuiltInstance>;
  /** By `domain/instance/name`. */
  readonly endpoints: ReadonlyMap<string, EndpointRunner>;
  /** The scenario's faults, and those added while it runs. */
  readonly faults: FaultInjector;
  /** libipc on each domain with tasks, by domain. */
  readonly libipc: ReadonlyMap<string, LibIpc>;
  /** The synchronous-channel kernel of each domain with channel tasks, by domain. */
  readonly channels: ReadonlyMap<string, ChannelKernel>;
}

export interface BuildOptions {
  /** The shared memory to run on; a fresh buffer otherwise. */
  readonly buffer?: ArrayBuffer | SharedArrayBuffer;
}

const US = 1_000;

/** The scenario's shared memory as a map over `buffer`, filled as the scenario says. */
export function createScenarioMemory(
  scenario: Scenario,
  buffer: ArrayBuffer | SharedArrayBuffer,
): Outcome<MemoryMap, ConfigIssue[]> {
  if (buffer.byteLength !== scenario.memory.size) {
    return fail([
      {
        path: 'memory.size',
        message: `the buffer has ${buffer.byteLength} bytes, the scenario needs ${scenario.memory.size}`,
      },
    ]);
  }
  const created = MemoryMap.create({ buffer, base: scenario.memory.base, regions: scenario.memory.regions });
  if (!created.ok) return fail(created.error.map((e) => ({ path: `memory.${e.path}`, message: e.message })));
  return ok(created.value);
}

/** libipc's area starts zeroed (the BSS of the image that holds it), whatever fills the rest. */
export function clearLibipcArea(scenario: Scenario, map: MemoryMap): void {
  const plan = checkLibipc(scenario, map);
  if (plan.ok && plan.value) clearArea(plan.value, map.bytes);
}

export function buildWorld(scenario: Scenario, options: BuildOptions = {}): Outcome<World, ConfigIssue[]> {
  const memory = createScenarioMemory(scenario, options.buffer ?? new ArrayBuffer(scenario.memory.size));
  if (!memory.ok) return memory;
  const map = memory.value;
  map.bytes.fill(scenario.memory.fill);
  clearLibipcArea(scenario, map);

  const rt = scenario.runtime;
  const sim = new Simulation(map, {
    seed: scenario.seed,
    mailbox: {
      latencyNs: rt.mailbox.latencyUs * US,
      jitterNs: rt.mailbox.jitterUs * US,
      coalesce: rt.mailbox.coalesce,
    },
    costs: { irqNs: rt.costs.irqUs * US, workNs: rt.costs.workUs * US, taskNs: rt.costs.taskUs * US },
    assertMode: rt.assert,
  });
  for (const d of scenario.domains) sim.addDomain(d.name, d.dcacheLine);
  const populated = populate(scenario, map, {
    kernel: (domain) => sim.kernel(domain),
    defineChannel: (name, from, to) => void sim.defineChannel(name, from, to),
    register: (key, component) => sim.register(key, component),
  });
  if (!populated.ok) return populated;
  const { instances, endpoints, ports, channels } = populated.value;
  const faults = new FaultInjector(
    {
      scenario,
      sim,
      icbmsg: (key) => instances.get(key)?.icbmsg ?? null,
      libipc: () => ports?.libs ?? new Map<string, LibIpc>(),
      channels: () => channels?.kernels ?? new Map<string, ChannelKernel>(),
    },
    scenario.faults,
  );
  sim.register('faults', faults);
  sim.hooks = faults;
  // What a warm reset of a domain goes back to.
  sim.captureBootImage();
  sim.forceAll(scenario.decisions);
  return ok({
    scenario,
    sim,
    instances,
    endpoints,
    faults,
    libipc: ports?.libs ?? new Map(),
    channels: channels?.kernels ?? new Map(),
  });
}
