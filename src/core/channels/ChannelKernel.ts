/**
 * Synchronous channels on one core (reference libipc-and-channels.md §2–3): Anckor's API
 * (`channel_create`, `channel_get`, `channel_snd`, `channel_rcv`) with the semantics of the
 * kernels it cites — a rendezvous with no queue of messages, the fast path for messages of up to
 * 8 bytes (one register, handed over by a direct process switch), a copy through the channel's
 * buffer in shared memory for longer ones, several senders queued by priority, send-with-reply
 * (QNX `MsgSend`/`MsgReply`, Hubris `sys_send`/`sys_reply`), timeouts (L4), notification bits
 * delivered at receive (Hubris `sys_post`), and generations: a restarted server's waiting clients
 * get a dead code, as Hubris gives them.
 *
 * `anckor` mode runs Anckor's own code as it is: no duplicate-name check, one sender slot per
 * channel (a second sender overwrites the first, which then waits for ever), no reply, no timeout,
 * and messages longer than 8 bytes not copied at all (the slow path was never written).
 *
 * Tasks call it from their steps; what would block returns `blocked`, the task waits, and the
 * kernel puts the result in the task's inbox and wakes it. Every state change is traced.
 *
 * Over 400 lines on purpose: naming, the rendezvous, replies, notifications, timeouts, restarts
 * and priority inheritance all change the same channel and task records, and must trace them
 * the same way.
 */
import type { Kernel } from '../sim/Kernel';
import type { ChannelOp, ChannelTaskState, TraceBody } from '../trace/events';

export type ChannelMode = 'hubris' | 'anckor';

/** Anckor: `MAX_NB_CHANNEL`, and names of up to 19 characters (`char name[20]` with its NUL). */
export const MAX_CHANNELS = 10;
export const MAX_NAME = 19;
/** One 64-bit register (`a2` on RISC-V): `msg_len <= DOUBLE_WORD_SIZE`. */
export const FAST_PATH_BYTES = 8;
/** Hubris: `FIRST_DEAD_CODE`; a dead code is `0xFFFF_FF00 | new generation`. */
export const FIRST_DEAD_CODE = 0xffff_ff00;
/** Generations wrap at 64 (Hubris: the top 6 bits of a 16-bit TaskId). */
const GENERATIONS = 64;
const INDEX_BITS = 10;
/**
 * The supervisor (Hubris' `jefe`): a work item, so it runs ahead of every task, as jefe runs at
 * the highest priority, and restarts a faulted task at its time.
 */
const SUPERVISOR_WORK = 'channels/supervisor';

export type ChannelErrno = 'EEXIST' | 'ENOENT' | 'ENAMETOOLONG' | 'ENOSPC' | 'EBADF' | 'ETIMEDOUT';

/** What a blocked call finds in its inbox when it is woken. */
export type Delivery =
  | {
      readonly kind: 'message';
      readonly from: string;
      readonly bytes: readonly number[];
      readonly path: Path;
      readonly call: boolean;
      readonly msgId: number;
    }
  | { readonly kind: 'notification'; readonly bits: number }
  | { readonly kind: 'sent'; readonly path: Path }
  | { readonly kind: 'reply'; readonly code: number; readonly bytes: readonly number[]; readonly msgId: number }
  | { readonly kind: 'dead'; readonly code: number }
  | { readonly kind: 'error'; readonly errno: ChannelErrno };

export type Path = 'register' | 'shared-memory' | 'not-copied';

interface Pending {
  readonly task: string;
  readonly bytes: readonly number[];
  readonly call: boolean;
  readonly generation: number;
}

