/**
 * libipc on one domain (reference libipc-and-channels.md §1.4–1.8): ports as bounded FIFO queues
 * of `ipc_ref_t` items in shared memory (`area.ts`), the mempool `take_ownership` copies come
 * from, and the proto response buffer with its sequence numbers. Tasks call it the way firmware
 * calls `_ipc_send` / `ipc_recv_opt` / `ipc_release`; what would block (a full queue, an empty
 * one, no response yet) returns, and the task waits to be woken: by a task of its own domain
 * directly, or by a doorbell from another domain (`libipc:<from>-><to>`), whose tasks see the
 * change in shared memory.
 *
 * Every queue change happens under the port's lock word. A task that will wait sets its
 * domain's bit in the port's wait mask under the same lock, and whoever changes the queue next
 * takes the mask and wakes those domains, so no wake-up is lost between two cores. Woken tasks
 * check again (FreeRTOS wakes the highest-priority waiter first; here every waiter of a domain is
 * made ready and the domain runs the highest-priority one first, which takes the slot).
 *
 * Every operation is traced (`port` and `pool` events). The mempool asserts as lib/mempool does:
 * on exhaustion, on a size of 0, on a double free and on a pointer it did not hand out.
 *
 * Over 400 lines on purpose: the queues, the mempool, the proto response buffer and the wait
 * masks are one shared-memory area under the same lock words and wake-up rule; split, each part
 * would have to expose the words and the waiter lists to the others.
 */
import type { Kernel } from '../sim/Kernel';
import type { PortOp, TraceBody } from '../trace/events';
import {
  type AreaPlan,
  P_DEPTH,
  P_HEAD,
  P_LOCK,
  P_REGISTERED,
  P_TAIL,
  P_WAIT,
  type PoolPlan,
  type PortPlan,
  R_BUFFER,
  R_CMD_SEQ,
  R_LAST_SEQ,
  R_LOCK,
  R_READY,
  R_RSP_LEN,
  R_RSP_SEQ,
  R_WAIT,
  REF_BYTES,
} from './area';
import type { PortSendFaults } from './portFaults';

/** `ipc_ref_t`: what travels through the queue, by value. */
export interface IpcRef {
  readonly tag: number;
  readonly length: number;
  /** The payload's pointer (a virtual address; 0 for NULL). */
  readonly object: number;
}

export interface Received extends IpcRef {
  readonly slot: number;
  readonly msgId: number;
  /** The object is a mempool entry (a `take_ownership` copy or a routed proto). */
  readonly owned: boolean;
}

export type SendResult = 'sent' | 'full' | 'unregistered';
export type RecvResult = Received | 'empty' | 'unregistered';

/** A proto response as the client finds it. */
export interface ProtoResponse {
  readonly seq: number;
  readonly length: number;
}

/** The doorbell channel libipc rings from one domain to another. */
export const libipcChannel = (from: string, to: string): string => `libipc:${from}->${to}`;

/** Zeroes libipc's area (as BSS is at boot): no port registered, every queue empty, the pool free. */
export function clearArea(plan: AreaPlan, bytes: Uint8Array): void {
  bytes.fill(0, plan.region.offset, plan.region.offset + plan.used);
}

const DELAYED_WORK = 'libipc/port-delay';
/** A late item that finds its queue full tries again this much later (ns). */
const RETRY_NS = 10_000;

interface Delayed {
  readonly port: string;
  readonly ref: IpcRef;
  readonly msgId: number;
  readonly task: string;
  readonly at: number;
}

function refFields(lib: LibIpc, port: PortPlan, ref: IpcRef): PortEventMore {
  return { tag: ref.tag, tagName: lib.tagName(port, ref.tag), length: ref.length, object: ref.object };
}

/** Spins on a lock this many times before taking it from a holder that must have died. */
const LOCK_SPINS = 1 << 26;

interface LibIpcState {
  readonly waiters: [string, string[]][];
  readonly started: boolean;
  readonly delayed: readonly Delayed[];
}

export class LibIpc {
  readonly plan: AreaPlan;
  private readonly kernel: Kernel;
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly base: number;
  private readonly bit: number;
  /** Local tasks waiting, by port name (or `proto` for the response). */
  private waiters = new Map<string, Set<string>>();
  private readonly peers: readonly string[];
  private started = false;
  /** Items a port-delay fault holds back. */
  private delayed: Delayed[] = [];
  /** This domain's faults on sends to ports. */
  readonly sendFaults: PortSendFaults;

