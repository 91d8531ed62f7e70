/**
 * The fault panel's form as data: the catalogue in a firmware engineer's words, the targets a
 * scenario offers (mailbox channels, regions and their fields, domains, ICBMsg instances), a
 * draft of text inputs and how it becomes a fault (checked by `faultSchema`, then against the
 * scenario), and one-line summaries of a fault's target, parameters and schedule.
 *
 *   draft (strings, as typed) ──buildFault──► Fault (schema-checked) ──act({kind:'fault'})──► run
 *                                     └─────► "schedule.probability: Too big: …" (the first issue)
 */
import {
  type Fault,
  type FaultField,
  type FaultInput,
  type FaultKind,
  faultSchema,
  type RegionLayout,
} from '../../../core';
import { domainsFor, type FaultTargets, isCacheFault, tasksFor } from './faultTargets';

export { domainsFor, type FaultTargets, isCacheFault, tasksFor, targetsOf } from './faultTargets';

export const KIND_LABELS: Readonly<Record<FaultKind, string>> = {
  'doorbell-drop': 'drop doorbell',
  'doorbell-delay': 'delay doorbell',
  'doorbell-duplicate': 'duplicate doorbell',
  'mbox-send-fail': 'mbox_send fails',
  'corrupt-byte': 'corrupt a byte',
  'flip-bit': 'flip a bit',
  poke32: 'write a word (poke32)',
  stall: 'stall core',
  'warm-reset': 'warm reset',
  'cold-reset': 'cold reset',
  kill: 'kill core',
  'missing-flush': 'skip a cache flush',
  'stale-line': 'skip a cache invalidate (stale line)',
  'exhaust-blocks': 'exhaust ICBMsg blocks',
  misconfigure: 'misconfigured side',
  'port-drop': 'lose port items',
  'port-delay': 'delay port items',
  'port-duplicate': 'duplicate port items',
  'port-corrupt': 'corrupt a queued message field',
  'task-stall': 'stall a task',
  'pool-exhaust': 'exhaust the mempool',
  'task-fault': 'fault a task (its supervisor restarts it)',
};

export const FIELD_LABELS: Readonly<Record<FaultField, string>> = {
  rd_idx: 'rd_idx',
  wr_idx: 'wr_idx',
  handshake: 'handshake word',
  length: 'length of the next unread packet',
  payload: 'payload of the next unread packet',
  control: 'next unread control message',
  'block-header': 'block header',
  offset: 'byte at an offset',
};

/** The inputs a kind needs besides its schedule. */
export type FaultParam =
  | 'channel'
  | 'memory'
  | 'domain'
  | 'instance'
  | 'value'
  | 'bit'
  | 'delayUs'
  | 'durationUs'
  | 'error'
  /** Cache faults: how many of the core's next flushes / invalidates it skips (`value`). */
  | 'skips'
  /** libipc faults: a port, a task, a struct member. */
  | 'port'
  | 'task'
  | 'member';

export function paramsOf(kind: FaultKind): readonly FaultParam[] {
  switch (kind) {
    case 'doorbell-drop':
      return ['channel'];
    case 'doorbell-delay':
    case 'doorbell-duplicate':
      return ['channel', 'delayUs'];
    case 'mbox-send-fail':
      return ['channel', 'error'];
    case 'corrupt-byte':
    case 'poke32':
      return ['memory', 'value'];
    case 'flip-bit':
      return ['memory', 'bit'];
    case 'stall':
      return ['domain', 'durationUs'];
    case 'warm-reset':
    case 'cold-reset':
    case 'kill':
      return ['domain'];
    case 'missing-flush':
    case 'stale-line':
      return ['domain', 'skips'];
    case 'exhaust-blocks':
      return ['instance', 'durationUs'];
    // Acts when the world is built: a scenario's, never added while it runs.
    case 'misconfigure':
      return [];
    case 'port-drop':
      return ['port'];
    case 'port-delay':
    case 'port-duplicate':
      return ['port', 'delayUs'];
    case 'port-corrupt':
      return ['port', 'member', 'value'];
    case 'task-stall':
      return ['task', 'durationUs'];
    case 'pool-exhaust':
      return ['durationUs'];
    case 'task-fault':
      return ['task', 'durationUs'];
  }
}

/** Fields where the form asks for an offset (within the field, or from the region's start). */
export const usesOffset = (field: FaultField): boolean =>
  field === 'offset' || field === 'payload' || field === 'control' || field === 'length' || field === 'block-header';

