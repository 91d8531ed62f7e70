/**
 * Puts a scenario's libipc tasks onto the domains a platform offers (the inline simulation: all;
 * a domain worker: its own), over one shared plan of the port area, so every thread agrees on
 * where each queue, pool entry and static object is.
 */
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import type { MemoryMap } from '../shm/MemoryMap';
import type { Kernel } from '../sim/Kernel';
import type { TaskBody } from '../sim/Domain';
import { type AreaPlan, planArea } from './area';
import { LibIpc, libipcChannel } from './LibIpc';
import { ProtoClientTask, ReceiverTask, SenderTask } from './PortTasks';
import type { LibipcSpec } from './schema';
import type { Fault } from '../faults/schema';
import { PortSendFaults } from './portFaults';

const US = 1_000;

export interface PortsPopulation {
  readonly plan: AreaPlan;
  /** libipc on each domain that runs here and has tasks. */
  readonly libs: ReadonlyMap<string, LibIpc>;
  /** Task name → its body. */
  readonly tasks: ReadonlyMap<string, TaskBody>;
}

interface ScenarioPart {
  readonly libipc?: LibipcSpec | undefined;
  readonly seed: number;
  readonly faults: readonly Fault[];
  readonly domains: readonly { readonly name: string; readonly bootAtUs: number }[];
}

/** Domains with libipc tasks, in scenario order. */
function taskDomains(scenario: ScenarioPart): string[] {
  const used = new Set(scenario.libipc?.tasks.map((t) => t.domain) ?? []);
  return scenario.domains.map((d) => d.name).filter((d) => used.has(d));
}

/** The doorbell channels libipc needs: from every domain with tasks to every other one. */
export function libipcChannels(scenario: ScenarioPart): { name: string; from: string; to: string }[] {
  const domains = taskDomains(scenario);
  const out: { name: string; from: string; to: string }[] = [];
  for (const from of domains)
    for (const to of domains) if (from !== to) out.push({ name: libipcChannel(from, to), from, to });
  return out;
}

/** Checks the libipc part and plans its area without building anything. */
export function checkLibipc(scenario: ScenarioPart, map: MemoryMap): Outcome<AreaPlan | null, ConfigIssue[]> {
  const spec = scenario.libipc;
  if (!spec) return ok(null);
  return planArea(
    spec,
    map.region(spec.region),
    scenario.domains.map((d) => d.name),
  );
}

export function populatePorts(
  scenario: ScenarioPart,
  map: MemoryMap,
  platform: {
    kernel(domain: string): Kernel | null;
    register(key: string, component: { snapshot(): unknown; restore(state: unknown): void }): void;
  },
): Outcome<PortsPopulation | null, ConfigIssue[]> {
  const spec = scenario.libipc;
  const planned = checkLibipc(scenario, map);
  if (!planned.ok) return planned;
  const plan = planned.value;
  if (!spec || !plan) return ok(null);
  const domains = taskDomains(scenario);
  const libs = new Map<string, LibIpc>();
  const tasks = new Map<string, TaskBody>();
  const boot = new Map(scenario.domains.map((d) => [d.name, d.bootAtUs]));
  // One set of send faults for the domains this thread runs (see portFaults.ts), seeded by the
  // first of them, under a key no domain reset restores.
  const here = spec.tasks.find((t) => platform.kernel(t.domain) !== null)?.domain;
  const index = scenario.domains.findIndex((d) => d.name === here);
  const sendFaults = new PortSendFaults(
    scenario.faults,
    (scenario.seed ^ 0x706f7274 ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0,
  );
  platform.register('libipc-faults', sendFaults);
  for (const task of spec.tasks) {
    const kernel = platform.kernel(task.domain);
    if (!kernel) continue;
    let lib = libs.get(task.domain);
    if (!lib) {
      lib = new LibIpc(
        kernel,
        plan,
        domains.filter((d) => d !== task.domain),
        sendFaults,
      );
      libs.set(task.domain, lib);
      platform.register(`libipc:${task.domain}/`, lib);
    }
    const b = task.behaviour;
    let body: TaskBody;
    if (b.kind === 'proto-client') {
      const route = plan.protos.get(b.proto);
      if (!route) return fail([{ path: 'libipc.tasks', message: `no port routes proto ${b.proto}` }]);
      body = new ProtoClientTask(task.name, b, kernel, lib, route.port, route.tag);
    } else {
      const port = plan.ports.find((p) => p.name === b.port);
      if (!port) return fail([{ path: 'libipc.tasks', message: `no port ${b.port}` }]);
      if (b.kind === 'receiver') body = new ReceiverTask(task.name, b, kernel, lib, port);
      else {
        const layout = plan.structs.get(b.message);
        const object = plan.statics.get(task.name);
        if (!layout || !object) return fail([{ path: 'libipc.tasks', message: `no layout for ${b.message}` }]);
        body = new SenderTask(task.name, b, kernel, lib, port, layout, object.offset);
      }
    }
    const startAt = Math.round(((boot.get(task.domain) ?? 0) + task.startAtUs) * US);
    // FreeRTOS: a larger number runs first; the domain runs the smallest first.
    kernel.domain.addTask(task.name, body, { priority: -task.priority, startAt });
    tasks.set(task.name, body);
  }
  return ok({ plan, libs, tasks });
}