  /**
   * `peers`: the other domains with libipc tasks (they ring this one's doorbells and it theirs);
   * `faults`: the scenario's faults (the per-send ones act here).
   */
  constructor(kernel: Kernel, plan: AreaPlan, peers: readonly string[], faults: PortSendFaults) {
    this.kernel = kernel;
    this.plan = plan;
    const map = kernel.domain.mem.map;
    this.words = map.words;
    this.bytes = map.bytes;
    this.base = map.base;
    this.bit = Math.max(0, plan.domains.indexOf(kernel.domain.name));
    this.peers = peers;
    this.sendFaults = faults;
    kernel.domain.defineWork(DELAYED_WORK, () => this.deliverDelayed());
  }

  /**
   * What the image does at boot, before its first task runs: enables the doorbells from the other
   * domains; and when no other domain uses libipc, the area is this image's BSS, which the C
   * runtime zeroes (so a device reset starts with empty queues and a free mempool).
   */
  boot(): void {
    if (this.started) return;
    this.started = true;
    for (const peer of this.peers) this.kernel.mboxInit(libipcChannel(peer, this.domain), () => this.wakeAll());
    if (this.peers.length === 0) clearArea(this.plan, this.bytes);
  }

  get domain(): string {
    return this.kernel.domain.name;
  }

  port(name: string): PortPlan | undefined {
    return this.plan.ports.find((p) => p.name === name);
  }

  address(offset: number): number {
    return (this.base + offset) >>> 0;
  }

  offsetOf(address: number): number {
    return address - this.base;
  }

  // ---- words ------------------------------------------------------------------------------------

  private load(offset: number): number {
    return Atomics.load(this.words, offset >>> 2) >>> 0;
  }

  private store(offset: number, value: number): void {
    Atomics.store(this.words, offset >>> 2, value | 0);
  }

  private lock(offset: number): void {
    const i = offset >>> 2;
    const me = this.bit + 1;
    for (let spins = 0; spins < LOCK_SPINS; spins++) {
      if (Atomics.compareExchange(this.words, i, 0, me) === 0) return;
    }
    // Its holder stopped inside (a core killed mid-operation): take it over, and say so.
    this.kernel.emit({
      kind: 'anomaly',
      where: `libipc ${this.domain}`,
      message: `lock word at 0x${this.address(offset).toString(16)} held by domain ${this.plan.domains[Atomics.load(this.words, i) - 1] ?? '?'} that never released it: taken over`,
    });
    Atomics.store(this.words, i, me);
  }

  private unlock(offset: number): void {
    Atomics.store(this.words, offset >>> 2, 0);
  }

  // ---- waiting and waking -----------------------------------------------------------------------

  /** Under the lock of `maskOffset`'s block: marks `task` as waiting on `key`. */
  private addWaiter(key: string, maskOffset: number, task: string): void {
    Atomics.or(this.words, maskOffset >>> 2, 1 << this.bit);
    let set = this.waiters.get(key);
    if (!set) {
      set = new Set();
      this.waiters.set(key, set);
    }
    set.add(task);
  }

  /** After a change under `maskOffset`'s lock: wakes this domain's waiters on `key` and rings the others'. */
  private notify(key: string, maskOffset: number): void {
    const mask = Atomics.exchange(this.words, maskOffset >>> 2, 0) >>> 0;
    const local = this.waiters.get(key);
    if (local) {
      for (const task of local) this.kernel.domain.wake(task);
      local.clear();
    }
    for (let d = 0; d < this.plan.domains.length; d++) {
      if (d === this.bit || (mask & (1 << d)) === 0) continue;
      const to = this.plan.domains[d];
      if (to !== undefined && this.peers.includes(to)) this.kernel.mboxSend(libipcChannel(this.domain, to));
    }
  }

  /** A doorbell from another domain: every waiting task here looks again. */
  private wakeAll(): void {
    for (const set of this.waiters.values()) {
      for (const task of set) this.kernel.domain.wake(task);
      set.clear();
    }
  }

  /** Forgets that `task` waits (it timed out, or was reset). */
  stopWaiting(task: string): void {
    for (const set of this.waiters.values()) set.delete(task);
  }

  // ---- ports ------------------------------------------------------------------------------------