interface Channel {
  readonly name: string;
  /** The task that created it: its owner, whose generation its handles carry. */
  readonly server: string;
  /**
   * The task that last took a message from it (null until one does): the task that serves it.
   * Waiting senders lend it their priority, and its restart gives them a dead code.
   */
  receiver: string | null;
  /** Senders waiting, in arrival order (taken by priority, then arrival; anckor: one slot). */
  senders: Pending[];
  /**
   * Tasks in `channel_rcv` on it (with the notification bits they accept, and the one sender a
   * closed receive takes), first come first served as a QNX channel's thread pool; Anckor keeps
   * one (`ch->out`).
   */
  receivers: { readonly task: string; readonly mask: number; readonly from: string | null }[];
}

interface TaskRecord {
  readonly name: string;
  generation: number;
  state: ChannelTaskState;
  /** On what: a channel or a task. */
  peer: string | null;
  notifications: number;
  inbox: Delivery | null;
  /** Clients waiting for this task's reply. */
  clients: string[];
}

export interface ChannelKernelState {
  readonly channels: Channel[];
  readonly tasks: [string, TaskRecord][];
  readonly onCpu: string | null;
  /** Faulted tasks their supervisor will restart, and when (ns). */
  readonly restarts: [string, number][];
  /** Tasks that have run a step (a fault cannot hit a task that has not started). */
  readonly started: string[];
}

export interface ChannelOptions {
  readonly mode: ChannelMode;
  /** QNX: a server runs at the priority of the highest client waiting on it. */
  readonly priorityInheritance: boolean;
  /** The shared-memory buffer long messages are copied through (offset in shared memory, size). */
  readonly buffer: { readonly offset: number; readonly size: number };
}

export class ChannelKernel {
  private channels: Channel[] = [];
  private tasks = new Map<string, TaskRecord>();
  /**
   * The channel task this core last ran (traced RUNNING while it keeps the core), and the one
   * whose step is running now (null between steps). A task made READY during its own step is
   * still the one on the CPU: it stays RUNNING.
   */
  private onCpu: string | null = null;
  private inStep: string | null = null;
  /** Faulted tasks → when their supervisor restarts them (ns). A task held faulted is not here. */
  private restarts = new Map<string, number>();
  private started = new Set<string>();
  /** Each task's way back to its boot state, for a restart (set by whoever built the task). */
  private readonly bootStates = new Map<string, () => void>();

  constructor(
    private readonly kernel: Kernel,
    private readonly options: ChannelOptions,
  ) {
    kernel.domain.defineWork(SUPERVISOR_WORK, () => this.supervise());
  }

  get mode(): ChannelMode {
    return this.options.mode;
  }

  addTask(name: string): void {
    this.task(name);
  }

  /** A task's record, made when it is first seen. */
  private task(name: string): TaskRecord {
    const found = this.tasks.get(name);
    if (found) return found;
    const t: TaskRecord = {
      name,
      generation: 0,
      state: 'READY',
      peer: null,
      notifications: 0,
      inbox: null,
      clients: [],
    };
    this.tasks.set(name, t);
    return t;
  }

  generationOf(task: string): number {
    return this.task(task).generation;
  }

  stateOf(task: string): { readonly state: ChannelTaskState; readonly peer: string | null } {
    const t = this.task(task);
    return { state: t.state, peer: t.peer };
  }

  /** The result a woken task finds, taken once. */
  takeInbox(task: string): Delivery | null {
    const t = this.task(task);
    const d = t.inbox;
    t.inbox = null;
    if (d) this.taken(task, d);
    return d;
  }

  /** A task took a message or a reply: the other end of its msgId. */
  private taken(task: string, d: Delivery): void {
    if (d.kind === 'message')
      this.trace('receive', task, { peer: d.from, bytes: d.bytes.length, path: d.path, msgId: d.msgId });
    else if (d.kind === 'reply')
      this.trace('receive', task, { code: d.code, bytes: d.bytes.length, msgId: d.msgId, detail: 'the reply' });
  }

