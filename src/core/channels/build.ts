/**
 * Puts a scenario's channel tasks onto the domains a platform offers: one channel kernel per
 * domain (channels connect the tasks of one core, as in Anckor and Hubris), its tasks, and the
 * scenario checks that need the whole section.
 */
import type { ConfigIssue } from '../outcome';
import type { MemoryMap } from '../shm/MemoryMap';
import type { Kernel } from '../sim/Kernel';
import type { TaskBody } from '../sim/Domain';
import { ChannelKernel } from './ChannelKernel';
import { type ChannelTaskBase, ClientTask, ServerTask } from './ChannelTasks';
import { HogTask, NotifierTask, ReceiverTask, WaiterTask } from './simpleTasks';
import type { ChannelsSpec } from './schema';

const US = 1_000;

interface ScenarioPart {
  readonly channels?: ChannelsSpec | undefined;
  readonly domains: readonly { readonly name: string; readonly bootAtUs: number }[];
  readonly memory: {
    readonly regions: readonly { readonly name: string; readonly offset: number; readonly size: number }[];
  };
  readonly runtime: { readonly costs: { readonly taskUs: number } };
}

/** What the section needs of the rest of the scenario, by path. */
export function channelIssues(scenario: ScenarioPart): ConfigIssue[] {
  const spec = scenario.channels;
  if (!spec) return [];
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: `channels.${path}`, message });
  const region = scenario.memory.regions.find((r) => r.name === spec.region);
  if (!region) add('region', `no memory region "${spec.region}"`);
  const domains = new Set(scenario.domains.map((d) => d.name));
  const names = new Set<string>();
  const creators = new Map<string, string>();
  spec.tasks.forEach((t, i) => {
    if (names.has(t.name)) add(`tasks[${i}].name`, `task ${t.name} twice`);
    names.add(t.name);
    if (!domains.has(t.domain)) add(`tasks[${i}].domain`, `no domain "${t.domain}"`);
    const b = t.behaviour;
    const creates = b.kind === 'server' || ((b.kind === 'client' || b.kind === 'receiver') && b.create);
    if (creates) creators.set(b.channel, t.domain);
  });
  spec.tasks.forEach((t, i) => {
    const b = t.behaviour;
    if (b.kind === 'hog' || b.kind === 'waiter') return;
    if (b.kind === 'notifier') {
      if (spec.mode === 'anckor') add(`tasks[${i}].behaviour.kind`, 'Anckor’s notifications were never implemented');
      const target = spec.tasks.find((x) => x.name === b.target);
      if (!target) add(`tasks[${i}].behaviour.target`, `no task ${b.target}`);
      else if (target.domain !== t.domain) add(`tasks[${i}].behaviour.target`, `${b.target} runs on another core`);
      return;
    }
    if (b.kind === 'server' && b.closedFrom !== undefined && !spec.tasks.some((x) => x.name === b.closedFrom))
      add(`tasks[${i}].behaviour.closedFrom`, `no task ${b.closedFrom}`);
    // Longer messages are copied through the region: it must hold the longest one.
    const size = b.kind === 'client' ? b.size : b.kind === 'server' ? (b.callWhileHandling?.size ?? 0) : 0;
    if (region && spec.mode === 'hubris' && size > 8 && size > region.size)
      add(
        `tasks[${i}].behaviour.size`,
        `a ${size}-byte message does not fit the ${region.size}-byte channel buffer ${region.name}`,
      );
    const used = [b.channel, ...(b.kind === 'server' && b.callWhileHandling ? [b.callWhileHandling.channel] : [])];
    for (const ch of used) {
      const home = creators.get(ch);
      if (home === undefined) add(`tasks[${i}].behaviour.channel`, `no task creates channel ${ch}`);
      else if (home !== t.domain)
        add(`tasks[${i}].behaviour.channel`, `channel ${ch} is on ${home}: channels connect the tasks of one core`);
    }
    if (spec.mode === 'anckor') {
      if (b.kind === 'client' && b.call)
        add(`tasks[${i}].behaviour.call`, 'Anckor has no reply: a client sends one-way (call: false)');
      if (b.kind === 'client' && b.timeoutUs !== undefined)
        add(`tasks[${i}].behaviour.timeoutUs`, 'Anckor has no timeouts');
      if (b.kind === 'server') add(`tasks[${i}].behaviour.kind`, 'Anckor has no reply: use a receiver');
    }
  });
  return issues;
}

export interface ChannelsPopulation {
  readonly kernels: ReadonlyMap<string, ChannelKernel>;
}

export function populateChannels(
  scenario: ScenarioPart,
  map: MemoryMap,
  platform: {
    kernel(domain: string): Kernel | null;
    register(key: string, component: { snapshot(): unknown; restore(state: unknown): void }): void;
  },
): ChannelsPopulation | null {
  const spec = scenario.channels;
  if (!spec) return null;
  const region = map.region(spec.region);
  const kernels = new Map<string, ChannelKernel>();
  const boot = new Map(scenario.domains.map((d) => [d.name, d.bootAtUs]));
  const stepNs = Math.max(1, scenario.runtime.costs.taskUs * US);
  for (const task of spec.tasks) {
    const kernel = platform.kernel(task.domain);
    if (!kernel) continue;
    let k = kernels.get(task.domain);
    if (!k) {
      k = new ChannelKernel(kernel, {
        mode: spec.mode,
        priorityInheritance: spec.priorityInheritance,
        buffer: { offset: region?.offset ?? 0, size: region?.size ?? 0 },
      });
      kernels.set(task.domain, k);
      platform.register(`channels:${task.domain}/`, k);
    }
    k.addTask(task.name);
    const base: ChannelTaskBase = { name: task.name, kernel, k, stepNs };
    const b = task.behaviour;
    const inner: TaskBody =
      b.kind === 'server'
        ? new ServerTask(base, b)
        : b.kind === 'client'
          ? new ClientTask(base, b)
          : b.kind === 'receiver'
            ? new ReceiverTask(base, b)
            : b.kind === 'hog'
              ? new HogTask(base, b.durationUs)
              : b.kind === 'waiter'
                ? new WaiterTask(base, b)
                : new NotifierTask(base, b);
    // Every step goes through the kernel, so RUNNING and READY are traced on both runtimes
    // (`k1`: this task's kernel, fixed for the closures; `k` moves on with the loop).
    const k1 = k;
    // What the task is at boot, for its supervisor to restart it from after a fault.
    const bootState = inner.snapshot();
    k.onRestart(task.name, () => inner.restore(bootState));
    const body: TaskBody = {
      step: () => {
        k1.enter(task.name);
        const next = inner.step();
        k1.leave(task.name, next.kind !== 'sleep' ? 'other' : next.ns > 0 ? 'sleep' : 'yield');
        return next;
      },
      snapshot: () => inner.snapshot(),
      restore: (state) => inner.restore(state),
    };
    const startAt = Math.round(((boot.get(task.domain) ?? 0) + task.startAtUs) * US);
    // A larger number runs first; the domain runs the smallest first.
    kernel.domain.addTask(task.name, body, { priority: -task.priority, startAt });
  }
  return { kernels };
}
