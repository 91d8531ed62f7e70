/**
 * The debugger's trace: what every view draws from. Views that draw many events (the timeline,
 * counter tracks) read the typed columns; views that show one event ask for its object.
 *
 *   index i ──► seq[i] t[i] lane[i] kind[i] msgId[i] flags[i]     columns, [0, length)
 *          └──► event(i)                                          the TraceEvent itself
 *
 * Indices are positions in the table and shift when the oldest events are evicted; `seq` (the
 * trace's global sequence number) never changes, so anything kept across frames (a selection, a
 * bookmark) holds a `seq` and finds its index again with `indexOfSeq`.
 *
 * Lanes: each domain has three, one per execution context, as a firmware engineer reads a core:
 * interrupts (doorbells), the work queue (backend callbacks, state machines) and tasks (the
 * application). `lane = domainIndex * 3 + context`.
 *
 * Time: `t` is non-decreasing in the inline runtime (virtual time). In the worker runtime events
 * are ordered by their global sequence number and each domain stamps its own clock, so `t` may go
 * back by a few microseconds between domains; a view that binary-searches `t` must widen its range
 * by `tSlackNs`.
 */
import { KINDS, type PortOp, type TraceEvent, type TraceKind } from '../../core';
import { lowerBound } from './search';

export const CONTEXTS = ['irq', 'work', 'task'] as const;
export type Context = (typeof CONTEXTS)[number];
export const LANES_PER_DOMAIN = CONTEXTS.length;

/** Flag bits of `flags[i]`. */
export const TraceFlag = {
  /** Something went wrong here: a lost doorbell, an errno result, an anomaly, an assert, a fault. */
  problem: 1,
  /** A message enters shared memory (the start of a message arrow). */
  send: 2,
  /** A message leaves shared memory (the end of a message arrow). */
  receive: 4,
} as const;

const KIND_INDEX = new Map<TraceKind, number>(KINDS.map((k, i) => [k, i]));

/** The column value of a kind (its index in `KINDS`). */
export const kindIndex = (kind: TraceKind): number => KIND_INDEX.get(kind) ?? 255;
export const kindName = (index: number): TraceKind | undefined => KINDS[index];

export interface TraceTable {
  /** Events held. */
  readonly length: number;
  /** Changes whenever the content changes (append, truncate, eviction, clear). */
  readonly revision: number;
  /** Events evicted from the front because the table was full (shown, never silent). */
  readonly evicted: number;
  /** How far `t` may go back between consecutive events (0 in the inline runtime). */
  readonly tSlackNs: number;
  /** Domain names by domain index. */
  readonly domains: readonly string[];
  readonly seq: Float64Array;
  readonly t: Float64Array;
  readonly lane: Uint16Array;
  /** Index into `KINDS`. */
  readonly kind: Uint8Array;
  /** Message id, NaN when the event carries none. */
  readonly msgId: Float64Array;
  readonly flags: Uint8Array;
  event(index: number): TraceEvent | undefined;
  /** The index of the event with sequence number `seq`, or -1 when it is not held. */
  indexOfSeq(seq: number): number;
  /** The first index whose time is at or after `ns` (length when none). */
  indexAtTime(ns: number): number;
}

/** Which lane context an event belongs to, given the context its domain is running in. */
function contextOf(event: TraceEvent, running: Context): Context {
  if (event.kind === 'decision') {
    return event.ran.startsWith('irq:') ? 'irq' : event.ran.startsWith('work:') ? 'work' : 'task';
  }
  if (event.kind === 'doorbell-delivered' || event.kind === 'doorbell-lost') return 'irq';
  if (event.kind === 'work') return 'work';
  if (event.kind === 'task') return 'task';
  // libipc runs in its tasks (worker domains trace no decisions, so the running context alone
  // would leave a task's port calls in the lane of the doorbell that woke it).
  if (event.kind === 'port' || event.kind === 'pool' || event.kind === 'channel') return 'task';
  return running;
}

/**
 * Whether an event reports something going wrong: what every view marks red and the topology
 * counts (one definition, so they agree).
 */