  /**
   * A task's step begins: it has the core. The task that had it before and did not block is
   * traced READY (preempted, or it yielded to another), and this one RUNNING.
   */
  enter(task: string): void {
    const prev = this.onCpu;
    if (prev !== null && prev !== task) {
      const p = this.task(prev);
      if (p.state === 'RUNNING') this.setState(p, 'READY', null, `${task} runs`);
    }
    this.onCpu = task;
    this.inStep = task;
    this.started.add(task);
    const t = this.task(task);
    if (t.state === 'READY' || t.state === 'NOTIFICATION_WAIT') this.setState(t, 'RUNNING', null);
  }

  /**
   * A task's step ended with `sleep`: it waits for its timer, as a Hubris task sleeps (a receive
   * that only the timer's notification bit ends). Any other end leaves its traced state alone:
   * still RUNNING after a yield, blocked after a call that blocked, STOPPED when it finished.
   */
  leave(task: string, next: 'yield' | 'sleep' | 'other'): void {
    this.inStep = null;
    const t = this.task(task);
    if (next === 'sleep' && t.state === 'RUNNING')
      this.setState(t, 'NOTIFICATION_WAIT', 'timer', 'sleeps until its timer');
    // A task that yields between steps of its work keeps the core among tasks of its priority:
    // no time slicing (Hubris), so an equal-priority peer waits until it blocks.
    if (next === 'yield' && t.state === 'RUNNING') this.kernel.domain.keepCore(task);
  }

  private setState(t: TaskRecord, next: ChannelTaskState, peer: string | null, detail?: string, force = false): void {
    const state = next === 'READY' && t.name === this.inStep ? 'RUNNING' : next;
    if (!force && t.state === state && t.peer === peer) return;
    t.state = state;
    t.peer = peer;
    this.kernel.emit({
      kind: 'channel',
      op: 'state',
      task: t.name,
      state,
      generation: t.generation,
      ...(peer === null ? {} : { peer }),
      ...(detail === undefined ? {} : { detail }),
    });
  }

  private trace(
    op: ChannelOp,
    task: string,
    more: {
      channel?: string;
      peer?: string;
      bytes?: number;
      path?: Path;
      code?: number;
      bits?: number;
      priority?: number;
      msgId?: number;
      detail?: string;
    },
  ): void {
    const body: Record<string, unknown> = { kind: 'channel', op, task, generation: this.task(task).generation };
    for (const [k, v] of Object.entries(more)) if (v !== undefined) body[k] = v;
    // Built field by field so absent values are left out, as the trace's optional fields are.
    this.kernel.emit(body as TraceBody);
  }

  handleOf(index: number): number {
    const ch = this.channels[index];
    return ch ? index | (this.task(ch.server).generation << INDEX_BITS) : index;
  }

  private channelOf(handle: number): { ch: Channel; stale: boolean } | null {
    const ch = this.channels[handle & ((1 << INDEX_BITS) - 1)];
    if (!ch) return null;
    return { ch, stale: this.options.mode === 'hubris' && handle >>> INDEX_BITS !== this.task(ch.server).generation };
  }

  /** The task that serves a channel: the last to take a message from it, else its creator. */
  private servingTask(ch: Channel): string {
    return ch.receiver ?? ch.server;
  }

  /** The task serving the channel named `name`, or null when there is no such channel. */
  private servingTaskOf(name: string | null): string | null {
    const ch = this.channels.find((c) => c.name === name);
    return ch ? this.servingTask(ch) : null;
  }

  private deadCode(server: string): number {
    return (FIRST_DEAD_CODE | this.task(server).generation) >>> 0;
  }

  // ---- naming -----------------------------------------------------------------------------------

