/**
 * Builds a running world from a validated scenario: the shared memory, the simulation, every IPC
 * instance on its domain (ICMsg 4.1+ or 3.6–4.0) behind the IPC service front, and every
 * endpoint's application task, each registered for snapshots. Recorded decisions, if any, are
 * forced so the run replays exactly.
 */
import { IcmsgBackend } from '../backends/icmsg/IcmsgBackend';
import { Icmsg, type IcmsgConfig } from '../backends/icmsg/Icmsg';
import { IcmsgLegacy } from '../backends/icmsg/IcmsgLegacy';
import type { UnboundMode } from '../backends/icmsg/icmsgWire';
import type { IpcInstance } from '../ipc/types';
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import { MemoryMap } from '../shm/MemoryMap';
import { Simulation } from '../sim/Simulation';
import { EndpointRunner } from './EndpointRunner';
import type { Scenario } from './schema';

export interface BuiltInstance {
  readonly key: string;
  readonly domain: string;
  readonly ipc: IpcInstance;
  readonly icmsg: Icmsg | IcmsgLegacy;
}

export interface World {
  readonly scenario: Scenario;
  readonly sim: Simulation;
  /** By `domain/node`. */
  readonly instances: ReadonlyMap<string, BuiltInstance>;
  /** By `domain/instance/name`. */
  readonly endpoints: ReadonlyMap<string, EndpointRunner>;
}

export interface BuildOptions {
  /** The shared memory to run on (a SharedArrayBuffer for the worker runtime); a fresh buffer otherwise. */
  readonly buffer?: ArrayBuffer | SharedArrayBuffer;
}

const US = 1_000;

export function buildWorld(scenario: Scenario, options: BuildOptions = {}): Outcome<World, ConfigIssue[]> {
  const buffer = options.buffer ?? new ArrayBuffer(scenario.memory.size);
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
  const map = created.value;
  map.bytes.fill(scenario.memory.fill);

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
  for (const d of scenario.domains) sim.addDomain(d.name);

  // Each mailbox channel runs from the domain that uses it as `tx` to the one that uses it as `rx`.
  const senders = new Map(scenario.instances.map((n) => [n.mboxes.tx, n.domain]));
  for (const node of scenario.instances) {
    const from = senders.get(node.mboxes.rx);
    if (from !== undefined) sim.defineChannel(node.mboxes.rx, from, node.domain);
  }

  const instances = new Map<string, BuiltInstance>();
  for (const node of scenario.instances) {
    const txRegion = map.region(node['tx-region']);
    const rxRegion = map.region(node['rx-region']);
    if (!txRegion || !rxRegion) return fail([{ path: 'instances', message: `regions of ${node.node} missing` }]);
    const kernel = sim.kernel(node.domain);
    const config: IcmsgConfig = {
      name: node.node,
      txRegion,
      rxRegion,
      dcacheAlignment: node['dcache-alignment'] ?? 0,
      unbound: node.unbound.toUpperCase() as UnboundMode,
      mboxTx: node.mboxes.tx,
      mboxRx: node.mboxes.rx,
      rxBufferSize: node.kconfig.PBUF_RX_READ_BUF_SIZE,
      bondNotifyRepeatMs: node.kconfig.IPC_SERVICE_ICMSG_BOND_NOTIFY_REPEAT_TO_MS,
      pbufMode: rt.pbuf,
    };
    const icmsg = node.zephyr === '3.6' ? new IcmsgLegacy(kernel, config) : new Icmsg(kernel, config);
    const key = `${node.domain}/${node.node}`;
    instances.set(key, {
      key,
      domain: node.domain,
      icmsg,
      ipc: { name: node.node, backend: new IcmsgBackend(icmsg), kernel },
    });
    sim.register(`instance:${key}`, icmsg);
  }

  const boot = new Map(scenario.domains.map((d) => [d.name, d.bootAtUs]));
  const endpoints = new Map<string, EndpointRunner>();
  for (const spec of scenario.endpoints) {
    const instance = instances.get(`${spec.domain}/${spec.instance}`);
    if (!instance) return fail([{ path: 'endpoints', message: `instance ${spec.instance} missing on ${spec.domain}` }]);
    const kernel = sim.kernel(spec.domain);
    const runner = new EndpointRunner(spec, instance.ipc, kernel, scenario.seed);
    const startAt = Math.round(((boot.get(spec.domain) ?? 0) + spec.registerAtUs) * US);
    kernel.domain.addTask(runner.taskId, runner, { startAt });
    endpoints.set(`${spec.domain}/${spec.instance}/${spec.name}`, runner);
  }

  sim.forceAll(scenario.decisions);
  return ok({ scenario, sim, instances, endpoints });
}
