/**
 * From untrusted data to a scenario that can run: the schema first, then the cross-references
 * and the checks a firmware build would make (Zephyr's build asserts on the pbuf layout), each
 * reported by path with a sentence saying what is wrong. Never throws.
 */
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import { icbmsgLayout } from '../backends/icbmsg/layout';
import { pbufDefineAsserts } from '../shm/pbuf';
import { type AreaPlan, planArea } from '../ports/area';
import { channelIssues } from '../channels/build';
import { isPortSendFault, PORT_FAULTS, PORT_SEND_FAULTS } from '../faults/schema';
import type { VirtualAddress } from '../shm/MemoryMap';
import { type Scenario, SCENARIO_VERSION, scenarioSchema } from './schema';

/** A path as a reader writes it: `instances[0].dcache-alignment`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out || '(scenario)';
}

export function parseScenario(input: unknown): Outcome<Scenario, ConfigIssue[]> {
  // A scenario from a newer IPC Scope says so, rather than failing field by field.
  const version = typeof input === 'object' && input !== null && 'version' in input ? input.version : undefined;
  if (typeof version === 'number' && Number.isInteger(version) && version > SCENARIO_VERSION) {
    return fail([
      {
        path: 'version',
        message: `scenario version ${version} was written by a newer IPC Scope; this one reads versions up to ${SCENARIO_VERSION}`,
      },
    ]);
  }
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    return fail(parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })));
  }
  const issues = crossCheck(parsed.data).map((i) => ({
    ...i,
    path: formatPath(i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))),
  }));
  return issues.length > 0 ? fail(issues) : ok(parsed.data);
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) twice.add(k);
    seen.add(k);
  }
  return twice;
}

function crossCheck(s: Scenario): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const domains = new Set(s.domains.map((d) => d.name));
  for (const name of duplicates(s.domains, (d) => d.name)) add('domains', `domain "${name}" is defined twice`);

  const regions = new Map(s.memory.regions.map((r) => [r.name, r]));
  for (const name of duplicates(s.memory.regions, (r) => r.name))
    add('memory.regions', `region "${name}" is defined twice`);
  s.memory.regions.forEach((r, i) => {
    if (r.offset % 4 !== 0) add(`memory.regions.${i}.offset`, `region "${r.name}" must start at a multiple of 4`);
    if (r.offset + r.size > s.memory.size) {
      add(
        `memory.regions.${i}.size`,
        `region "${r.name}" ends at ${r.offset + r.size}, past the ${s.memory.size}-byte shared memory`,
      );
    }
    s.memory.regions.slice(i + 1).forEach((o) => {
      if (r.offset < o.offset + o.size && o.offset < r.offset + r.size)
        add(`memory.regions.${i}`, `regions "${r.name}" and "${o.name}" overlap`);
    });
  });
  if (s.memory.size % 4 !== 0) add('memory.size', 'shared memory size must be a multiple of 4 bytes');
  if (s.memory.base % 4 !== 0 || s.memory.base + s.memory.size > 0x1_0000_0000) {
    add('memory.base', 'base must be a word-aligned 32-bit address with room for the whole memory');
  }

  s.domains.forEach((d, i) => {
    const line = d.dcacheLine;
    if (line !== undefined && (line & (line - 1)) !== 0)
      add(`domains.${i}.dcacheLine`, `${line} is not a power of two`);
  });
  const nodes = new Map<string, Scenario['instances'][number]>();
  for (const key of duplicates(s.instances, (n) => `${n.domain}/${n.node}`))
    add('instances', `instance ${key} is defined twice`);
  const txUsers = new Map<string, string[]>();
  const rxUsers = new Map<string, string[]>();
  s.instances.forEach((node, i) => {
    const path = `instances.${i}`;
    nodes.set(`${node.domain}/${node.node}`, node);
    if (!domains.has(node.domain)) add(`${path}.domain`, `no domain "${node.domain}"`);
    const dcache = node['dcache-alignment'] ?? 0;
    if (dcache !== 0 && (dcache & (dcache - 1)) !== 0)
      add(`${path}.dcache-alignment`, `${dcache} is not a power of two`);
    if (node['tx-region'] === node['rx-region'])
      add(`${path}.rx-region`, 'tx-region and rx-region must be different regions');
    if (node.compatible === 'zephyr,ipc-icmsg' && node.unbound !== 'disable' && dcache < 8) {
      add(
        `${path}.dcache-alignment`,
        `unbound = ${node.unbound} needs dcache-alignment ≥ 8 (the handshake word's pbuf refuses less: open would fail with -EINVAL)`,
      );
    }
    if (node.compatible === 'zephyr,ipc-icmsg' && node.zephyr === '3.6' && node.unbound !== 'disable') {
      add(`${path}.unbound`, '"unbound" arrived in Zephyr 4.1: the 3.6 ICMsg only behaves as "disable"');
    }
    for (const which of ['tx-region', 'rx-region'] as const) {
      const region = regions.get(node[which]);
      if (!region) {
        add(`${path}.${which}`, `no region "${node[which]}"`);
        continue;
      }
      if (node.compatible === 'zephyr,ipc-icbmsg') {
        const [local, remote] =
          which === 'tx-region' ? [node['tx-blocks'], node['rx-blocks']] : [node['rx-blocks'], node['tx-blocks']];
        const layout = icbmsgLayout({
          regAddr: s.memory.base + region.offset,
          regSize: region.size,
          dcacheAlignment: dcache,
          localBlocks: local,
          remoteBlocks: remote,
        });
        if (!layout.ok) add(`${path}.${which}`, `ICBMsg build assert on "${region.name}": ${layout.error.reason}`);
        continue;
      }
      const failed = pbufDefineAsserts(s.memory.base + region.offset, region.size, dcache, node.unbound === 'detect');
      for (const message of failed) add(`${path}.${which}`, `PBUF_DEFINE build assert on "${region.name}": ${message}`);
    }
    if (node.mboxes.tx === node.mboxes.rx) add(`${path}.mboxes`, 'the tx and rx mailbox channels must differ');
    txUsers.set(node.mboxes.tx, [...(txUsers.get(node.mboxes.tx) ?? []), node.domain]);
    rxUsers.set(node.mboxes.rx, [...(rxUsers.get(node.mboxes.rx) ?? []), node.domain]);
  });
  // The two sides of a link must be the same backend and, for ICBMsg, mirror each other's block
  // counts (each side computes both regions' layouts from its own pair).
  s.instances.forEach((node, i) => {
    const peer = s.instances.find((p) => p !== node && p['tx-region'] === node['rx-region']);
    if (!peer) return;
    if (peer.compatible !== node.compatible) {
      add(`instances.${i}.compatible`, `${node.compatible} here but ${peer.compatible} on ${peer.domain}/${peer.node}`);
    } else if (
      node.compatible === 'zephyr,ipc-icbmsg' &&
      peer.compatible === 'zephyr,ipc-icbmsg' &&
      (node['tx-blocks'] !== peer['rx-blocks'] || node['rx-blocks'] !== peer['tx-blocks'])
    ) {
      add(
        `instances.${i}.tx-blocks`,
        `tx-blocks/rx-blocks ${node['tx-blocks']}/${node['rx-blocks']} must mirror ${peer.domain}/${peer.node}'s ${peer['tx-blocks']}/${peer['rx-blocks']}: the two sides would lay the regions out differently`,
      );
    }
  });
  for (const channel of new Set([...txUsers.keys(), ...rxUsers.keys()])) {
    const tx = txUsers.get(channel) ?? [];
    const rx = rxUsers.get(channel) ?? [];
    if (tx.length !== 1 || rx.length !== 1) {
      add(
        'instances',
        `mailbox channel "${channel}" needs exactly one sender and one receiver (has ${tx.length} and ${rx.length})`,
      );
    }
  }

  for (const key of duplicates(s.endpoints, (e) => `${e.domain}/${e.instance}/${e.name}`))
    add('endpoints', `endpoint ${key} is defined twice`);
  s.endpoints.forEach((e, i) => {
    const path = `endpoints.${i}`;
    if (!domains.has(e.domain)) add(`${path}.domain`, `no domain "${e.domain}"`);
    else if (!nodes.has(`${e.domain}/${e.instance}`))
      add(`${path}.instance`, `no instance "${e.instance}" on domain "${e.domain}"`);
    const b = e.behaviour;
    if (b.kind === 'stream' && typeof b.size === 'object' && b.size.min > b.size.max)
      add(`${path}.behaviour.size`, 'min is larger than max');
  });

  s.decisions.forEach((d, i) => {
    if (!domains.has(d.pick)) add(`decisions.${i}.pick`, `no domain "${d.pick}"`);
  });
  if (s.libipc) {
    const spec = s.libipc;
    const r = s.memory.regions.find((x) => x.name === spec.region);
    const region = r && { ...r, address: ((s.memory.base + r.offset) >>> 0) as VirtualAddress };
    const used = s.instances.find((n) => n['tx-region'] === spec.region || n['rx-region'] === spec.region);
    if (used) add('libipc.region', `region ${spec.region} is ${used.node}'s; libipc needs a region of its own`);
    const planned = planArea(
      spec,
      region,
      s.domains.map((d) => d.name),
    );
    if (!planned.ok) issues.push(...planned.error);
    else issues.push(...portFaultIssues(s, planned.value));
  } else {
    s.faults.forEach((f, i) => {
      // A channel task can be stalled without libipc.
      if (f.kind === 'task-stall' && s.channels) {
        if (!s.channels.tasks.some((x) => x.name === f.target.task))
          add(`faults.${i}.target.task`, `no libipc or channel task ${f.target.task ?? '(none given)'}`);
        return;
      }
      if (
        (PORT_SEND_FAULTS as readonly string[]).includes(f.kind) ||
        (PORT_FAULTS as readonly string[]).includes(f.kind)
      )
        add(`faults.${i}.kind`, `${f.kind} needs libipc ports: this scenario has no libipc section`);
    });
  }
  issues.push(...channelIssues(s));
  s.faults.forEach((f, i) => {
    if (f.kind !== 'task-fault') return;
    const spec = s.channels;
    if (!spec || !spec.tasks.some((x) => x.name === f.target.task))
      add(`faults.${i}.target.task`, `no synchronous-channel task ${f.target.task ?? '(none given)'}`);
    else if (spec.mode === 'anckor' && f.durationUs !== undefined)
      add(`faults.${i}.durationUs`, 'Anckor has no supervisor to restart a task: leave durationUs out (held faulted)');
  });
  return issues;
}

/** libipc faults name a port, task and member the scenario has; per-send ones act on a send. */
function portFaultIssues(s: Scenario, plan: AreaPlan): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  s.faults.forEach((f, i) => {
    const path = `faults.${i}`;
    const t = f.target;
    const port = t.port === undefined ? undefined : plan.ports.find((p) => p.name === t.port);
    if (t.port !== undefined && !port) issues.push({ path: `${path}.target.port`, message: `no port ${t.port}` });
    if (isPortSendFault(f.kind) && (f.schedule.atStep !== undefined || f.schedule.whenState))
      issues.push({
        path: `${path}.schedule`,
        message: `${f.kind} acts on a send: schedule it by time, messages, flip-flop or count`,
      });
    if (f.kind === 'port-corrupt') {
      if (!port) issues.push({ path: `${path}.target.port`, message: 'port-corrupt needs a port' });
      else if (t.member !== undefined) {
        const has = port.definition.structs.some((st) => st.fields.some((x) => x.name === t.member));
        if (!has)
          issues.push({
            path: `${path}.target.member`,
            message: `no message of ${port.name} has a member ${t.member}`,
          });
      }
    }
    const libipcKind = isPortSendFault(f.kind) || (PORT_FAULTS as readonly string[]).includes(f.kind);
    if (libipcKind && t.domain !== undefined && !s.libipc?.tasks.some((x) => x.domain === t.domain))
      issues.push({ path: `${path}.target.domain`, message: `no libipc task runs on ${t.domain}` });
    const isTask = (x: { readonly name: string }) => x.name === t.task;
    if (f.kind === 'task-stall' && !s.libipc?.tasks.some(isTask) && !s.channels?.tasks.some(isTask))
      issues.push({ path: `${path}.target.task`, message: `no libipc or channel task ${t.task ?? '(none given)'}` });
  });
  return issues;
}