  /** `channel_create(&h, name)`: the handle, or why not. */
  create(task: string, name: string): number | ChannelErrno {
    // First: a task registering the channel it already owns (it restarted), whatever the room.
    const own = this.channels.findIndex((c) => c.name === name && c.server === task);
    if (this.options.mode === 'hubris' && own >= 0) {
      // A restarted task registers its channel again: the kernel hands back the same channel,
      // its handle now carrying the task's new generation.
      const handle = this.handleOf(own);
      this.trace('create', task, { channel: name, detail: `its own channel again: handle ${handle}` });
      return handle;
    }
    if (name.length > MAX_NAME) return this.fail(task, 'create', name, 'ENAMETOOLONG');
    if (this.channels.length >= MAX_CHANNELS) return this.fail(task, 'create', name, 'ENOSPC');
    if (this.options.mode === 'hubris' && this.channels.some((c) => c.name === name))
      return this.fail(task, 'create', name, 'EEXIST');
    this.channels.push({ name, server: task, receiver: null, senders: [], receivers: [] });
    const handle = this.handleOf(this.channels.length - 1);
    const twice = this.channels.filter((c) => c.name === name).length > 1;
    this.trace('create', task, {
      channel: name,
      detail: twice
        ? `a second channel named ${name}: channel_get finds only the first (Anckor checks no duplicates)`
        : `handle ${handle}`,
    });
    return handle;
  }

  /** `channel_get(&h, name)`: the first channel with that name. */
  get(task: string, name: string): number | ChannelErrno {
    const index = this.channels.findIndex((c) => c.name === name);
    if (index < 0) return this.fail(task, 'get', name, 'ENOENT');
    const handle = this.handleOf(index);
    this.trace('get', task, { channel: name, detail: `handle ${handle}` });
    return handle;
  }

  private fail(task: string, op: 'create' | 'get', name: string, errno: ChannelErrno): ChannelErrno {
    this.trace(op, task, { channel: name, detail: `-${errno}` });
    return errno;
  }

  // ---- the rendezvous ---------------------------------------------------------------------------

  private pathOf(length: number): Path {
    if (length <= FAST_PATH_BYTES) return 'register';
    return this.options.mode === 'anckor' ? 'not-copied' : 'shared-memory';
  }

  /** Copies a long message through the channel buffer in shared memory (what the UI shows). */
  private copyThrough(bytes: readonly number[]): void {
    const { offset, size } = this.options.buffer;
    const mem = this.kernel.domain.mem;
    const n = Math.min(bytes.length, size);
    mem.write(offset, Uint8Array.from(bytes.slice(0, n)), 0, n);
  }

  /**
   * The message moves from `sender` to the receiver now. `caller`: which of the two made the
   * call (it gets its result as the return value, the other in its inbox).
   */
  private transfer(ch: Channel, sender: Pending, receiver: string, caller: 'sender' | 'receiver'): void {
    const path = this.pathOf(sender.bytes.length);
    if (path === 'shared-memory') this.copyThrough(sender.bytes);
    const s = this.task(sender.task);
    const r = this.task(receiver);
    const msgId = this.kernel.ids.allocate();
    ch.receivers = ch.receivers.filter((x) => x.task !== receiver);
    ch.senders = ch.senders.filter((p) => p.task !== sender.task);
    r.inbox = {
      kind: 'message',
      from: sender.task,
      bytes: path === 'not-copied' ? [] : sender.bytes,
      path,
      call: sender.call,
      msgId,
    };
    this.setState(r, 'READY', null);
    this.kernel.domain.wake(receiver);
    this.trace('send', sender.task, {
      channel: ch.name,
      peer: receiver,
      bytes: sender.bytes.length,
      path,
      msgId,
      detail:
        path === 'not-copied'
          ? 'len > 8: the slow path is not implemented in Anckor; nothing is copied'
          : path === 'register'
            ? 'fast path: one register, direct switch to the receiver'
            : `copied through the channel buffer (${sender.bytes.length} B)`,
    });
    if (sender.call) {
      this.setState(s, 'REPLY_BLOCKED', receiver);
      r.clients.push(sender.task);
    } else {
      // A sender that made the call gets `sent` as its return value; a queued one in its inbox.
      if (caller === 'receiver') s.inbox = { kind: 'sent', path };
      this.setState(s, 'READY', null);
      this.kernel.domain.wake(sender.task);
    }
    const before = this.servingTask(ch);
    ch.receiver = receiver;
    this.inherit(receiver);
    if (before !== receiver) this.inherit(before);
    // A sender hands over by a direct process switch: the receiver runs next, whatever the
    // sender's priority. A receiver taking a queued message just goes on running.
    if (caller === 'sender') this.kernel.domain.switchTo(receiver);
  }