  private trace(op: PortOp, port: PortPlan, task: string, more: PortEventMore = {}): void {
    const body: Record<string, unknown> = { kind: 'port', op, port: port.name, task, owned: false };
    for (const [key, value] of Object.entries(more)) if (value !== undefined) body[key] = value;
    // Built field by field so absent values are left out, as the trace's optional fields are.
    this.kernel.emit(body as TraceBody);
  }

  tagName(port: PortPlan, tag: number): string | undefined {
    return port.tags.find((t) => t.value === tag)?.name;
  }

  /**
   * Items in the queue. Read without the lock (for a trace line) another core may be between
   * its two words: clamped to [0, depth], never a wrapped 2^32 − 1.
   */
  fill(port: PortPlan): number {
    const n = (this.load(port.header + P_TAIL) - this.load(port.header + P_HEAD)) >>> 0;
    return Math.min(n, port.depth);
  }

  /** FNV-1a of an object's bytes: what the checker compares between send and receive. */
  digest(address: number, length: number): number {
    const at = this.offsetOf(address);
    if (address === 0 || length === 0 || at < 0 || at + length > this.bytes.length) return 0;
    let h = 0x811c9dc5;
    for (let i = at; i < at + length; i++) h = Math.imul(h ^ (this.bytes[i] ?? 0), 0x01000193);
    return h >>> 0;
  }

  isRegistered(port: PortPlan): boolean {
    return this.load(port.header + P_REGISTERED) !== 0;
  }

  /** `ipc_register_port(port, queue)`: the queue exists from now on (a re-registration empties nothing). */
  register(task: string, port: PortPlan): void {
    this.lock(port.header + P_LOCK);
    if (this.load(port.header + P_REGISTERED) === 0) {
      this.store(port.header + P_DEPTH, port.depth);
      this.store(port.header + P_REGISTERED, 1);
    }
    this.unlock(port.header + P_LOCK);
    this.trace('register', port, task, { depth: port.depth, fill: this.fill(port) });
  }

  isOwned(address: number): boolean {
    return this.poolEntry(address) !== null;
  }

  /**
   * `rtos_queue_send` with the ref: into the back of the queue if there is room. `wait`: when
   * full, `task` waits for a slot (its domain is woken when one frees). The port faults of this
   * domain decide what becomes of an item that goes in (lost, late, twice).
   */
  trySend(task: string, port: PortPlan, ref: IpcRef, msgId: number, wait: boolean): SendResult {
    const h = port.header;
    this.lock(h + P_LOCK);
    if (this.load(h + P_REGISTERED) === 0) {
      this.unlock(h + P_LOCK);
      return 'unregistered';
    }
    const depth = this.depthOf(port);
    if (this.fill(port) >= depth) {
      if (wait) this.addWaiter(port.name, h + P_WAIT, task);
      this.unlock(h + P_LOCK);
      return 'full';
    }
    const fate = this.sendFaults.send(this.domain, port.name, this.kernel.now());
    for (const a of fate?.acted ?? []) {
      this.kernel.emit({ kind: 'fault', fault: a.fault.id, what: a.fault.kind, target: port.name, detail: a.detail });
    }
    if (fate?.drop) {
      this.unlock(h + P_LOCK);
      const owned = this.isOwned(ref.object);
      this.trace('send', port, task, { ...refFields(this, port, ref), owned, msgId, depth, fill: this.fill(port) });
      return 'sent';
    }
    if (fate && fate.delayNs > 0) {
      this.unlock(h + P_LOCK);
      this.delayed.push({ port: port.name, ref, msgId, task, at: this.kernel.now() + fate.delayNs });
      this.scheduleDelayed();
      return 'sent';
    }
    this.enqueue(task, port, ref, msgId, null);
    if (fate?.duplicate) {
      if (this.fill(port) < depth) this.enqueue(task, port, ref, msgId, 'the same item again (port-duplicate)');
      else this.note('send-failed', task, port, { msgId, detail: 'the duplicate found the queue full: not queued' });
    }
    this.unlock(h + P_LOCK);
    return 'sent';
  }

  private depthOf(port: PortPlan): number {
    return Math.max(1, Math.min(port.depth, this.load(port.header + P_DEPTH) || port.depth));
  }

