/**
 * Over 400 lines on purpose: one application with every behaviour a scenario can give an
 * endpoint (copy and no-copy sends, holds, echo, ping, stream, sink, manual) and its checks.
 *
 * An endpoint's application: the task on its domain that registers the endpoint and then behaves
 * as its scenario says (echo, ping, stream, sink, manual), plus the checks a test would make on
 * what arrives. All its state is plain data, so simulation snapshots carry it.
 *
 * Lifecycle: `boot` (registers at its start time) → `waiting` (for `bound()`) → `bound` → …
 * After `unbound()` it deregisters and registers again (`onUnbound: "reregister"`, as Zephyr's
 * ipc_sessions test application does), or waits.
 */
import { isErrno, type Result } from '../errno';
import * as ipc from '../ipc/ipcService';
import { createEndpoint, type IpcEndpoint, type IpcInstance } from '../ipc/types';
import { type Domain, type TaskBody, type TaskNext, WAIT, YIELD } from '../sim/Domain';
import { Random, type RandomState } from '../sim/Random';
import type { Kernel } from '../sim/Simulation';
import { emptyStats, type EndpointStats, MAX_IN_FLIGHT, RTT_SAMPLES } from './endpointStats';
import { checkPayload, readNumber, writeNumber, writePayload } from './payload';
import type { EndpointSpec } from './schema';

export type ManualCommand =
  | { readonly kind: 'send'; readonly data: Uint8Array }
  | { readonly kind: 'deregister' }
  | { readonly kind: 'register' };

export type EndpointPhase = 'boot' | 'waiting' | 'bound' | 'deregistered' | 'done' | 'failed';

interface RunnerState {
  phase: EndpointPhase;
  /** Messages sent so far, every session (what `count` limits). */
  seq: number;
  /** `seq` when the current session was bound: messages are numbered from 0 in each session. */
  sessionBase: number;
  /** Next sequence number expected from the peer in this session. */
  expected: number;
  stats: EndpointStats;
  rng: RandomState;
  commands: ManualCommand[];
  /** Ping: send times of messages whose echo has not come back, in order. */
  outstanding: (readonly [number, number])[];
  /** Pingpong: when the next round may start (ns). */
  nextRoundAt: number;
  /** Stream: the size drawn for the next message, kept until it is sent (a retry sends the same). */
  nextSize: number | null;
  /** The endpoint's registration (struct ipc_ept): instance set, and the backend's token. */
  ept: { registered: boolean; token: unknown };
  /** When the endpoint deregisters for good (`deregisterAtUs`), ns; null when it does not (any more). */
  deregisterAt: number | null;
  /** Sink with `holdUs`: received buffers held, with when each is released (ns), oldest first. */
  held: { readonly buffer: Uint8Array; readonly releaseAt: number }[];
}