export function isProblem(event: TraceEvent): boolean {
  switch (event.kind) {
    case 'doorbell-lost':
    case 'anomaly':
    case 'assert':
    case 'memory-fault':
    case 'trace-gap':
    case 'packet-dropped':
    case 'fault':
    case 'violation':
      return true;
    case 'blocks':
      return event.use === 'leaked';
    case 'port':
      return isPortProblem(event.op);
    case 'channel':
      return event.op === 'lost' || event.op === 'dead' || event.op === 'timeout' || event.state === 'FAULTED';
    case 'pool':
      return false;
    case 'api':
    case 'doorbell-rung':
      return typeof event.result === 'string';
    case 'callback':
      return event.callback === 'error';
    case 'domain':
      return event.status === 'crashed';
    case 'decision':
    case 'transition':
    case 'packet-written':
    case 'packet-read':
    case 'doorbell-delivered':
    case 'work':
    case 'task':
    case 'note':
      return false;
  }
}

/** libipc operations that report a failure: a send or wait that timed out, a dropped response, a reset. */
export function isPortProblem(op: PortOp): boolean {
  switch (op) {
    case 'send-timeout':
    case 'send-failed':
    case 'reset':
    case 'proto-stale':
    case 'proto-mismatch':
    case 'proto-timeout':
      return true;
    case 'register':
    case 'send':
    case 'send-blocked':
    case 'recv':
    case 'recv-blocked':
    case 'recv-timeout':
    case 'done':
    case 'write':
    case 'proto-route':
    case 'proto-response':
      return false;
  }
}

function flagsOf(event: TraceEvent): number {
  let flags = isProblem(event) ? TraceFlag.problem : 0;
  if (event.kind === 'packet-written') flags |= TraceFlag.send;
  if (event.kind === 'packet-read' && event.msgId !== null) flags |= TraceFlag.receive;
  if (event.kind === 'port' && event.op === 'send') flags |= TraceFlag.send;
  if (event.kind === 'port' && event.op === 'recv') flags |= TraceFlag.receive;
  if (event.kind === 'channel' && event.msgId !== undefined)
    flags |= event.op === 'receive' ? TraceFlag.receive : TraceFlag.send;
  return flags;
}

const grow = <T extends Float64Array | Uint16Array | Uint8Array>(a: T, size: number, make: (n: number) => T): T => {
  const next = make(size);
  next.set(a);
  return next;
};

/**
 * A growable TraceTable fed event by event (from a runtime's updates). With a `capacity`, the
 * oldest half is evicted and counted when it is reached; without one it only grows (the inline
 * runtime keeps every event of its branch anyway, and its positions must match the table's).
 */
export class ColumnTrace implements TraceTable {
  readonly capacity: number;
  tSlackNs = 0;
  seq = new Float64Array(1024);
  t = new Float64Array(1024);
  lane = new Uint16Array(1024);
  kind = new Uint8Array(1024);
  msgId = new Float64Array(1024);
  flags = new Uint8Array(1024);
  private objects: TraceEvent[] = [];
  /** Message id → index of the first event that carries it (for following a message). */
  private firstOfMessage = new Map<number, number>();
  private readonly domainList: string[] = [];
  private readonly running: Context[] = [];
  private count = 0;
  private rev = 0;
  private epochValue = 0;
  private evictedCount = 0;

  constructor(options: { capacity?: number; tSlackNs?: number } = {}) {
    this.capacity = options.capacity === undefined ? Infinity : Math.max(1024, options.capacity);
    this.tSlackNs = options.tSlackNs ?? 0;
  }

  get length(): number {
    return this.count;
  }

  get revision(): number {
    return this.rev;
  }

  get evicted(): number {
    return this.evictedCount;
  }

  /** Bumps whenever events already held change (truncate, clear, eviction), not on append. */
  get epoch(): number {
    return this.epochValue;
  }

  get domains(): readonly string[] {
    return this.domainList;
  }

  /** The domain index of `name`, registered on first use (in order of appearance). */
  domainIndex(name: string): number {
    let i = this.domainList.indexOf(name);
    if (i < 0) {
      i = this.domainList.length;
      this.domainList.push(name);
      this.running.push('task');
    }
    return i;
  }