  /** Under the port's lock, with room: the item goes in at the back, waiters are woken. */
  private enqueue(task: string, port: PortPlan, ref: IpcRef, msgId: number, detail: string | null): void {
    const h = port.header;
    const depth = this.depthOf(port);
    const head = this.load(h + P_HEAD);
    const tail = this.load(h + P_TAIL);
    const slot = tail % depth;
    const at = port.items + slot * REF_BYTES;
    this.store(at, ref.tag);
    this.store(at + 4, ref.length);
    this.store(at + 8, ref.object);
    this.store(port.ids + slot * 8, msgId % 0x1_0000_0000);
    this.store(port.ids + slot * 8 + 4, Math.floor(msgId / 0x1_0000_0000));
    this.store(h + P_TAIL, tail + 1);
    this.notify(port.name, h + P_WAIT);
    this.trace('send', port, task, {
      ...refFields(this, port, ref),
      owned: this.isOwned(ref.object),
      fill: (tail + 1 - head) >>> 0,
      depth,
      slot,
      msgId,
      digest: this.digest(ref.object, ref.length),
      detail: detail ?? undefined,
    });
  }

  private scheduleDelayed(): void {
    if (this.delayed.length === 0) return;
    const now = this.kernel.now();
    const next = Math.min(...this.delayed.map((d) => d.at));
    this.kernel.domain.rescheduleWork(DELAYED_WORK, Math.max(0, next - now));
  }

  /** Items a port-delay fault held back enter their queue once due (later still while it is full). */
  private deliverDelayed(): void {
    const now = this.kernel.now();
    const keep: Delayed[] = [];
    for (const d of this.delayed) {
      const port = this.port(d.port);
      if (!port) continue;
      if (d.at > now) {
        keep.push(d);
        continue;
      }
      this.lock(port.header + P_LOCK);
      if (this.fill(port) < this.depthOf(port)) this.enqueue(d.task, port, d.ref, d.msgId, 'late (port-delay)');
      else keep.push({ ...d, at: now + RETRY_NS });
      this.unlock(port.header + P_LOCK);
    }
    this.delayed = keep;
    this.scheduleDelayed();
  }

  /** `rtos_queue_recv`: the item at the front, if any. `wait`: when empty, `task` waits for one. */
  tryRecv(task: string, port: PortPlan, wait: boolean): RecvResult {
    const h = port.header;
    this.lock(h + P_LOCK);
    if (this.load(h + P_REGISTERED) === 0) {
      this.unlock(h + P_LOCK);
      return 'unregistered';
    }
    const head = this.load(h + P_HEAD);
    const tail = this.load(h + P_TAIL);
    const depth = Math.max(1, Math.min(port.depth, this.load(h + P_DEPTH) || port.depth));
    if (tail === head) {
      if (wait) this.addWaiter(port.name, h + P_WAIT, task);
      this.unlock(h + P_LOCK);
      return 'empty';
    }
    const slot = head % depth;
    const at = port.items + slot * REF_BYTES;
    const ref = { tag: this.load(at), length: this.load(at + 4), object: this.load(at + 8) };
    const msgId = this.load(port.ids + slot * 8) + this.load(port.ids + slot * 8 + 4) * 0x1_0000_0000;
    this.store(h + P_HEAD, head + 1);
    this.notify(port.name, h + P_WAIT);
    this.unlock(h + P_LOCK);
    const owned = this.isOwned(ref.object);
    this.trace('recv', port, task, {
      tag: ref.tag,
      tagName: this.tagName(port, ref.tag),
      length: ref.length,
      object: ref.object,
      owned,
      fill: (tail - head - 1) >>> 0,
      depth,
      slot,
      msgId,
      digest: this.digest(ref.object, ref.length),
    });
    return { ...ref, slot, msgId, owned };
  }

  /** The item the next receive takes (without taking it), or null when the queue is empty. */
  headItem(port: PortPlan): (IpcRef & { readonly slot: number; readonly msgId: number }) | null {
    if (this.fill(port) === 0) return null;
    const slot = this.load(port.header + P_HEAD) % this.depthOf(port);
    const at = port.items + slot * REF_BYTES;
    const msgId = this.load(port.ids + slot * 8) + this.load(port.ids + slot * 8 + 4) * 0x1_0000_0000;
    return { tag: this.load(at), length: this.load(at + 4), object: this.load(at + 8), slot, msgId };
  }

  /** Traces an operation of a task on a port (blocked, timed out, done…). */
  note(op: PortOp, task: string, port: PortPlan, more: PortEventMore = {}): void {
    this.trace(op, port, task, { fill: this.fill(port), depth: port.depth, ...more });
  }