/** The fields a memory fault can hit in a region, as its writer lays it out. */
export function fieldsOf(region: RegionLayout | undefined): readonly FaultField[] {
  if (!region) return ['offset'];
  if (region.backend === 'icbmsg') {
    return region.blocks
      ? ['rd_idx', 'wr_idx', 'control', 'length', 'block-header', 'offset']
      : ['rd_idx', 'wr_idx', 'control', 'length', 'offset'];
  }
  return region.cfg.handshakeLoc === null
    ? ['rd_idx', 'wr_idx', 'length', 'payload', 'offset']
    : ['rd_idx', 'wr_idx', 'handshake', 'length', 'payload', 'offset'];
}

/** Where a fixed field lies in its region (bytes from the region's start), or null. */
export function fieldOffset(region: RegionLayout, field: FaultField): number | null {
  const at = (loc: number | null) => (loc === null ? null : loc - region.offset);
  switch (field) {
    case 'rd_idx':
      return at(region.cfg.rdIdxLoc);
    case 'wr_idx':
      return at(region.cfg.wrIdxLoc);
    case 'handshake':
      return at(region.cfg.handshakeLoc);
    case 'length':
    case 'payload':
    case 'control':
    case 'block-header':
    case 'offset':
      return null;
  }
}

export type MboxError = Fault['error'];
export const MBOX_ERRORS: readonly MboxError[] = ['EBUSY', 'EIO', 'ENOBUFS'];

/** The form's inputs as typed; empty means "not given". */
export interface FaultDraft {
  readonly kind: FaultKind;
  /** '' is every channel. */
  readonly channel: string;
  readonly region: string;
  readonly field: FaultField;
  readonly offset: string;
  readonly block: string;
  readonly domain: string;
  readonly instance: string;
  readonly port: string;
  readonly task: string;
  /** '' is the object's first byte. */
  readonly member: string;
  readonly value: string;
  readonly bit: string;
  readonly delayUs: string;
  readonly durationUs: string;
  readonly error: MboxError;
  readonly atUs: string;
  readonly afterMessages: string;
  readonly count: string;
  readonly probability: string;
}

export const EMPTY_DRAFT: FaultDraft = {
  kind: 'doorbell-drop',
  channel: '',
  region: '',
  field: 'rd_idx',
  offset: '',
  block: '',
  domain: '',
  instance: '',
  port: '',
  task: '',
  member: '',
  value: '',
  bit: '',
  delayUs: '50',
  durationUs: '',
  error: 'EBUSY',
  atUs: '',
  afterMessages: '',
  count: '',
  probability: '1',
};

const pick = (value: string, options: readonly string[]): string =>
  options.includes(value) ? value : (options[0] ?? '');

/**
 * The draft with every select pointing at something the scenario has (a draft kept across
 * scenarios may name a region that is gone). The channel may stay '' (every channel).
 */
export function resolveDraft(draft: FaultDraft, targets: FaultTargets): FaultDraft {
  const region = pick(
    draft.region,
    targets.regions.map((r) => r.name),
  );
  const fields = fieldsOf(targets.regions.find((r) => r.name === region));
  return {
    ...draft,
    channel: draft.channel === '' ? '' : pick(draft.channel, targets.channels),
    region,
    field: fields.includes(draft.field) ? draft.field : (fields[0] ?? 'offset'),
    domain: pick(draft.domain, domainsFor(draft.kind, targets)),
    instance: pick(draft.instance, targets.icbmsg),
    port: pick(draft.port, targets.ports),
    task: pick(draft.task, tasksFor(draft.kind, targets)),
    member: draft.member === '' ? '' : pick(draft.member, targets.members[pick(draft.port, targets.ports)] ?? []),
  };
}

/** A number as typed (decimal, or hex with 0x), undefined when empty, NaN when not a number. */
export function numberOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return Number(t);
}

/** The object without its undefined entries (the schema's optional fields are absent, not undefined). */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export type Built = { readonly ok: true; readonly fault: Fault } | { readonly ok: false; readonly issue: string };

const refuse = (path: string, message: string): Built => ({ ok: false, issue: `${path}: ${message}` });