  /**
   * `channel_snd` (or a call, with `call`): delivered at once to a waiting receiver, else the
   * sender waits. Returns the result when it is known now, or `blocked`.
   */
  send(task: string, handle: number, bytes: readonly number[], call: boolean): Delivery | 'blocked' {
    const found = this.channelOf(handle);
    if (!found) return { kind: 'error', errno: 'EBADF' };
    const { ch, stale } = found;
    if (stale) {
      const code = this.deadCode(ch.server);
      this.trace('dead', task, { channel: ch.name, code, detail: 'a handle of an earlier generation of its server' });
      return { kind: 'dead', code };
    }
    const me = this.task(task);
    const pending: Pending = { task, bytes, call, generation: this.task(ch.server).generation };
    const rx = ch.receivers.find((x) => x.from === null || x.from === task);
    if (rx) {
      this.transfer(ch, pending, rx.task, 'sender');
      return call ? 'blocked' : { kind: 'sent', path: this.pathOf(bytes.length) };
    }
    if (this.options.mode === 'anckor') {
      // One slot (`ch->in`): a second sender overwrites the first, which is never woken again.
      const orphan = ch.senders[0];
      if (orphan && orphan.task !== task)
        this.trace('lost', orphan.task, {
          channel: ch.name,
          peer: task,
          detail: `${task} overwrote ch->in: ${orphan.task} stays BLOCKED for ever (Anckor supports one sender)`,
        });
      ch.senders = [pending];
    } else {
      ch.senders = ch.senders.filter((p) => p.task !== task);
      ch.senders.push(pending);
    }
    this.setState(me, 'SEND_BLOCKED', ch.name);
    this.inherit(this.servingTask(ch));
    return 'blocked';
  }

  /** Highest priority first (smaller number), then first come; anckor has one slot. */
  private nextSender(ch: Channel, from: string | null): Pending | undefined {
    const candidates = ch.senders.filter((p) => from === null || p.task === from);
    let best: Pending | undefined;
    for (const p of candidates) {
      const pb = this.kernel.domain.taskPriority(p.task)?.base ?? 0;
      const bb = best ? (this.kernel.domain.taskPriority(best.task)?.base ?? 0) : Infinity;
      if (pb < bb) best = p;
    }
    return best;
  }

  /**
   * `channel_rcv` with a notification mask (and, for a closed receive, the one sender accepted):
   * pending notification bits first, then the highest-priority waiting sender, else it waits.
   */
  receive(task: string, handle: number | null, mask: number, from: string | null): Delivery | 'blocked' {
    const me = this.task(task);
    const bits = me.notifications & mask;
    if (bits !== 0) {
      me.notifications &= ~bits;
      this.trace('receive', task, { bits, detail: `notification bits 0x${bits.toString(16)}` });
      return { kind: 'notification', bits };
    }
    if (handle === null) {
      this.setState(me, 'NOTIFICATION_WAIT', null, `mask 0x${mask.toString(16)}`);
      me.inbox = null;
      this.notifyMask.set(task, mask);
      return 'blocked';
    }
    const found = this.channelOf(handle);
    if (!found) return { kind: 'error', errno: 'EBADF' };
    const { ch } = found;
    const sender = this.nextSender(ch, from);
    if (sender && this.options.mode === 'hubris') {
      this.transfer(ch, sender, task, 'receiver');
      return this.takeInbox(task) ?? 'blocked';
    }
    if (this.options.mode === 'anckor') {
      // One slot (`ch->out`): a second receiver overwrites the first, which waits for ever.
      const orphan = ch.receivers.find((x) => x.task !== task);
      if (orphan)
        this.trace('lost', orphan.task, {
          channel: ch.name,
          peer: task,
          detail: `${task} overwrote ch->out: ${orphan.task} stays BLOCKED for ever (Anckor supports one receiver)`,
        });
      ch.receivers = [{ task, mask, from }];
    } else {
      ch.receivers = [...ch.receivers.filter((x) => x.task !== task), { task, mask, from }];
    }
    this.notifyMask.set(task, mask);
    this.setState(me, 'RECEIVE_BLOCKED', from === null ? ch.name : `${ch.name} from ${from}`);
    if (sender) {
      // Anckor: rcv_rdy is set and the waiting sender is made READY; it hands over when it runs.
      const s = this.task(sender.task);
      this.setState(s, 'READY', null, 'made ready by channel_rcv: it hands over when it next runs');
      this.kernel.domain.wake(sender.task);
    }
    return 'blocked';
  }