  /** The object's bytes (a copy), for the checker and the receiver's handling. */
  readObject(address: number, length: number): Uint8Array {
    const at = this.offsetOf(address);
    if (at < 0 || at + length > this.bytes.length) return new Uint8Array(0);
    return this.bytes.slice(at, at + length);
  }

  writeObject(address: number, data: Uint8Array): void {
    const at = this.offsetOf(address);
    if (at < 0 || at + data.length > this.bytes.length) return;
    this.bytes.set(data, at);
  }

  // ---- mempool ----------------------------------------------------------------------------------

  /** The pool region and entry at exactly `address`, or null (not a pointer the pool handed out). */
  poolEntry(address: number): { pool: PoolPlan; entry: number } | null {
    const at = this.offsetOf(address);
    for (const pool of this.plan.pool) {
      const rel = at - pool.entries;
      if (rel < 0 || rel >= pool.count * pool.stride || rel % pool.stride !== 0) continue;
      return { pool, entry: rel / pool.stride };
    }
    return null;
  }

  /** Entries allocated now, per pool region. */
  poolUse(): { name: string; used: number; count: number }[] {
    return this.plan.pool.map((p) => {
      let used = 0;
      for (let e = 0; e < p.count; e++) if (this.load(p.states + e * 4) !== 0) used++;
      return { name: p.name, used, count: p.count };
    });
  }

  /**
   * `mempool_alloc`: an entry of the first region, in the order the pool declares them, whose
   * entries hold `size` bytes; when that region is full it asserts (lib/mempool does not try the
   * next one), as it does on a size of 0. Returns the address, or 0 when the assertion did not
   * stop the core.
   */
  alloc(task: string, size: number, msgId?: number): number {
    if (size === 0) {
      this.kernel.assertFailed('mempool_alloc', `${task}: mempool_alloc(0): size 0 asserts`);
      return 0;
    }
    const pool = this.plan.pool.find((p) => p.size >= size);
    if (!pool) {
      this.kernel.assertFailed('mempool_alloc', `${task}: no mempool region has entries of ${size} bytes`);
      return 0;
    }
    for (let e = 0; e < pool.count; e++) {
      const address = this.take(pool, e, size, task, msgId);
      if (address !== 0) return address;
    }
    this.kernel.assertFailed(
      'mempool_alloc',
      `${task}: mempool exhausted: ${pool.name}, the first region with entries of ${size} bytes, has all ${pool.count} taken`,
    );
    return 0;
  }

  /** Takes entry `e` of `pool` if it is free (its state word goes 0 → 1 atomically); its address, or 0. */
  private take(pool: PoolPlan, e: number, size: number, task: string, msgId?: number): number {
    if (Atomics.compareExchange(this.words, (pool.states + e * 4) >>> 2, 0, 1) !== 0) return 0;
    const address = this.address(pool.entries + e * pool.stride);
    const id = msgId === undefined ? {} : { msgId };
    this.kernel.emit({ kind: 'pool', op: 'alloc', pool: pool.name, entry: e, address, size, task, ...id });
    return address;
  }

  /** Whether the pool entry at `address` is allocated now. */
  isAllocated(address: number): boolean {
    const found = this.poolEntry(address);
    return found !== null && this.load(found.pool.states + found.entry * 4) !== 0;
  }

  /** Takes every free mempool entry for `owner` (a fault); returns their addresses. */
  takeAllFree(owner: string): number[] {
    const taken: number[] = [];
    for (const pool of this.plan.pool) {
      for (let e = 0; e < pool.count; e++) {
        const address = this.take(pool, e, pool.size, owner);
        if (address !== 0) taken.push(address);
      }
    }
    return taken;
  }

  /** `mempool_free`: zeroes the entry and frees it; asserts on a double free or a foreign pointer. */
  free(task: string, address: number, msgId?: number): boolean {
    const found = this.poolEntry(address);
    if (!found) {
      this.kernel.assertFailed(
        'mempool_free',
        `${task}: 0x${address.toString(16)} is not a mempool entry (a pointer the pool never handed out)`,
      );
      return false;
    }
    const { pool, entry } = found;
    const state = (pool.states + entry * 4) >>> 2;
    if (Atomics.load(this.words, state) === 0) {
      this.kernel.assertFailed(
        'mempool_free',
        `${task}: double free of ${pool.name}[${entry}] at 0x${address.toString(16)}`,
      );
      return false;
    }
    const at = pool.entries + entry * pool.stride;
    this.bytes.fill(0, at, at + pool.stride);
    Atomics.store(this.words, state, 0);
    this.kernel.emit({
      kind: 'pool',
      op: 'free',
      pool: pool.name,
      entry,
      address,
      size: pool.size,
      task,
      ...(msgId === undefined ? {} : { msgId }),
    });
    return true;
  }

