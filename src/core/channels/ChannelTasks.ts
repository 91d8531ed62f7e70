/**
 * Tasks that use synchronous channels, as a scenario describes them (`schema.ts`): a server and a
 * client (calls or one-way sends) here, the simpler ones in `simpleTasks.ts`. Each is a
 * `TaskBody` whose state is plain data; a call that blocks returns WAIT and the kernel wakes the
 * task with the result in its inbox. Work on the CPU (`handleUs`, a hog) is done in steps of the
 * scenario's task cost, so a higher-priority task that is ready runs between them.
 */
import { type TaskNext, WAIT, YIELD } from '../sim/Domain';
import type { Kernel } from '../sim/Kernel';
import { DONE, sleepUntil, StateTask } from '../sim/taskKit';
import type { ChannelKernel, Delivery } from './ChannelKernel';
import type { ChannelBehaviour } from './schema';

export const US = 1_000;
/** The task ends: traced STOPPED (Hubris: a task that exited is not runnable again). */
export function finished(b: Base): TaskNext {
  b.k.stop(b.name, 'the task finished');
  return DONE;
}

/** What a server replies when its own call out failed with an errno (not a dead code). */
const FAILED_CALL = 0xffff_fffe;

/** A channel not created yet is looked up again this much later (ns): create must come first. */
export const LOOKUP_RETRY_NS = 100_000;

