/**
 * libipc's invariants, read from the trace (so both runtimes are checked alike); the invariant
 * checker hands it every `port`, `pool` and `domain` event.
 *
 * While the run goes:
 * - `reference-overwritten`: an object sent by reference must stay as it was until the receiver
 *   is done with it ("The message pointer MUST remain valid until the receiving task is done with
 *   it", ipc.h): a task writing it earlier is flagged, with the send where the message began;
 * - `delivered-once` / `in-order`: a port delivers each item once, first in first out, and a
 *   task's items in the order it sent them;
 * - `intact`: an item's object has the bytes it had when it entered the queue when it is
 *   received (a corrupted message; a by-reference object rewritten is `reference-overwritten`);
 * - `queue-depth`: a queue never holds more items than its depth.
 * At quiescence:
 * - `delivered-once`: no send that returned true lost its item (a port-drop fault);
 * - `pool-leaked`: every mempool entry was freed, unless a queued item still points at it (a
 *   failed `take_ownership` send leaks its copy, as libipc does).
 */
import type { TraceEvent } from '../trace/events';
import type { Violation } from '../faults/invariants';

interface InFlight {
  readonly seq: number;
  /** FNV-1a of the object when it entered the queue. */
  readonly digest: number | undefined;
  readonly port: string;
  readonly from: string;
  readonly object: number;
  readonly length: number;
  readonly owned: boolean;
  received: boolean;
}

type PortEvent = Extract<TraceEvent, { kind: 'port' }>;
type PoolEvent = Extract<TraceEvent, { kind: 'pool' }>;

const hex = (n: number): string => `0x${n.toString(16)}`;

export class PortChecker {
  /** By msgId: items that entered a queue and whose receiver is not done yet. */
  private readonly inFlight = new Map<number, InFlight>();
  /** By port: msgIds in the queue, in order. */
  private readonly queues = new Map<string, number[]>();
  private readonly delivered = new Set<number>();
  /** By `port/sender task`: the highest id received. */
  private readonly lastFrom = new Map<string, number>();
  /** By address: the event that allocated the entry. */
  private readonly allocated = new Map<number, PoolEvent>();
  /** By msgId: items a port-drop fault lost (the send returned true; they never entered a queue). */
  private readonly lost = new Map<number, { readonly seq: number; readonly port: string; readonly from: string }>();

  port(e: PortEvent): Violation[] {
    switch (e.op) {
      case 'send':
        return this.send(e);
      case 'recv':
        return this.recv(e);
      case 'done':
        if (e.msgId !== undefined) this.inFlight.delete(e.msgId);
        return [];
      case 'write':
        return this.write(e);
      case 'register':
      case 'send-blocked':
      case 'send-timeout':
      case 'send-failed':
      case 'recv-blocked':
      case 'recv-timeout':
      case 'reset':
      case 'proto-route':
      case 'proto-response':
      case 'proto-stale':
      case 'proto-mismatch':
      case 'proto-timeout':
        return [];
    }
  }

  pool(e: PoolEvent): Violation[] {
    if (e.op === 'alloc') this.allocated.set(e.address, e);
    else this.allocated.delete(e.address);
    return [];
  }

  /**
   * A device reset or restart (its queues and pool start again: the area is its BSS), or a gap
   * in the trace (what the queues hold can no longer be followed): start again.
   */
  reset(): void {
    this.inFlight.clear();
    this.queues.clear();
    this.lastFrom.clear();
    this.lost.clear();
    this.allocated.clear();
  }

  private send(e: PortEvent): Violation[] {
    const out: Violation[] = [];
    if (e.msgId === undefined) return out;
    // An item with no slot never entered the queue (a port-drop fault): it is lost, not in flight.
    if (e.slot === undefined) {
      this.lost.set(e.msgId, { seq: e.seq, port: e.port, from: e.task });
      return out;
    }
    const queue = this.queues.get(e.port) ?? [];
    queue.push(e.msgId);
    this.queues.set(e.port, queue);
    this.inFlight.set(e.msgId, {
      seq: e.seq,
      digest: e.digest,
      port: e.port,
      from: e.task,
      object: e.object ?? 0,
      length: e.length ?? 0,
      owned: e.owned,
      received: false,
    });
    if (e.depth !== undefined && e.fill !== undefined && e.fill > e.depth)
      out.push({
        rule: 'queue-depth',
        severity: 'error',
        where: e.port,
        message: `${e.port} holds ${e.fill} items; its depth is ${e.depth}`,
        firstSeq: e.seq,
        seq: e.seq,
      });
    return out;
  }