  private readonly notifyMask = new Map<string, number>();

  /** `sys_reply`: only to a client waiting for this task's reply (else nothing, as Hubris). */
  reply(task: string, client: string, code: number, bytes: readonly number[]): void {
    const me = this.task(task);
    const c = this.task(client);
    const at = me.clients.indexOf(client);
    if (at < 0 || c.state !== 'REPLY_BLOCKED' || c.peer !== task) {
      this.trace('reply', task, {
        peer: client,
        code,
        detail: 'no client waits for this reply: it is dropped (Hubris: silently)',
      });
      return;
    }
    me.clients.splice(at, 1);
    const msgId = this.kernel.ids.allocate();
    c.inbox = { kind: 'reply', code, bytes, msgId };
    this.setState(c, 'READY', null);
    this.kernel.domain.wake(client);
    this.trace('reply', task, { peer: client, code, bytes: bytes.length, msgId });
    this.inherit(task);
  }

  /**
   * `sys_post`: ORs bits into the target's notification word; a receive that wants them gets them
   * now. `generation`: the one the poster knows the target by (its TaskId); when the target has
   * restarted since, nothing is posted and the poster gets the dead code, as Hubris returns it.
   * Returns that dead code, or null when the bits were posted.
   */
  post(task: string, target: string, bits: number, generation?: number): number | null {
    const t = this.task(target);
    if (this.options.mode === 'hubris' && generation !== undefined && generation !== t.generation) {
      const code = this.deadCode(target);
      this.trace('dead', task, {
        peer: target,
        code,
        detail: `posted to ${target}/gen${generation}, which restarted (now gen${t.generation})`,
      });
      return code;
    }
    t.notifications = (t.notifications | bits) >>> 0;
    this.trace('post', task, { peer: target, bits });
    const mask = this.notifyMask.get(target) ?? 0;
    const hit = t.notifications & mask;
    // A task asleep on its timer is woken by the timer only.
    const waits = t.state === 'RECEIVE_BLOCKED' || (t.state === 'NOTIFICATION_WAIT' && t.peer !== 'timer');
    if (hit !== 0 && waits) {
      t.notifications &= ~hit;
      for (const ch of this.channels) ch.receivers = ch.receivers.filter((x) => x.task !== target);
      t.inbox = { kind: 'notification', bits: hit };
      this.setState(t, 'READY', null);
      this.trace('receive', target, { bits: hit, detail: `notification bits 0x${hit.toString(16)}` });
      this.kernel.domain.wake(target);
    }
    return null;
  }

  /** A blocked call ran out of time (L4): taken off the channel; the task gets -ETIMEDOUT. */
  timeout(task: string): void {
    const t = this.task(task);
    this.withdraw(task);
    this.trace('timeout', task, { detail: `${t.state} timed out` });
    this.setState(t, 'READY', null);
    for (const ch of this.channels) this.inherit(this.servingTask(ch));
  }

