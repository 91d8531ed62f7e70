/**
 * Each libipc port's object history, gathered from the trace table (Tracealyzer's Kernel Object
 * History and Object Utilization, ux-anchors §1.5): every message that entered the port's queue
 * with when it was sent and received (or lost in a device reset), the queue's fill level after
 * each port operation, and the marks worth seeing (a sender blocked on a full queue, timeouts,
 * failed sends, resets, stale or mismatched proto responses).
 *
 *   message:  msgId · sender task · tag · length · object (the ipc_ref_t) · owned (a mempool copy,
 *             `take_ownership`) · slot (its queue slot) · send / recv / done / free / drop indices
 *   fill:     columns index (table index) · t · fill (items queued after the event)
 *
 * It holds the whole table, the recorded future included; views cut it at the time cursor by table
 * index (binary searches), so moving the cursor costs no rescan. Gathering is incremental:
 * `update()` reads only the events appended since the last call and starts over when the table
 * was rewritten under it (a rewind, a fork, an eviction, a clear).
 */
import type { PortOp, TraceEvent } from '../../../core';
import { kindIndex, type TraceTable } from '../../trace/TraceTable';
import { lowerBound } from '../../trace/search';

/** One message that entered a port's queue. Indices are table indices, -1 when it has not happened. */
export interface PortMessage {
  readonly port: string;
  readonly msgId: number;
  readonly task: string;
  readonly tag: number;
  readonly tagName: string | null;
  readonly length: number;
  /** `ipc_ref_t.object`: the virtual address the item points at (0 for NULL). */
  readonly object: number;
  /** A mempool copy (`ipc_send_cp`, `take_ownership`) rather than the sender's own object. */
  readonly owned: boolean;
  /** The queue slot (ring index) the item sat in. */
  readonly slot: number;
  readonly sendIndex: number;
  readonly sendT: number;
  recvIndex: number;
  recvT: number;
  /** The receiver finished with the object (`done`). */
  doneIndex: number;
  /** Its mempool entry was freed (`mempool_free` zeroes it). */
  freeIndex: number;
  /** Still queued when its device reset: the queue (task RAM) is gone. */
  dropIndex: number;
  dropT: number;
}

/** Port operations the history marks: waits on a full queue (warn) and failures (problem). */
export type MarkOp = Extract<
  PortOp,
  'send-blocked' | 'send-timeout' | 'send-failed' | 'reset' | 'proto-timeout' | 'proto-stale' | 'proto-mismatch'
>;

export interface PortMark {
  readonly index: number;
  readonly t: number;
  readonly op: MarkOp;
  readonly task: string;
  readonly msgId: number | null;
  readonly detail: string | null;
}

/** A by-reference sender writing its object (`write`): what makes an earlier item's bytes change. */
export interface ObjectWrite {
  readonly index: number;
  readonly object: number;
  readonly msgId: number | null;
}

/** Marks drawn as problems (red); the others (a blocked sender) are warnings. */
export const isFailureMark = (op: MarkOp): boolean => op !== 'send-blocked';

/** The fill level as a step function: after the event at `index[i]`, `fill[i]` items are queued. */
export class FillSteps {
  count = 0;
  index = new Int32Array(64);
  t = new Float64Array(64);
  fill = new Int32Array(64);
  /** The largest fill of steps [0, i]. */
  peakTo = new Int32Array(64);
  /** Largest fill so far. */
  peak = 0;

  push(index: number, t: number, fill: number): void {
    // Only changes are steps; the first event sets the level.
    if (this.count > 0 && this.fill[this.count - 1] === fill) return;
    if (this.count === this.index.length) this.grow(this.count * 2);
    this.index[this.count] = index;
    this.t[this.count] = t;
    this.fill[this.count] = fill;
    if (fill > this.peak) this.peak = fill;
    this.peakTo[this.count] = this.peak;
    this.count += 1;
  }

  /** How many steps happened before table index `cursor`. */
  before(cursor: number): number {
    return lowerBound(this.index, this.count, cursor);
  }

  /** The fill level just before table index `cursor` (0 before the first step). */
  at(cursor: number): number {
    const k = this.before(cursor);
    return k > 0 ? (this.fill[k - 1] ?? 0) : 0;
  }

  /** The largest fill level before table index `cursor`. */
  peakBefore(cursor: number): number {
    const k = this.before(cursor);
    return k > 0 ? (this.peakTo[k - 1] ?? 0) : 0;
  }

  private grow(size: number): void {
    const index = new Int32Array(size);
    index.set(this.index);
    const t = new Float64Array(size);
    t.set(this.t);
    const fill = new Int32Array(size);
    fill.set(this.fill);
    const peakTo = new Int32Array(size);
    peakTo.set(this.peakTo);
    this.index = index;
    this.t = t;
    this.fill = fill;
    this.peakTo = peakTo;
  }
}

/** One port's history. */
export class PortRecord {
  readonly name: string;
  /** Its depth as the trace reports it (0 until an event says). */
  depth = 0;
  /** The domain its tasks run on (the last one seen). */
  domain = '';
  /** In send order (so by `sendIndex`). */
  readonly messages: PortMessage[] = [];
  readonly fill = new FillSteps();
  readonly marks: PortMark[] = [];
  readonly writes: ObjectWrite[] = [];

  constructor(name: string) {
    this.name = name;
  }

