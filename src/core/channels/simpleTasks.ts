/**
 * The simpler channel tasks of a scenario (`schema.ts`): a one-way receiver (Anckor's `rcv`), a
 * task that waits for notification bits only, a CPU hog and a notifier (`sys_post`). As in
 * `ChannelTasks.ts`, each is a `TaskBody` with plain-data state.
 */
import { type TaskBody, type TaskNext, WAIT, YIELD } from '../sim/Domain';
import { StateTask } from '../sim/taskKit';
import { type ChannelTaskBase as Base, finished, firstWord, LOOKUP_RETRY_NS, US } from './ChannelTasks';
import type { ChannelBehaviour } from './schema';

type Receiver = Extract<ChannelBehaviour, { kind: 'receiver' }>;

interface ReceiverState {
  phase: 'lookup' | 'recv' | 'wait';
  handle: number;
  received: number;
}

const RECEIVER_START: ReceiverState = { phase: 'lookup', handle: -1, received: 0 };

export class ReceiverTask extends StateTask<ReceiverState> {
  constructor(
    private readonly b: Base,
    private readonly spec: Receiver,
  ) {
    super(RECEIVER_START);
  }

  step(): TaskNext {
    const { k, name } = this.b;
    const s = this.s;
    if (s.phase === 'lookup') {
      const h = this.spec.create ? k.create(name, this.spec.channel) : k.get(name, this.spec.channel);
      if (typeof h === 'string') return this.spec.create ? finished(this.b) : { kind: 'sleep', ns: LOOKUP_RETRY_NS };
      s.handle = h;
      s.phase = 'recv';
    }
    const got = s.phase === 'recv' ? k.receive(name, s.handle, this.spec.mask, null) : k.takeInbox(name);
    if (got === 'blocked' || got === null) {
      s.phase = 'wait';
      return WAIT;
    }
    s.phase = 'recv';
    if (got.kind === 'message') {
      s.received += 1;
      const word = firstWord(got.bytes);
      if (this.spec.expect !== undefined && word !== this.spec.expect)
        this.b.kernel.emit({
          kind: 'violation',
          rule: 'intact',
          severity: 'error',
          where: this.spec.channel,
          message: `${name} received 0x${word.toString(16)}, expected 0x${this.spec.expect.toString(16)} (${got.path})`,
        });
    }
    if (this.spec.count !== undefined && s.received >= this.spec.count) return finished(this.b);
    return YIELD;
  }
}

type Waiter = Extract<ChannelBehaviour, { kind: 'waiter' }>;

/** Waits for notification bits only; counts the deliveries. */
export class WaiterTask extends StateTask<{ waiting: boolean; got: number }> {
  constructor(
    private readonly b: Base,
    private readonly spec: Waiter,
  ) {
    super({ waiting: false, got: 0 });
  }

  step(): TaskNext {
    const { k, name } = this.b;
    const got = this.s.waiting ? k.takeInbox(name) : k.receive(name, null, this.spec.mask, null);
    if (got === 'blocked' || got === null) {
      this.s.waiting = true;
      return WAIT;
    }
    this.s.waiting = false;
    if (got.kind === 'notification') this.s.got += 1;
    if (this.spec.count !== undefined && this.s.got >= this.spec.count) return finished(this.b);
    return YIELD;
  }
}

export class HogTask implements TaskBody {
  private left: number;

  constructor(
    private readonly b: Base,
    durationUs: number,
  ) {
    this.left = durationUs * US;
  }

  step(): TaskNext {
    if (this.left <= 0) return finished(this.b);
    this.left -= this.b.stepNs;
    return YIELD;
  }

  snapshot(): number {
    return this.left;
  }

  restore(state: unknown): void {
    this.left = state as number;
  }
}

type Notifier = Extract<ChannelBehaviour, { kind: 'notifier' }>;

/**
 * Posts `bits` to its target every `periodUs`. It knows the target by name and generation (a
 * Hubris TaskId): after the target restarts, a post gets the dead code, and the notifier learns
 * the new generation and posts again, as a Hubris task refreshes a stale TaskId.
 */
export class NotifierTask extends StateTask<{ posted: number; generation: number | null }> {
  constructor(
    private readonly b: Base,
    private readonly spec: Notifier,
  ) {
    super({ posted: 0, generation: null });
  }

  step(): TaskNext {
    const { k, name } = this.b;
    const s = this.s;
    if (this.spec.count !== undefined && s.posted >= this.spec.count) return finished(this.b);
    s.posted += 1;
    s.generation ??= k.generationOf(this.spec.target);
    if (k.post(name, this.spec.target, this.spec.bits, s.generation) !== null) {
      s.generation = k.generationOf(this.spec.target);
      k.post(name, this.spec.target, this.spec.bits, s.generation);
    }
    return { kind: 'sleep', ns: this.spec.periodUs * US };
  }
}