/** A stable 32-bit hash of a string (FNV-1a), to seed each endpoint's own random sizes. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class EndpointRunner implements TaskBody {
  readonly spec: EndpointSpec;
  readonly taskId: string;
  readonly ept: IpcEndpoint = createEndpoint();
  private readonly instance: IpcInstance;
  private readonly kernel: Kernel;
  private readonly domain: Domain;
  private readonly rng: Random;
  private state: RunnerState;
  /** Messages carry only their number (a `numbered` stream), not checked bytes. */
  private readonly numbered: boolean;
  /** The payload of the next message, reused (ICMsg copies it into shared memory). */
  private payload = new Uint8Array(64);

  /**
   * Whether this application calls `ipc_service_open_instance()` before registering: the first
   * endpoint of an instance does, as applications open an instance once (a second open is
   * -EALREADY on ICMsg-based backends).
   */
  private readonly opensInstance: boolean;

  constructor(spec: EndpointSpec, instance: IpcInstance, kernel: Kernel, seed: number, opensInstance = true) {
    this.opensInstance = opensInstance;
    this.spec = spec;
    this.instance = instance;
    this.kernel = kernel;
    this.domain = kernel.domain;
    this.taskId = `${spec.instance}/${spec.name}`;
    const b = spec.behaviour;
    this.numbered = (b.kind === 'stream' || b.kind === 'sink') && b.payload === 'numbered';
    this.rng = new Random((seed ^ hash(`${spec.domain}/${spec.instance}/${spec.name}`)) >>> 0);
    this.state = {
      phase: 'boot',
      seq: 0,
      sessionBase: 0,
      expected: 0,
      stats: emptyStats(),
      rng: this.rng.state(),
      commands: [],
      outstanding: [],
      nextRoundAt: 0,
      nextSize: null,
      deregisterAt: null,
      ept: { registered: false, token: null },
      held: [],
    };
  }

  get phase(): EndpointPhase {
    return this.state.phase;
  }

  get stats(): Readonly<EndpointStats> {
    return this.state.stats;
  }

  /** Queues a command for a `manual` endpoint (or any endpoint) and wakes its task. */
  command(command: ManualCommand): void {
    this.state.commands.push(command);
    this.domain.wake(this.taskId);
  }

  // ---- the task ----------------------------------------------------------------------------

  step(): TaskNext {
    const s = this.state;
    const command = s.commands.shift();
    if (command) {
      this.runCommand(command);
      return s.commands.length > 0 ? YIELD : this.idle();
    }
    this.releaseHeld();
    if (s.deregisterAt !== null && this.kernel.now() >= s.deregisterAt) {
      s.deregisterAt = null;
      this.deregister();
      s.phase = 'done';
      return WAIT;
    }
    switch (s.phase) {
      case 'boot':
        if (this.opensInstance) ipc.openInstance(this.instance);
        if (this.spec.deregisterAtUs !== undefined) {
          const afterBoot = this.kernel.now() - Math.round(this.spec.registerAtUs * 1000);
          s.deregisterAt = afterBoot + Math.round(this.spec.deregisterAtUs * 1000);
        }
        this.register();
        return this.idle();
      case 'bound':
        return this.produce();
      case 'waiting':
      case 'deregistered':
      case 'done':
      case 'failed':
        return this.idle();
    }
  }

  /** What the task does while it has nothing to send. */
  private idle(): TaskNext {
    if (
      this.state.phase === 'bound' &&
      (this.spec.behaviour.kind === 'ping' || this.spec.behaviour.kind === 'stream')
    ) {
      return { kind: 'sleep', ns: 0 };
    }
    // Woken for the next held buffer to release, or to deregister.
    const wakeAt = Math.min(this.state.held[0]?.releaseAt ?? Infinity, this.state.deregisterAt ?? Infinity);
    if (wakeAt !== Infinity) return { kind: 'sleep', ns: Math.max(0, wakeAt - this.kernel.now()) };
    return { kind: 'wait' };
  }

  private produce(): TaskNext {
    const b = this.spec.behaviour;
    const s = this.state;
    if (b.kind === 'pingpong') {
      if (s.seq - s.sessionBase >= b.count && s.outstanding.length === 0) return this.finish();
      if (s.outstanding.length > 0) return WAIT; // the echo wakes the task
      const wait = s.nextRoundAt - this.kernel.now();
      if (wait > 0) return { kind: 'sleep', ns: wait };
      if (s.seq - s.sessionBase >= b.count) return this.finish();
      const start = this.kernel.now();
      if (this.sendSeq(b.size)) s.outstanding.push([s.seq - 1 - s.sessionBase, start]);
      return s.outstanding.length > 0 ? WAIT : { kind: 'sleep', ns: 1000 };
    }
    if (b.kind === 'ping') {
      if (b.count !== undefined && s.seq >= b.count) return this.finish();
      const sent = this.sendSeq(b.size);
      if (sent) {
        if (s.outstanding.length >= MAX_IN_FLIGHT) s.outstanding.shift();
        s.outstanding.push([s.seq - 1 - s.sessionBase, this.kernel.now()]);
      }
      return { kind: 'sleep', ns: Math.round(b.periodUs * 1000) };
    }
    if (b.kind === 'stream') {
      if (b.count !== undefined && s.seq >= b.count) return this.finish();
      if (s.nextSize === null) {
        s.nextSize = typeof b.size === 'number' ? b.size : this.rng.between(b.size.min, b.size.max);
        s.rng = this.rng.state();
      }
      const sent = b.api === 'nocopy' ? this.sendNocopySeq(s.nextSize, b.txWaitMs) : this.sendSeq(s.nextSize);
      if (typeof sent !== 'boolean') return sent; // blocked in get_tx_buffer
      if (sent) s.nextSize = null;
      return sent ? YIELD : { kind: 'sleep', ns: Math.round(b.retryUs * 1000) };
    }
    return this.idle();
  }

  private finish(): TaskNext {
    this.state.phase = 'done';
    return WAIT;
  }

  /** Sends the session's next numbered message; true when the transport took all of it. */
  private sendSeq(size: number): boolean {
    const s = this.state;
    if (this.payload.length < size) this.payload = new Uint8Array(Math.max(size, this.payload.length * 2));
    if (this.numbered) writeNumber(this.payload, s.seq - s.sessionBase);
    else writePayload(this.payload, s.seq - s.sessionBase, size);
    const result = ipc.send(this.ept, this.payload, size);
    if (this.count(result, size)) {
      s.seq += 1;
      return true;
    }
    return false;
  }

  /**
   * The no-copy send of the session's next message: `get_tx_buffer` (waiting as `txWaitMs`
   * says), the payload written in place, `send_nocopy`. True when sent, false on an error, or
   * what the task does while `get_tx_buffer` blocks it.
   */
  private sendNocopySeq(size: number, txWaitMs: number | 'forever' | undefined): boolean | TaskNext {
    const s = this.state;
    const wait = txWaitMs === undefined ? 'no-wait' : txWaitMs === 'forever' ? 'forever' : { ms: txWaitMs };
    const grant = ipc.getTxBuffer(this.ept, size, wait);
    if (grant.blockedUntil !== undefined) {
      return grant.blockedUntil < 0 ? WAIT : { kind: 'sleep', ns: Math.max(0, grant.blockedUntil - this.kernel.now()) };
    }
    if (grant.result !== 0 || !grant.buffer) {
      this.count(isErrno(grant.result) ? grant.result : 'EINVAL', size);
      return false;
    }
    if (this.numbered) writeNumber(grant.buffer, s.seq - s.sessionBase);
    else writePayload(grant.buffer, s.seq - s.sessionBase, size);
    // On failure the backend has already given the blocks back (as Zephyr's send_nocopy does).
    if (!this.count(ipc.sendNocopy(this.ept, grant.buffer, size), size)) return false;
    s.seq += 1;
    return true;
  }

  /** Releases the held RX buffers whose time has come (`release_rx_buffer`). */
  private releaseHeld(): void {
    const s = this.state;
    const now = this.kernel.now();
    while (s.held.length > 0 && (s.held[0]?.releaseAt ?? Infinity) <= now) {
      const held = s.held.shift();
      if (!held) break;
      const r = ipc.releaseRxBuffer(this.ept, held.buffer);
      if (isErrno(r)) s.stats.errors.push(`release_rx_buffer: -${r}`);
    }
  }

  private count(result: Result, size: number): boolean {
    const stats = this.state.stats;
    if (isErrno(result)) {
      stats.sendErrors[result] = (stats.sendErrors[result] ?? 0) + 1;
      return false;
    }
    if (stats.sent === 0) stats.firstSentNs = this.kernel.now();
    stats.sent += 1;
    stats.sentBytes += size;
    return true;
  }

  private runCommand(command: ManualCommand): void {
    switch (command.kind) {
      case 'send':
        this.count(ipc.send(this.ept, command.data), command.data.length);
        break;
      case 'deregister':
        this.deregister();
        break;
      case 'register':
        this.register();
        break;
    }
  }

  private register(): void {
    const s = this.state;
    s.phase = 'waiting';
    const result = ipc.registerEndpoint(this.instance, this.ept, {
      name: this.spec.name,
      cb: {
        bound: () => this.onBound(),
        unbound: () => this.onUnbound(),
        received: (data) => this.onReceived(data),
        error: (message) => s.stats.errors.push(message),
      },
    });
    if (isErrno(result)) {
      s.stats.errors.push(`register: -${result}`);
      s.phase = 'failed';
    }
  }

  private deregister(): void {
    const result = ipc.deregisterEndpoint(this.ept);
    if (result === 0) {
      this.state.phase = 'deregistered';
    } else if (isErrno(result)) {
      this.state.stats.errors.push(`deregister: -${result}`);
    }
  }

  // ---- callbacks ---------------------------------------------------------------------------

  private onBound(): void {
    const s = this.state;
    s.stats.bound += 1;
    // A new session: both sides number their messages from 0 again (a restarted peer does).
    s.sessionBase = s.seq;
    s.expected = 0;
    s.outstanding = [];
    if (s.phase !== 'done') s.phase = 'bound';
    this.domain.wake(this.taskId);
    if (this.spec.sendInBound !== undefined) {
      const data = new Uint8Array(this.spec.sendInBound);
      writePayload(data, 0, data.length);
      this.count(ipc.send(this.ept, data), data.length);
    }
  }

  private onUnbound(): void {
    const s = this.state;
    s.stats.unbound += 1;
    if (s.phase === 'done') return;
    s.phase = 'waiting';
    s.outstanding = [];
    if (this.spec.onUnbound === 'reregister') {
      s.commands.push({ kind: 'deregister' }, { kind: 'register' });
      this.domain.wake(this.taskId);
    }
  }

  private onReceived(data: Uint8Array): void {
    const s = this.state;
    s.stats.received += 1;
    s.stats.receivedBytes += data.length;
    s.stats.lastReceivedNs = this.kernel.now();
    if (this.spec.behaviour.kind === 'echo') {
      this.count(ipc.send(this.ept, data), data.length);
      return;
    }
    if (this.spec.behaviour.kind === 'manual') return;
    const seq = this.numbered ? readNumber(data) : checkPayload(data);
    this.maybeHold(data);
    if (seq === null) {
      s.stats.corrupted += 1;
      // The application's own check, as a test would make it: the bytes are not what was sent.
      this.kernel.emit({
        kind: 'violation',
        rule: 'intact',
        severity: 'error',
        where: `${this.spec.domain}/${this.taskId}`,
        message: `${data.length} bytes arrived that are not a message the peer sent (corrupted)`,
      });
      return;
    }
    const kind = this.spec.behaviour.kind;
    if (kind === 'ping' || kind === 'pingpong') {
      // Echoes older than this one were lost (the echo side could not send them back): they
      // will never come, so they leave the list of pings in flight.
      while (s.outstanding.length > 0 && (s.outstanding[0]?.[0] ?? seq) < seq) s.outstanding.shift();
      const oldest = s.outstanding[0];
      if (oldest && oldest[0] === seq) {
        s.outstanding.shift();
        const now = this.kernel.now();
        const rtt = now - oldest[1];
        s.stats.roundTrips += 1;
        s.stats.rttSumNs += rtt;
        s.stats.rttMinNs = Math.min(s.stats.rttMinNs, rtt);
        s.stats.rttMaxNs = Math.max(s.stats.rttMaxNs, rtt);
        if (s.stats.rttRecentNs.length >= RTT_SAMPLES) s.stats.rttRecentNs.shift();
        s.stats.rttRecentNs.push(rtt);
        if (this.spec.behaviour.kind === 'pingpong') {
          s.nextRoundAt = now + Math.round(this.spec.behaviour.pauseUs * 1000);
          this.domain.wake(this.taskId);
        }
      }
    }
    if (seq === s.expected) {
      s.stats.inOrder += 1;
      s.expected += 1;
    } else if (seq > s.expected) {
      s.stats.gaps += 1;
      s.expected = seq + 1;
    } else {
      s.stats.repeats += 1;
    }
  }

  /** Sink with `holdUs`: keeps the buffer (`hold_rx_buffer`) and wakes the task to release it. */
  private maybeHold(data: Uint8Array): void {
    const b = this.spec.behaviour;
    if (b.kind !== 'sink' || b.holdUs === undefined) return;
    const r = ipc.holdRxBuffer(this.ept, data);
    if (isErrno(r)) {
      this.state.stats.errors.push(`hold_rx_buffer: -${r}`);
      return;
    }
    this.state.held.push({ buffer: data, releaseAt: this.kernel.now() + Math.round(b.holdUs * 1000) });
    this.domain.wake(this.taskId);
  }

  // ---- snapshots ---------------------------------------------------------------------------

  snapshot(): unknown {
    return {
      ...copyState(this.state),
      rng: this.rng.state(),
      ept: { registered: this.ept.instance !== null, token: this.ept.token },
    } satisfies RunnerState;
  }

  restore(saved: unknown): void {
    const s = saved as RunnerState;
    this.state = copyState(s);
    this.rng.restore(s.rng);
    this.ept.instance = s.ept.registered ? this.instance : null;
    this.ept.token = s.ept.token;
    this.ept.name = this.spec.name;
  }
}

/** A copy of a runner's state that shares nothing mutable with the original. */
function copyState(s: RunnerState): RunnerState {
  return {
    ...s,
    stats: {
      ...s.stats,
      sendErrors: { ...s.stats.sendErrors },
      errors: [...s.stats.errors],
      rttRecentNs: [...s.stats.rttRecentNs],
    },
    commands: [...s.commands],
    outstanding: [...s.outstanding],
    ept: { ...s.ept },
    held: [...s.held],
  };
}