  /** How many messages were sent before table index `cursor`. */
  sentBefore(cursor: number): number {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.messages[mid]?.sendIndex ?? Infinity) < cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many marks happened before table index `cursor`. */
  marksBefore(cursor: number): number {
    let lo = 0;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.marks[mid]?.index ?? Infinity) < cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The first write of a by-reference message's object after its send and before `until` (a table
 * index: the receiver's `done`, or the cursor), or null: libipc's contract is that the object stays
 * unchanged until the receiver is done, so such a write changes what the item points at.
 */
export function rewriteOf(m: PortMessage, writes: readonly ObjectWrite[], until: number): ObjectWrite | null {
  if (m.owned || m.object === 0) return null;
  let lo = 0;
  let hi = writes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((writes[mid]?.index ?? Infinity) <= m.sendIndex) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < writes.length; i++) {
    const w = writes[i];
    if (!w || w.index >= until) break;
    if (w.object === m.object) return w;
  }
  return null;
}

/** The table's capabilities this needs (a ColumnTrace has them). */
export type HistoryTable = Pick<TraceTable, 'length' | 'kind' | 'event'> & { readonly epoch: number };

export class PortHistory {
  private readonly table: HistoryTable;
  private readonly ports = new Map<string, PortRecord>();
  private readonly byMsg = new Map<number, PortMessage>();
  private scanned = 0;
  private epoch = -1;
  private readonly portKind = kindIndex('port');
  private readonly poolKind = kindIndex('pool');
  private readonly domainKind = kindIndex('domain');

  constructor(table: HistoryTable) {
    this.table = table;
  }

  /** Reads what the table gained since the last call; starts over if it was rewritten. */
  update(): this {
    const { table } = this;
    if (table.epoch !== this.epoch || table.length < this.scanned) {
      this.ports.clear();
      this.byMsg.clear();
      this.scanned = 0;
      this.epoch = table.epoch;
    }
    const { kind } = table;
    for (let i = this.scanned; i < table.length; i++) {
      const k = kind[i];
      if (k !== this.portKind && k !== this.poolKind && k !== this.domainKind) continue;
      const e = table.event(i);
      if (e) this.read(i, e);
    }
    this.scanned = table.length;
    return this;
  }

  /** Ports in order of their first event. */
  get names(): string[] {
    return [...this.ports.keys()];
  }

  port(name: string): PortRecord | undefined {
    return this.ports.get(name);
  }

  message(msgId: number): PortMessage | undefined {
    return this.byMsg.get(msgId);
  }

  private record(name: string): PortRecord {
    let r = this.ports.get(name);
    if (!r) {
      r = new PortRecord(name);
      this.ports.set(name, r);
    }
    return r;
  }

  private read(i: number, e: TraceEvent): void {
    if (e.kind === 'pool') {
      if (e.op === 'free' && e.msgId !== undefined) {
        const m = this.byMsg.get(e.msgId);
        if (m && m.freeIndex < 0) m.freeIndex = i;
      }
      return;
    }
    if (e.kind === 'domain') {
      // A reset device loses its queues (libipc's area is its RAM): what was queued is dropped.
      // Ports shared with tasks of other domains are not this device's alone: derive.ts keeps them.
      if (e.status !== 'reset' && e.status !== 'restarted') return;
      const records = [...this.ports.values()];
      if (!records.some((r) => r.domain === e.domain) || records.some((r) => r.domain !== e.domain)) return;
      for (const r of records) {
        for (const m of r.messages) {
          if (m.recvIndex < 0 && m.dropIndex < 0) {
            m.dropIndex = i;
            m.dropT = e.t;
          }
        }
        r.fill.push(i, e.t, 0);
      }
      return;
    }
    if (e.kind !== 'port') return;
    const r = this.record(e.port);
    r.domain = e.domain;
    if (e.depth !== undefined) r.depth = e.depth;
    switch (e.op) {
      case 'send': {
        const m: PortMessage = {
          port: e.port,
          msgId: e.msgId ?? -1,
          task: e.task,
          tag: e.tag ?? 0,
          tagName: e.tagName ?? null,
          length: e.length ?? 0,
          object: e.object ?? 0,
          owned: e.owned,
          slot: e.slot ?? 0,
          sendIndex: i,
          sendT: e.t,
          recvIndex: -1,
          recvT: NaN,
          doneIndex: -1,
          freeIndex: -1,
          dropIndex: -1,
          dropT: NaN,
        };
        r.messages.push(m);
        if (e.msgId !== undefined) this.byMsg.set(e.msgId, m);
        break;
      }
      case 'recv': {
        const m = e.msgId === undefined ? undefined : this.byMsg.get(e.msgId);
        if (m && m.recvIndex < 0) {
          m.recvIndex = i;
          m.recvT = e.t;
        }
        break;
      }
      case 'done': {
        const m = e.msgId === undefined ? undefined : this.byMsg.get(e.msgId);
        if (m && m.doneIndex < 0) m.doneIndex = i;
        break;
      }
      case 'write':
        if (e.object !== undefined) r.writes.push({ index: i, object: e.object, msgId: e.msgId ?? null });
        break;
      case 'send-blocked':
      case 'send-timeout':
      case 'send-failed':
      case 'reset':
      case 'proto-timeout':
      case 'proto-stale':
      case 'proto-mismatch':
        r.marks.push({ index: i, t: e.t, op: e.op, task: e.task, msgId: e.msgId ?? null, detail: e.detail ?? null });
        break;
      case 'register':
      case 'recv-blocked':
      case 'recv-timeout':
      case 'proto-route':
      case 'proto-response':
        break;
    }
    if (e.fill !== undefined) r.fill.push(i, e.t, e.fill);
  }
}

const histories = new WeakMap<HistoryTable, PortHistory>();

/** The table's port history, brought up to date. */
export function portHistoryOf(table: HistoryTable): PortHistory {
  let h = histories.get(table);
  if (!h) {
    h = new PortHistory(table);
    histories.set(table, h);
  }
  return h.update();
}