  private recv(e: PortEvent): Violation[] {
    const out: Violation[] = [];
    const id = e.msgId;
    if (id === undefined) return out;
    const queue = this.queues.get(e.port) ?? [];
    if (this.delivered.has(id)) {
      out.push({
        rule: 'delivered-once',
        severity: 'error',
        where: e.port,
        message: `${e.task} received message #${id} on ${e.port} a second time`,
        firstSeq: e.seq,
        seq: e.seq,
      });
      // That copy has left the queue: the next receive is not out of order because of it.
      const copy = queue.indexOf(id);
      if (copy >= 0) queue.splice(copy, 1);
      return out;
    }
    const at = queue.indexOf(id);
    if (at > 0) {
      const skipped = queue.splice(0, at);
      out.push({
        rule: 'in-order',
        severity: 'error',
        where: e.port,
        message: `${e.task} received #${id} on ${e.port} before #${skipped.join(', #')}, sent earlier (a port is FIFO)`,
        firstSeq: e.seq,
        seq: e.seq,
      });
      // The ones passed over may still come; they stay expected.
      queue.unshift(...skipped.filter((s) => !this.delivered.has(s)));
      queue.splice(queue.indexOf(id), 1);
    } else if (at === 0) queue.shift();
    this.delivered.add(id);
    const flight = this.inFlight.get(id);
    if (flight?.digest !== undefined && e.digest !== undefined && flight.digest !== e.digest) {
      out.push({
        rule: 'intact',
        severity: 'error',
        where: e.port,
        message: `message #${id} from ${flight.from} changed in memory between its send and ${e.task}'s receive (${hex(flight.object)}, ${flight.length} B)`,
        firstSeq: flight.seq,
        seq: e.seq,
      });
    }
    if (flight) {
      flight.received = true;
      // A task's sends get increasing ids: one that arrives after a later one was overtaken.
      const key = `${e.port}/${flight.from}`;
      const last = this.lastFrom.get(key) ?? -1;
      if (id < last && out.length === 0)
        out.push({
          rule: 'in-order',
          severity: 'error',
          where: e.port,
          message: `#${id} from ${flight.from} reached ${e.task} after #${last}, which ${flight.from} sent later`,
          firstSeq: flight.seq,
          seq: e.seq,
        });
      this.lastFrom.set(key, Math.max(last, id));
    }
    return out;
  }

  private write(e: PortEvent): Violation[] {
    const out: Violation[] = [];
    const start = e.object ?? 0;
    const end = start + (e.length ?? 0);
    for (const [id, f] of this.inFlight) {
      if (f.owned || f.length === 0 || id === e.msgId) continue;
      if (start >= f.object + f.length || end <= f.object) continue;
      out.push({
        rule: 'reference-overwritten',
        severity: 'error',
        where: f.port,
        message: `${e.task} rewrote ${hex(start)} while message #${id} to ${f.port} still points there (${f.received ? 'received, not done with' : 'still in the queue'}): the receiver reads the new contents`,
        firstSeq: f.seq,
        seq: e.seq,
      });
      this.inFlight.delete(id);
    }
    return out;
  }

  finish(): Violation[] {
    const out: Violation[] = [];
    const queued = new Set<number>();
    for (const q of this.queues.values()) for (const id of q) queued.add(id);
    const pointedAt = new Set<number>();
    for (const [id, f] of this.inFlight) {
      if (queued.has(id) || f.received) pointedAt.add(f.object);
    }
    for (const [id, f] of this.lost) {
      if (this.delivered.has(id)) continue;
      out.push({
        rule: 'delivered-once',
        severity: 'error',
        where: f.port,
        message: `message #${id} from ${f.from} to ${f.port} never entered the queue, yet the send returned true`,
        firstSeq: f.seq,
      });
    }
    for (const [address, a] of this.allocated) {
      // Entries a fault took (pool-exhaust) are the fault's, not a leak of the firmware's.
      if (pointedAt.has(address) || a.task.startsWith('fault')) continue;
      out.push({
        rule: 'pool-leaked',
        severity: 'warning',
        where: a.pool,
        message: `${a.pool}[${a.entry}] at ${hex(address)}, allocated by ${a.task}, was never freed`,
        firstSeq: a.seq,
      });
    }
    return out;
  }
}
