/**
 * The libipc part of the topology, as a model: the scenario's tasks, its ports (queues of
 * `ipc_ref_t` items, reference libipc-and-channels.md §1) and one edge per task: task → port for
 * a sender (`ipc_send*`) and for an NFC proto client (`ipc_proto_route` sends to the proto's
 * port), port → task for the receiver that owns the port (`ipc_recv*`).
 *
 * A port lives in the domain of its receiver (the task that registers it and whose RAM holds
 * it on a device), else of its first sender, else the first domain. Every task has exactly one
 * port (a behaviour names one), or none when a proto routes nowhere.
 */
import { type AreaPlan, DEFAULT_PORT_DEPTH, planArea, type Scenario, type VirtualAddress } from '../../../core';
import type { ActivityCount } from '../../debug/portActivity';

export type TaskRole = 'sender' | 'receiver' | 'proto-client';

export interface TopoTask {
  readonly name: string;
  readonly domain: string;
  readonly role: TaskRole;
  /** Its port; null when its proto is routed to no port. */
  readonly port: string | null;
  /** What it sends: the message struct, or the proto; the receiver's port. */
  readonly via: string;
}

export interface TopoPort {
  readonly name: string;
  readonly domain: string;
  readonly depth: number;
}

export interface TopoEdge {
  readonly task: string;
  readonly port: string;
  /** `in`: task → port (a send or a routed command); `out`: port → task (receives). */
  readonly direction: 'in' | 'out';
  /** What its label counts. */
  readonly count: ActivityCount;
}

export interface PortTopology {
  readonly tasks: readonly TopoTask[];
  readonly ports: readonly TopoPort[];
  readonly edges: readonly TopoEdge[];
}

/** The libipc area as the simulation plans it (port order, depths, proto routes); null when it cannot be planned. */
export function planOfScenario(scenario: Scenario): AreaPlan | null {
  const spec = scenario.libipc;
  if (!spec) return null;
  const r = scenario.memory.regions.find((x) => x.name === spec.region);
  // As parse.ts places it: the region's address is the shared RAM base plus its offset.
  const region = r && { ...r, address: ((scenario.memory.base + r.offset) >>> 0) as VirtualAddress };
  const planned = planArea(
    spec,
    region,
    scenario.domains.map((d) => d.name),
  );
  return planned.ok ? planned.value : null;
}

/** The model; null when the scenario has no libipc part. */
export function portTopology(scenario: Scenario, plan: AreaPlan | null): PortTopology | null {
  const spec = scenario.libipc;
  if (!spec) return null;
  const tasks: TopoTask[] = spec.tasks.map((t) => {
    const b = t.behaviour;
    switch (b.kind) {
      case 'sender':
        return { name: t.name, domain: t.domain, role: 'sender', port: b.port, via: b.message };
      case 'receiver':
        return { name: t.name, domain: t.domain, role: 'receiver', port: b.port, via: b.port };
      case 'proto-client':
        return {
          name: t.name,
          domain: t.domain,
          role: 'proto-client',
          port: plan?.protos.get(b.proto)?.port.name ?? null,
          via: b.proto,
        };
    }
  });
  // Ports in index order when planned; else in order of first mention.
  const depthOf = new Map(spec.ports.map((p) => [p.port, p.depth]));
  const names = plan
    ? plan.ports.map((p) => p.name)
    : [...new Set(tasks.flatMap((t) => (t.port === null ? [] : [t.port])))];
  const firstDomain = scenario.domains[0]?.name ?? '';
  const ports: TopoPort[] = names.map((name) => {
    const users = tasks.filter((t) => t.port === name);
    const home = users.find((t) => t.role === 'receiver') ?? users[0];
    const planned = plan?.ports.find((p) => p.name === name);
    return {
      name,
      domain: home?.domain ?? firstDomain,
      depth: planned?.depth ?? depthOf.get(name) ?? DEFAULT_PORT_DEPTH,
    };
  });
  const edges: TopoEdge[] = tasks.flatMap((t): TopoEdge[] => {
    if (t.port === null) return [];
    if (t.role === 'receiver') return [{ task: t.name, port: t.port, direction: 'out', count: 'received' }];
    return [{ task: t.name, port: t.port, direction: 'in', count: t.role === 'sender' ? 'sent' : 'routed' }];
  });
  return { tasks, ports, edges };
}