  /** Takes a task off every channel it waits on and every server's list of callers. */
  private withdraw(task: string): void {
    for (const ch of this.channels) {
      ch.senders = ch.senders.filter((p) => p.task !== task);
      ch.receivers = ch.receivers.filter((x) => x.task !== task);
    }
    for (const other of this.tasks.values()) other.clients = other.clients.filter((c) => c !== task);
  }

  /**
   * A task restarts (Hubris `restart_task`): its generation goes up, its notifications are
   * cleared, and every task waiting on it — to send to its channels, for its reply, in a closed
   * receive from it — gets a dead code and runs again.
   */
  restart(task: string): void {
    const t = this.task(task);
    t.generation = (t.generation + 1) % GENERATIONS;
    t.notifications = 0;
    t.clients = [];
    t.inbox = null;
    const code = this.deadCode(task);
    this.trace('restart', task, { code, detail: `generation ${t.generation}` });
    // Its old life's sends and calls are gone with it.
    this.withdraw(task);
    for (const ch of this.channels) {
      // A closed receive from it (Hubris `InRecv(Some(old))`) gets the dead code too.
      for (const r of ch.receivers.filter((x) => x.from === task)) this.kill(r.task, code, task);
      ch.receivers = ch.receivers.filter((x) => x.from !== task);
      if (this.servingTask(ch) !== task) continue;
      for (const p of ch.senders) this.kill(p.task, code, ch.name);
      ch.senders = [];
    }
    for (const other of this.tasks.values()) {
      if (other.name === task) continue;
      if (other.state === 'REPLY_BLOCKED' && other.peer === task) this.kill(other.name, code, task);
    }
    this.setState(t, 'READY', null);
    for (const ch of this.channels) this.inherit(this.servingTask(ch));
    this.inherit(task);
  }

  private kill(client: string, code: number, on: string): void {
    const c = this.task(client);
    c.inbox = { kind: 'dead', code };
    this.trace('dead', client, { peer: on, code, detail: `dead code 0x${code.toString(16)}` });
    this.setState(c, 'READY', null);
    this.kernel.domain.wake(client);
  }

  /** How a task goes back to its boot state when its supervisor restarts it. */
  onRestart(task: string, reset: () => void): void {
    this.bootStates.set(task, reset);
  }

  /**
   * The task faults where it stands (a panic, or Hubris `humility jefe --fault`): off every
   * channel it waited on, its core given up, held until its supervisor restarts it at
   * `restartAt` (ns; Infinity: held faulted, as `jefe --hold`). Who waits on it (senders on the
   * channels it serves, clients awaiting its reply) stays blocked until that restart gives them a
   * dead code. A task faulted again gets the new reason and the new restart time.
   */
  fault(task: string, detail: string, restartAt: number): void {
    const t = this.task(task);
    this.withdraw(task);
    t.inbox = null;
    if (this.onCpu === task) this.onCpu = null;
    this.setState(t, 'FAULTED', null, detail, true);
    this.kernel.domain.holdTask(task, Infinity);
    if (restartAt === Infinity) this.restarts.delete(task);
    else this.restarts.set(task, restartAt);
    this.scheduleSupervisor();
    for (const ch of this.channels) this.inherit(this.servingTask(ch));
  }

  /**
   * An injected fault (`task-fault`): `restartAfterNs` null holds the task faulted; Anckor has no
   * supervisor, so there it is always held. Returns what happened, for the fault's trace, or null
   * when the task cannot be hit now (unknown, not started yet, or finished): the fault waits.
   */
  inject(task: string, by: string, restartAfterNs: number | null): string | null {
    const t = this.tasks.get(task);
    if (!t || t.state === 'STOPPED' || !this.started.has(task)) return null;
    const was = t.peer === null ? t.state : `${t.state} ${t.peer}`;
    const anckor = this.options.mode === 'anckor';
    const restartAt = restartAfterNs === null || anckor ? Infinity : this.kernel.now() + restartAfterNs;
    this.fault(task, `killed by ${by} (was: ${was})`, restartAt);
    if (restartAt !== Infinity) {
      const us = (restartAt - this.kernel.now()) / 1000;
      return `${task} faulted; its supervisor restarts it in ${us} µs (generation ${(t.generation + 1) % GENERATIONS})`;
    }
    return anckor && restartAfterNs !== null
      ? `${task} faulted and held: Anckor has no supervisor to restart it`
      : `${task} faulted and held: nothing restarts it`;
  }

