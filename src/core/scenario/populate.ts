/**
 * Puts a scenario's IPC instances and endpoint applications onto the domains a platform offers.
 * The inline simulation offers every domain; a domain worker offers only its own, so each thread
 * builds exactly the part of the scenario that runs on it, from the same code.
 */
import { Icbmsg } from '../backends/icbmsg/Icbmsg';
import { IcmsgBackend } from '../backends/icmsg/IcmsgBackend';
import { Icmsg, type IcmsgConfig } from '../backends/icmsg/Icmsg';
import { IcmsgLegacy } from '../backends/icmsg/IcmsgLegacy';
import type { UnboundMode } from '../backends/icmsg/icmsgWire';
import type { IpcInstance } from '../ipc/types';
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import type { MemoryMap } from '../shm/MemoryMap';
import type { Kernel } from '../sim/Kernel';
import { libipcChannels, type PortsPopulation, populatePorts } from '../ports/build';
import { type ChannelsPopulation, populateChannels } from '../channels/build';
import { EndpointRunner } from './EndpointRunner';
import { asBuilt } from './asBuilt';
import type { Scenario } from './schema';

/** What a runtime gives the builder: kernels for its domains, doorbell channels, snapshot state. */
export interface Platform {
  /** The kernel of `domain`, or null when that domain does not run here. */
  kernel(domain: string): Kernel | null;
  defineChannel(name: string, from: string, to: string): void;
  /** Registers state that snapshots must carry (platforms without snapshots ignore it). */
  register(key: string, component: { snapshot(): unknown; restore(state: unknown): void }): void;
}

export interface BuiltInstance {
  readonly key: string;
  readonly domain: string;
  readonly ipc: IpcInstance;
  /** The ICMsg link: the instance itself, or an ICBMsg instance's control link. */
  readonly icmsg: Icmsg | IcmsgLegacy;
  readonly icbmsg: Icbmsg | null;
}

export interface Population {
  /** By `domain/node`. */
  readonly instances: ReadonlyMap<string, BuiltInstance>;
  /** By `domain/instance/name`. */
  readonly endpoints: ReadonlyMap<string, EndpointRunner>;
  /** libipc ports and tasks, when the scenario has them. */
  readonly ports: PortsPopulation | null;
  /** Synchronous channel kernels, by domain, when the scenario has channels. */
  readonly channels: ChannelsPopulation | null;
}

const US = 1_000;

/** Each mailbox channel runs from the domain that uses it as `tx` to the one that uses it as `rx`. */
export function channelsOf(scenario: Scenario): { name: string; from: string; to: string }[] {
  const senders = new Map(scenario.instances.map((n) => [n.mboxes.tx, n.domain]));
  const out: { name: string; from: string; to: string }[] = [];
  for (const node of scenario.instances) {
    const from = senders.get(node.mboxes.rx);
    if (from !== undefined) out.push({ name: node.mboxes.rx, from, to: node.domain });
  }
  out.push(...libipcChannels(scenario));
  return out;
}

export function populate(scenario: Scenario, map: MemoryMap, platform: Platform): Outcome<Population, ConfigIssue[]> {
  for (const c of channelsOf(scenario)) platform.defineChannel(c.name, c.from, c.to);
  const rt = scenario.runtime;

  const instances = new Map<string, BuiltInstance>();
  for (const spec of scenario.instances) {
    const kernel = platform.kernel(spec.domain);
    if (!kernel) continue;
    const { node, alias } = asBuilt(scenario, spec);
    const mapped = (name: string) => {
      const r = map.region(name);
      return r && alias?.region === name ? { ...r, address: (r.address + alias.offset) as typeof r.address } : r;
    };
    const txRegion = mapped(node['tx-region']);
    const rxRegion = mapped(node['rx-region']);
    if (!txRegion || !rxRegion) return fail([{ path: 'instances', message: `regions of ${node.node} missing` }]);
    const key = `${node.domain}/${node.node}`;
    if (node.compatible === 'zephyr,ipc-icbmsg') {
      const created = Icbmsg.create(kernel, {
        name: node.node,
        txRegion,
        rxRegion,
        dcacheAlignment: node['dcache-alignment'] ?? 0,
        txBlocks: node['tx-blocks'],
        rxBlocks: node['rx-blocks'],
        mboxTx: node.mboxes.tx,
        mboxRx: node.mboxes.rx,
        numEpt: node.kconfig.IPC_SERVICE_BACKEND_ICBMSG_NUM_EP,
        pbufMode: rt.pbuf,
        mode: rt.icbmsg,
      });
      if (!created.ok) return fail([{ path: 'instances', message: `${key}: ${created.error}` }]);
      const icbmsg = created.value;
      instances.set(key, {
        key,
        domain: node.domain,
        icmsg: icbmsg.icmsg,
        icbmsg,
        ipc: { name: node.node, backend: icbmsg, kernel },
      });
      platform.register(`instance:${key}`, icbmsg);
      continue;
    }
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
    instances.set(key, {
      key,
      domain: node.domain,
      icmsg,
      icbmsg: null,
      ipc: { name: node.node, backend: new IcmsgBackend(icmsg), kernel },
    });
    platform.register(`instance:${key}`, icmsg);
  }

  const boot = new Map(scenario.domains.map((d) => [d.name, d.bootAtUs]));
  const endpoints = new Map<string, EndpointRunner>();
  const opened = new Set<string>();
  for (const spec of scenario.endpoints) {
    const kernel = platform.kernel(spec.domain);
    if (!kernel) continue;
    const instance = instances.get(`${spec.domain}/${spec.instance}`);
    if (!instance) return fail([{ path: 'endpoints', message: `instance ${spec.instance} missing on ${spec.domain}` }]);
    // The first endpoint of each instance opens it (scenario order is registration order).
    const opens = !opened.has(instance.key);
    opened.add(instance.key);
    const runner = new EndpointRunner(spec, instance.ipc, kernel, scenario.seed, opens);
    const startAt = Math.round(((boot.get(spec.domain) ?? 0) + spec.registerAtUs) * US);
    kernel.domain.addTask(runner.taskId, runner, { startAt });
    endpoints.set(`${spec.domain}/${spec.instance}/${spec.name}`, runner);
  }
  const ports = populatePorts(scenario, map, platform);
  if (!ports.ok) return ports;
  const channels = populateChannels(scenario, map, platform);
  return ok({ instances, endpoints, ports: ports.value, channels });
}