  // ---- proto path (wca.c and proto_helpers.c) ---------------------------------------------------

  /** `next_cmd_seq()` + `proto_set_cmd_seq()`: a new sequence number (never 0), now the expected one. */
  beginCommand(): number {
    const r = this.plan.proto;
    this.lock(r + R_LOCK);
    let seq = (this.load(r + R_LAST_SEQ) + 1) >>> 0;
    if (seq === 0) seq = 1;
    this.store(r + R_LAST_SEQ, seq);
    this.store(r + R_CMD_SEQ, seq);
    this.store(r + R_READY, 0);
    this.unlock(r + R_LOCK);
    return seq;
  }

  /** `proto_retire_cmd_seq(seq)`: a response with it is stale from now on. */
  retireCommand(seq: number): void {
    const r = this.plan.proto;
    this.lock(r + R_LOCK);
    if (this.load(r + R_CMD_SEQ) === seq) this.store(r + R_CMD_SEQ, 0);
    this.unlock(r + R_LOCK);
  }

  /**
   * `proto_send_rsp`: under the response lock, dropped when `seq` is 0 or not the expected one
   * ("Dropping stale proto response seq …"), else written to the shared response buffer and the
   * waiting client signalled. Returns whether it was sent.
   */
  respond(task: string, port: PortPlan, seq: number, response: Uint8Array, msgId: number): boolean {
    const r = this.plan.proto;
    this.lock(r + R_LOCK);
    const expected = this.load(r + R_CMD_SEQ);
    if (seq === 0 || seq !== expected) {
      this.unlock(r + R_LOCK);
      this.trace('proto-stale', port, task, {
        protoSeq: seq,
        msgId,
        detail: `Dropping stale proto response seq ${seq} (expected ${expected === 0 ? 'none: retired' : expected})`,
      });
      return false;
    }
    const length = Math.min(response.length, this.plan.region.size, 256);
    this.bytes.set(response.subarray(0, length), r + R_BUFFER);
    this.store(r + R_RSP_SEQ, seq);
    this.store(r + R_RSP_LEN, length);
    this.store(r + R_READY, 1);
    this.notify('proto', r + R_WAIT);
    this.unlock(r + R_LOCK);
    this.trace('proto-response', port, task, { protoSeq: seq, msgId, length, detail: 'response sent' });
    return true;
  }

  /** The client takes the response semaphore if it was given; `wait`: otherwise `task` waits. */
  takeResponse(task: string, wait: boolean): ProtoResponse | null {
    const r = this.plan.proto;
    this.lock(r + R_LOCK);
    if (this.load(r + R_READY) === 0) {
      if (wait) this.addWaiter('proto', r + R_WAIT, task);
      this.unlock(r + R_LOCK);
      return null;
    }
    this.store(r + R_READY, 0);
    const response = { seq: this.load(r + R_RSP_SEQ), length: this.load(r + R_RSP_LEN) };
    this.unlock(r + R_LOCK);
    return response;
  }

  // ---- snapshots --------------------------------------------------------------------------------

  snapshot(): LibIpcState {
    return {
      waiters: [...this.waiters].map(([k, v]) => [k, [...v]]),
      started: this.started,
      delayed: [...this.delayed],
    };
  }

  restore(state: unknown): void {
    const s = state as LibIpcState;
    this.waiters = new Map(s.waiters.map(([k, v]) => [k, new Set(v)]));
    this.started = s.started;
    this.delayed = [...s.delayed];
  }
}

/** The optional fields of a `port` event (undefined ones are left out). */
export interface PortEventMore {
  readonly owned?: boolean | undefined;
  readonly tag?: number | undefined;
  readonly tagName?: string | undefined;
  readonly length?: number | undefined;
  readonly object?: number | undefined;
  readonly fill?: number | undefined;
  readonly depth?: number | undefined;
  readonly slot?: number | undefined;
  readonly msgId?: number | undefined;
  readonly protoSeq?: number | undefined;
  readonly digest?: number | undefined;
  readonly detail?: string | undefined;
}