  /** The supervisor's work item: restarts the faulted tasks whose time has come. */
  private supervise(): void {
    const now = this.kernel.now();
    for (const [task, at] of [...this.restarts]) {
      if (at > now) continue;
      this.restarts.delete(task);
      this.restart(task);
      this.bootStates.get(task)?.();
      this.kernel.domain.holdTask(task, 0);
      this.kernel.domain.wake(task);
    }
    this.scheduleSupervisor();
  }

  private scheduleSupervisor(): void {
    if (this.restarts.size === 0) return;
    const next = Math.min(...this.restarts.values());
    this.kernel.domain.rescheduleWork(SUPERVISOR_WORK, Math.max(0, next - this.kernel.now()));
  }

  /** The task has finished (traced STOPPED: Hubris does not run an exited task again). */
  stop(task: string, detail: string): void {
    this.setState(this.task(task), 'STOPPED', null, detail);
  }

  /**
   * Priority inheritance (QNX): a server runs at the best running priority of the clients waiting
   * on it (sending to its channels or waiting for its reply), or at its own; and passes it on to
   * the server it waits on in turn (transitive, down a chain of calls).
   */
  private inherit(server: string, depth = 0): void {
    if (!this.options.priorityInheritance || depth > 16) return;
    const domain = this.kernel.domain;
    const own = domain.taskPriority(server);
    if (!own) return;
    let best = own.base;
    const waiting = [
      ...this.channels.filter((c) => this.servingTask(c) === server).flatMap((c) => c.senders.map((p) => p.task)),
      ...this.task(server).clients,
    ];
    for (const w of waiting) best = Math.min(best, domain.taskPriority(w)?.priority ?? best);
    const changed = best !== own.priority;
    if (changed) {
      domain.setTaskPriority(server, best);
      // Traced in the scenario's numbering (a larger number runs first).
      this.trace('priority', server, {
        priority: -best,
        detail: best === own.base ? 'back to its own priority' : `inherits priority ${-best} from a waiting client`,
      });
    }
    // A server blocked on another server passes its running priority on.
    const me = this.task(server);
    const next =
      me.state === 'REPLY_BLOCKED' ? me.peer : me.state === 'SEND_BLOCKED' ? this.servingTaskOf(me.peer) : null;
    if (changed && next !== null && next !== server) this.inherit(next, depth + 1);
  }

  snapshot(): ChannelKernelState & { readonly masks: [string, number][] } {
    return {
      onCpu: this.onCpu,
      restarts: [...this.restarts],
      started: [...this.started],
      channels: this.channels.map((c) => ({ ...c, senders: [...c.senders], receivers: [...c.receivers] })),
      tasks: [...this.tasks].map(([k, t]) => [k, { ...t, clients: [...t.clients] }]),
      masks: [...this.notifyMask],
    };
  }

  restore(state: unknown): void {
    const s = state as ChannelKernelState & { readonly masks: [string, number][] };
    this.channels = s.channels.map((c) => ({ ...c, senders: [...c.senders], receivers: [...c.receivers] }));
    this.tasks = new Map(s.tasks.map(([k, t]) => [k, { ...t, clients: [...t.clients] }]));
    this.notifyMask.clear();
    for (const [k, m] of s.masks) this.notifyMask.set(k, m);
    this.onCpu = s.onCpu;
    this.inStep = null;
    this.restarts = new Map(s.restarts);
    this.started = new Set(s.started);
  }
}