/** `size` bytes, the first 8 the little-endian `value` (or the message's number). */
function message(size: number, value: number): number[] {
  const out = new Array<number>(size).fill(0);
  let v = BigInt(value);
  for (let i = 0; i < Math.min(8, size); i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  for (let i = 8; i < size; i++) out[i] = (value + i) & 0xff;
  return out;
}

export function firstWord(bytes: readonly number[]): number {
  let v = 0n;
  for (let i = Math.min(8, bytes.length) - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return Number(v);
}

interface Base {
  readonly name: string;
  readonly kernel: Kernel;
  readonly k: ChannelKernel;
  /** CPU time one step does (the scenario's task cost), ns. */
  readonly stepNs: number;
}

// ---- server -------------------------------------------------------------------------------------

type Server = Extract<ChannelBehaviour, { kind: 'server' }>;

interface ServerState {
  phase: 'create' | 'recv' | 'wait-recv' | 'busy' | 'call-out' | 'wait-call' | 'reply';
  index: number;
  outHandle: number;
  /** The call out was already retried after a dead code. */
  outRetried: boolean;
  /** The code the call out failed with for good (passed on to the client), or null. */
  outFailed: number | null;
  served: number;
  busyLeft: number;
  client: string | null;
  call: boolean;
}

const SERVER_START: ServerState = {
  phase: 'create',
  index: -1,
  outHandle: -1,
  outRetried: false,
  outFailed: null,
  served: 0,
  busyLeft: 0,
  client: null,
  call: false,
};

export class ServerTask extends StateTask<ServerState> {
  constructor(
    private readonly b: Base,
    private readonly spec: Server,
  ) {
    super(SERVER_START);
  }

  step(): TaskNext {
    const { k, name } = this.b;
    const s = this.s;
    const now = this.b.kernel.now();
    if (s.phase === 'create') {
      const h = k.create(name, this.spec.channel);
      if (typeof h === 'string') return finished(this.b);
      s.index = h & 0x3ff;
      s.phase = 'recv';
    }
    if (s.phase === 'recv' || s.phase === 'wait-recv') {
      const got =
        s.phase === 'recv'
          ? k.receive(name, k.handleOf(s.index), this.spec.mask, this.spec.closedFrom ?? null)
          : k.takeInbox(name);
      if (got === 'blocked' || got === null) {
        s.phase = 'wait-recv';
        return WAIT;
      }
      return this.delivered(got, now);
    }
    if (s.phase === 'busy') {
      if (s.busyLeft > 0) {
        s.busyLeft -= this.b.stepNs;
        return YIELD;
      }
      s.phase = this.spec.callWhileHandling ? 'call-out' : 'reply';
    }
    if (s.phase === 'call-out' || s.phase === 'wait-call') {
      const out = this.spec.callWhileHandling;
      if (!out) s.phase = 'reply';
      else if (s.phase === 'call-out') {
        if (s.outHandle < 0) {
          const h = k.get(name, out.channel);
          if (typeof h === 'string') return { kind: 'sleep', ns: LOOKUP_RETRY_NS };
          s.outHandle = h;
        }
        const r = k.send(name, s.outHandle, message(out.size, s.served), true);
        if (r === 'blocked') {
          s.phase = 'wait-call';
          return WAIT;
        }
        this.outcome(r);
      } else {
        const got = k.takeInbox(name);
        if (got === null) return WAIT;
        this.outcome(got);
      }
    }
    if (s.phase === 'reply') {
      if (s.call && s.client !== null) {
        // A call out that failed for good is passed on: the client gets its code.
        const code = s.outFailed ?? this.spec.replyCode;
        k.reply(name, s.client, code, message(this.spec.replyBytes, s.served));
      }
      s.outFailed = null;
      s.outRetried = false;
      s.client = null;
      s.phase = 'recv';
      if (this.spec.count !== undefined && s.served >= this.spec.count) return finished(this.b);
      return YIELD;
    }
    return YIELD;
  }

  /**
   * The result of the call made while handling. A dead code (the server it calls restarted):
   * look its channel up again (the new generation) and call once more, as a Hubris client does;
   * dead again, or another error, and the failure goes back to this server's own client.
   */
  private outcome(got: Delivery): void {
    const s = this.s;
    const out = this.spec.callWhileHandling;
    if (got.kind === 'dead' && !s.outRetried && out) {
      s.outRetried = true;
      const h = this.b.k.get(this.b.name, out.channel);
      if (typeof h !== 'string') {
        s.outHandle = h;
        s.phase = 'call-out';
        return;
      }
    }
    s.outFailed = got.kind === 'dead' ? got.code : got.kind === 'error' ? FAILED_CALL : null;
    s.phase = 'reply';
  }

  private delivered(got: Delivery, now: number): TaskNext {
    const s = this.s;
    if (got.kind === 'notification') {
      s.phase = 'recv';
      return YIELD;
    }
    if (got.kind !== 'message') {
      s.phase = 'recv';
      return YIELD;
    }
    s.served += 1;
    s.client = got.from;
    s.call = got.call;
    // Its first life panics on message `crashAfter`; its supervisor restarts it from boot, and
    // the new generation (which the same message does not make panic) serves on.
    if (
      this.spec.crashAfter !== undefined &&
      s.served === this.spec.crashAfter &&
      this.b.k.generationOf(this.b.name) === 0
    ) {
      const detail = `panicked serving message ${s.served}; its supervisor restarts it in ${this.spec.restartAfterUs} µs`;
      this.b.k.fault(this.b.name, detail, now + this.spec.restartAfterUs * US);
      return WAIT;
    }
    s.busyLeft = this.spec.handleUs * US;
    s.phase = 'busy';
    return YIELD;
  }
}

// ---- client -------------------------------------------------------------------------------------

type Client = Extract<ChannelBehaviour, { kind: 'client' }>;

interface ClientState {
  phase: 'lookup' | 'idle' | 'wait';
  handle: number;
  sent: number;
  nextAt: number;
  deadline: number;
  retried: boolean;
}

const CLIENT_START: ClientState = {
  phase: 'lookup',
  handle: -1,
  sent: 0,
  nextAt: -1,
  deadline: 0,
  retried: false,
};

export class ClientTask extends StateTask<ClientState> {
  constructor(
    private readonly b: Base,
    private readonly spec: Client,
  ) {
    super(CLIENT_START);
  }

  step(): TaskNext {
    const { k, name } = this.b;
    const s = this.s;
    const now = this.b.kernel.now();
    if (s.nextAt < 0) s.nextAt = now;
    if (s.phase === 'lookup') {
      const h = this.spec.create ? k.create(name, this.spec.channel) : k.get(name, this.spec.channel);
      if (typeof h === 'string') return this.spec.create ? finished(this.b) : { kind: 'sleep', ns: LOOKUP_RETRY_NS };
      s.handle = h;
      s.phase = 'idle';
    }
    if (s.phase === 'idle') {
      if (this.spec.count !== undefined && s.sent >= this.spec.count) return finished(this.b);
      if (now < s.nextAt) return sleepUntil(now, s.nextAt);
      s.sent += 1;
      s.retried = false;
      return this.attempt(now);
    }
    const got = k.takeInbox(name);
    if (got) return this.settle(got, now);
    // Anckor: channel_rcv made this sender READY without taking its message; back in its
    // while-loop, it now finds the receiver ready and hands over.
    if (k.stateOf(name).state === 'RUNNING') return this.attempt(now, false);
    if (now >= s.deadline) {
      k.timeout(name);
      return this.next(now);
    }
    return sleepUntil(now, s.deadline);
  }

  private attempt(now: number, fresh = true): TaskNext {
    const s = this.s;
    const bytes = message(this.spec.size, this.spec.value ?? s.sent);
    const r = this.b.k.send(this.b.name, s.handle, bytes, this.spec.call);
    if (r !== 'blocked') return this.settle(r, now);
    s.phase = 'wait';
    if (fresh) s.deadline = this.spec.timeoutUs === undefined ? Infinity : now + this.spec.timeoutUs * US;
    return sleepUntil(now, s.deadline);
  }

  private settle(got: Delivery, now: number): TaskNext {
    const s = this.s;
    // A dead code: the server restarted. Look its channel up again (the next generation) and
    // send this message once more, as a Hubris client does.
    if (got.kind === 'dead' && !s.retried) {
      s.retried = true;
      const h = this.b.k.get(this.b.name, this.spec.channel);
      if (typeof h !== 'string') {
        s.handle = h;
        return this.attempt(now);
      }
    }
    return this.next(now);
  }

  private next(now: number): TaskNext {
    const s = this.s;
    s.phase = 'idle';
    s.nextAt = Math.max(now, s.nextAt + this.spec.periodUs * US);
    if (this.spec.count !== undefined && s.sent >= this.spec.count) return finished(this.b);
    return sleepUntil(now, s.nextAt);
  }
}

export type { Base as ChannelTaskBase };
