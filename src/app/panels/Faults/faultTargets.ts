/**
 * What the fault panel can aim a fault at in a scenario: mailbox channels, regions, domains (and
 * those whose data cache covers shared memory), ICBMsg instances, libipc ports with their struct
 * members, and tasks (libipc and synchronous-channel ones), and which of them each kind can hit.
 */
import { type FaultKind, parsePortDefinition, regionLayouts, type RegionLayout, type Scenario } from '../../../core';

export interface FaultTargets {
  /** Mailbox channels: each instance's `mboxes.tx`. */
  readonly channels: readonly string[];
  readonly regions: readonly RegionLayout[];
  readonly domains: readonly string[];
  /** Domains whose data cache covers shared memory (`dcacheLine`): what cache faults can hit. */
  readonly cached: readonly string[];
  /** ICBMsg instances as `domain/node`. */
  readonly icbmsg: readonly string[];
  /** libipc ports (their `port_name`), tasks, and the struct members each port's messages have. */
  readonly ports: readonly string[];
  readonly tasks: readonly string[];
  /** Synchronous-channel tasks (also in `tasks`): what task-fault can hit. */
  readonly channelTasks: readonly string[];
  readonly members: Readonly<Record<string, readonly string[]>>;
}

export function targetsOf(scenario: Scenario): FaultTargets {
  return {
    channels: [...new Set(scenario.instances.map((n) => n.mboxes.tx))],
    regions: regionLayouts(scenario),
    domains: scenario.domains.map((d) => d.name),
    cached: scenario.domains.filter((d) => d.dcacheLine !== undefined).map((d) => d.name),
    icbmsg: scenario.instances.filter((n) => n.compatible === 'zephyr,ipc-icbmsg').map((n) => `${n.domain}/${n.node}`),
    ...libipcTargets(scenario),
  };
}

/** What a libipc fault can hit: the ports its definitions declare, its tasks, each port's members. */
function libipcTargets(scenario: Scenario): Pick<FaultTargets, 'ports' | 'tasks' | 'channelTasks' | 'members'> {
  const spec = scenario.libipc;
  // Channel tasks can be stalled too.
  const channelTasks = scenario.channels?.tasks.map((t) => t.name) ?? [];
  if (!spec) return { ports: [], tasks: channelTasks, channelTasks, members: {} };
  const members: Record<string, string[]> = {};
  for (const d of spec.definitions) {
    const { definition } = parsePortDefinition(d.file, d.text);
    if (!definition) continue;
    const names = definition.structs.flatMap((s) => s.fields.map((f) => f.name));
    members[definition.portName] = [...new Set(names)];
  }
  return {
    ports: Object.keys(members),
    tasks: [...spec.tasks.map((t) => t.name), ...channelTasks],
    channelTasks,
    members,
  };
}

/** The tasks a kind can hit: task-fault only channel tasks (a supervisor restarts them). */
export const tasksFor = (kind: FaultKind, targets: FaultTargets): readonly string[] =>
  kind === 'task-fault' ? targets.channelTasks : targets.tasks;

/** The domains a kind can target: cache faults only hit cores that cache shared memory. */
export const isCacheFault = (kind: FaultKind): boolean => kind === 'missing-flush' || kind === 'stale-line';
export const domainsFor = (kind: FaultKind, targets: FaultTargets): readonly string[] =>
  isCacheFault(kind) ? targets.cached : targets.domains;