/** The fault a (resolved) draft describes with id `id`, or the first thing wrong with it. */
export function buildFault(draft: FaultDraft, targets: FaultTargets, id: string): Built {
  const params = paramsOf(draft.kind);
  const has = (p: FaultParam) => params.includes(p);
  const memory = has('memory');
  // The selects first: a scenario without such a target has nothing to pick.
  if (memory && !targets.regions.some((r) => r.name === draft.region))
    return refuse('target.region', 'this scenario has no shared-memory region');
  if (has('domain') && !domainsFor(draft.kind, targets).includes(draft.domain))
    return refuse(
      'target.domain',
      isCacheFault(draft.kind)
        ? 'no core of this scenario caches shared memory (domains[].dcacheLine)'
        : 'pick a domain',
    );
  if (has('instance') && !targets.icbmsg.includes(draft.instance))
    return refuse('target.instance', 'this scenario has no ICBMsg instance');
  if (has('port') && !targets.ports.includes(draft.port))
    return refuse('target.port', 'this scenario has no libipc port');
  if (has('task') && !tasksFor(draft.kind, targets).includes(draft.task))
    return refuse(
      'target.task',
      draft.kind === 'task-fault' ? 'this scenario has no synchronous-channel task' : 'this scenario has no task',
    );
  const target = defined({
    channel: has('channel') && draft.channel !== '' ? draft.channel : undefined,
    region: memory ? draft.region : undefined,
    field: memory ? draft.field : undefined,
    offset: memory && usesOffset(draft.field) ? numberOf(draft.offset) : undefined,
    block: memory && draft.field === 'block-header' ? numberOf(draft.block) : undefined,
    domain: has('domain') ? draft.domain : has('instance') ? draft.instance.split('/')[0] : undefined,
    instance: has('instance') ? draft.instance.split('/')[1] : undefined,
    port: has('port') ? draft.port : undefined,
    task: has('task') ? draft.task : undefined,
    member: has('member') && draft.member !== '' ? draft.member : undefined,
  });
  const raw = defined({
    id,
    kind: draft.kind,
    target,
    probability: numberOf(draft.probability),
    schedule: defined({
      atUs: numberOf(draft.atUs),
      afterMessages: numberOf(draft.afterMessages),
      count: numberOf(draft.count),
    }),
    value: has('value') || has('skips') ? numberOf(draft.value) : undefined,
    bit: has('bit') ? numberOf(draft.bit) : undefined,
    delayUs: has('delayUs') ? numberOf(draft.delayUs) : undefined,
    durationUs: has('durationUs') ? numberOf(draft.durationUs) : undefined,
    error: has('error') ? draft.error : undefined,
  });
  const parsed = faultSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return issue ? refuse(issue.path.map(String).join('.') || 'fault', issue.message) : refuse('fault', 'invalid');
  }
  const fault = parsed.data;
  // What the schema cannot know: the sizes of the scenario's regions.
  const region = memory ? targets.regions.find((r) => r.name === fault.target.region) : undefined;
  if (region) {
    const offset = fault.target.offset ?? 0;
    if (fault.target.field === 'offset' && offset >= region.size)
      return refuse('target.offset', `past the end of ${region.name} (${region.size} B)`);
    if (fault.target.field === 'block-header') {
      const count = region.blocks?.blockCount ?? 0;
      if ((fault.target.block ?? 0) >= count) return refuse('target.block', `${region.name} has ${count} blocks`);
    }
  }
  return { ok: true, fault };
}

/** The next free id `f<n>`, after the highest one taken. */
export function nextFaultId(taken: Iterable<string>): string {
  const ids = new Set(taken);
  let n = 1;
  for (const id of ids) {
    const m = /^f(\d+)$/.exec(id);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  while (ids.has(`f${n}`)) n += 1;
  return `f${n}`;
}

/** The per-domain quick actions: each acts at once (an empty schedule). */
export const QUICK_ACTIONS: readonly { readonly kind: FaultKind; readonly label: (domain: string) => string }[] = [
  { kind: 'stall', label: (d) => `Stall ${d} 100 µs` },
  { kind: 'warm-reset', label: (d) => `Warm reset ${d}` },
  { kind: 'cold-reset', label: (d) => `Cold reset ${d}` },
  { kind: 'kill', label: (d) => `Kill ${d}` },
];

export function quickFault(kind: FaultKind, domain: string, id: string): FaultInput {
  return kind === 'stall'
    ? { id, kind, target: { domain }, schedule: {}, durationUs: 100 }
    : { id, kind, target: { domain }, schedule: {} };
}