  append(event: TraceEvent): void {
    if (this.count === this.capacity) this.evict(Math.floor(this.capacity / 2));
    if (this.count === this.seq.length) this.resize(Math.min(this.capacity, this.seq.length * 2));
    const d = this.domainIndex(event.domain);
    const context = contextOf(event, this.running[d] ?? 'task');
    if (event.kind === 'decision' || event.kind === 'doorbell-delivered') this.running[d] = context;
    if (event.kind === 'work' && event.phase === 'run') this.running[d] = 'work';
    if (event.kind === 'task' && event.phase === 'ran') this.running[d] = 'task';
    const i = this.count;
    this.seq[i] = event.seq;
    this.t[i] = event.t;
    this.lane[i] = d * LANES_PER_DOMAIN + CONTEXTS.indexOf(context);
    this.kind[i] = kindIndex(event.kind);
    const id = 'msgId' in event ? event.msgId : undefined;
    this.msgId[i] = typeof id === 'number' ? id : NaN;
    this.flags[i] = flagsOf(event);
    if (typeof id === 'number' && !this.firstOfMessage.has(id)) this.firstOfMessage.set(id, i);
    this.objects[i] = event;
    this.count += 1;
    this.rev += 1;
  }

  /** Keeps the first `length` events (a rewound or forked run). */
  truncate(length: number): void {
    const keep = Math.max(0, Math.min(length, this.count));
    if (keep === this.count) return;
    this.count = keep;
    this.objects.length = keep;
    this.rev += 1;
    this.epochValue += 1;
    for (const [id, at] of this.firstOfMessage) if (at >= keep) this.firstOfMessage.delete(id);
    // Each domain runs in the context its last kept decision (or delivery) put it in.
    const found = new Set<number>();
    this.running.fill('task');
    for (let i = keep - 1; i >= 0 && found.size < this.domainList.length; i--) {
      const e = this.objects[i];
      if (!e || (e.kind !== 'decision' && e.kind !== 'doorbell-delivered')) continue;
      const d = this.domainList.indexOf(e.domain);
      if (d < 0 || found.has(d)) continue;
      found.add(d);
      this.running[d] = contextOf(e, 'task');
    }
  }

  clear(): void {
    this.count = 0;
    this.objects = [];
    this.firstOfMessage.clear();
    this.domainList.length = 0;
    this.running.length = 0;
    this.evictedCount = 0;
    this.rev += 1;
    this.epochValue += 1;
  }

  /**
   * The events that carry message `msgId`, in order: from the first one, looking at most `window`
   * events further (a message's write, read and callbacks lie close together).
   */
  messageEvents(msgId: number, window = 100_000): number[] {
    const first = this.firstOfMessage.get(msgId);
    if (first === undefined) return [];
    const out: number[] = [];
    const end = Math.min(this.count, first + window);
    for (let i = first; i < end; i++) if (this.msgId[i] === msgId) out.push(i);
    return out;
  }

  event(index: number): TraceEvent | undefined {
    return index >= 0 && index < this.count ? this.objects[index] : undefined;
  }

  indexOfSeq(seq: number): number {
    const i = lowerBound(this.seq, this.count, seq);
    return i < this.count && this.seq[i] === seq ? i : -1;
  }

  indexAtTime(ns: number): number {
    return lowerBound(this.t, this.count, ns);
  }

  private evict(n: number): void {
    for (const column of [this.seq, this.t, this.lane, this.kind, this.msgId, this.flags]) {
      column.copyWithin(0, n, this.count);
    }
    this.objects = this.objects.slice(n);
    this.count -= n;
    const shifted = new Map<number, number>();
    for (const [id, at] of this.firstOfMessage) if (at >= n) shifted.set(id, at - n);
    this.firstOfMessage = shifted;
    this.evictedCount += n;
    this.rev += 1;
    this.epochValue += 1;
  }

  private resize(size: number): void {
    this.seq = grow(this.seq, size, (k) => new Float64Array(k));
    this.t = grow(this.t, size, (k) => new Float64Array(k));
    this.lane = grow(this.lane, size, (k) => new Uint16Array(k));
    this.kind = grow(this.kind, size, (k) => new Uint8Array(k));
    this.msgId = grow(this.msgId, size, (k) => new Float64Array(k));
    this.flags = grow(this.flags, size, (k) => new Uint8Array(k));
  }
}
