/**
 * One domain running in its own worker: the same core code as the inline runtime (ICMsg, pbuf,
 * the IPC service, endpoint applications), on real time, over the shared RAM every worker maps,
 * with doorbells, run control and the trace in the control memory (`control.ts`).
 *
 * The loop: obey the run state (run / pause with a step budget / stop), then run a batch of items,
 * each the highest-priority one: a doorbell whose counter moved (interrupt first), else one work
 * item, else one ready task;
 * with nothing to do, spin up to 200 µs watching the doorbells, then announce `SLEEPING` and
 * `Atomics.wait` on the domain's wake word until a doorbell, a control change or the next timer.
 * A sender bumps the wake word and notifies only when the receiver announced it may sleep.
 */
import {
  Domain,
  DomainHalted,
  type Kernel,
  MemoryView,
  MessageIds,
  parseScenario,
  populate,
  createScenarioMemory,
  type BuiltInstance,
  type EndpointRunner,
  type Result,
  RingWriter,
  rttPercentileNs,
  TraceEncoder,
  type TraceBody,
  TYPICAL_RECORD_WORDS,
} from '../../core';

import {
  Control,
  type Counter,
  COUNTERS,
  C_RINGS,
  ENDPOINT_PHASES,
  type EndpointField,
  MAX_ENDPOINTS_PER_DOMAIN,
  D_HALTED,
  D_HEARTBEAT,
  D_SLEEPING,
  D_STATUS,
  D_STEP_BUDGET,
  D_WAKE,
  DomainStatus,
  G_RUN_STATE,
  G_SAMPLE_EVERY,
  G_SEQ,
  G_TRACE_MODE,
  RunState,
  TraceMode,
} from './control';
import type { DomainToHost, HostToDomain } from './protocol';

/**
 * How long an idle domain watches its doorbells before it sleeps, ns. Longer than a wake-up from
 * Atomics.wait (≈ 70–100 µs here), so a busy exchange never sleeps between messages.
 */
const SPIN_NS = 200_000;
/** The longest sleep before re-checking the run state, ms (a control change also wakes it). */
const MAX_SLEEP_MS = 200;
/** Counters go to the control memory every this many items (and before the domain sleeps). */
const COUNTER_FLUSH = 4096;
/** Items run between two looks at the run state; the clock is read every 16 of them. */
const BATCH = 64;

/** Events that happen per message: the ones sampled mode thins out. */
const MESSAGE_LEVEL = new Set<TraceBody['kind']>([
  'api',
  'packet-written',
  'packet-read',
  'doorbell-rung',
  'doorbell-delivered',
  'work',
  'task',
  'callback',
]);

export interface DomainPort {
  post(message: DomainToHost): void;
  /** Absolute time in ms (`performance.timeOrigin + performance.now()`). */
  clock(): number;
}

export class WorkerDomain {
  readonly name: string;
  readonly index: number;
  private readonly control: Control;
  private readonly w: Int32Array;
  private readonly port: DomainPort;
  private readonly epochMs: number;
  private domain!: Domain;
  private kernel!: Kernel;
  /** Channels this domain receives, and per channel the handler (set by mbox init) and the last count seen. */
  private readonly inbound: number[] = [];
  private readonly handlers: ((() => void) | null)[] = [];
  private readonly seen: number[] = [];
  /** Word index of each channel's ring counter. */
  private readonly ringWord: number[] = [];
  private readonly channelIndex = new Map<string, number>();
  private readonly encoder = new TraceEncoder();
  private readonly ring: RingWriter;
  private readonly scratch: number[] = [];
  private readonly counts = new Float64Array(COUNTERS.length);
  private traceMode: number;
  private sampleEvery: number;
  private sampleCounter = 0;
  private itemsSinceFlush = 0;
  private assertHalts = false;
  private endpoints: EndpointRunner[] = [];
  private instances: BuiltInstance[] = [];
  private traceMessages = true;
  private status = -1;
  private loops = 0;
  /** The clock at the start of the current loop iteration, ns. */
  private itemNow = 0;

  constructor(start: HostToDomain, port: DomainPort) {
    this.name = start.domain;
    this.port = port;
    this.epochMs = start.epochMs;
    this.control = new Control(start.control, start.layout);
    this.w = this.control.words;
    this.index = start.layout.domains.indexOf(start.domain);
    this.ring = new RingWriter(this.control.ring(this.index));
    this.traceMode = Atomics.load(this.w, G_TRACE_MODE);
    this.sampleEvery = Math.max(1, Atomics.load(this.w, G_SAMPLE_EVERY));
    start.layout.channels.forEach((c, i) => {
      this.channelIndex.set(c.name, i);
      this.ringWord[i] = this.control.channelWord(i, C_RINGS);
      this.handlers[i] = null;
      // Doorbells rung before this core enabled its channel are lost, as on hardware.
      this.seen[i] = Atomics.load(this.w, this.control.channelWord(i, C_RINGS));
      if (c.to === this.index) this.inbound.push(i);
    });
  }

  /** Builds the domain's part of the scenario; an error message when it cannot. */
  build(start: HostToDomain): string | null {
    const parsed = parseScenario(start.scenario);
    if (!parsed.ok) return parsed.error.map((e) => `${e.path}: ${e.message}`).join('; ');
    const scenario = parsed.value;
    const memory = createScenarioMemory(scenario, start.sharedRam);
    if (!memory.ok) return memory.error.map((e) => e.message).join('; ');
    this.assertHalts = scenario.runtime.assert === 'halt';
    const mem = new MemoryView(memory.value, this.name, {
      outOfBounds: (access, offset, length, inBounds) =>
        this.emit({ kind: 'memory-fault', access, offset, length, inBounds }),
    });
    this.traceMessages = this.traceMode !== TraceMode.counters;
    this.domain = new Domain(this.name, mem, {
      // Scheduling reads the time taken at the start of the current item (one clock read per item).
      now: () => this.itemNow,
      emit: (_d, body) => this.emit(body),
      traceMessages: this.traceMessages,
    });
    this.kernel = this.createKernel(new MessageIds(((start.incarnation << 6) + this.index + 1) * 0x1_0000_0000));
    const populated = populate(scenario, memory.value, {
      kernel: (domain) => (domain === this.name ? this.kernel : null),
      defineChannel: () => undefined,
      register: () => undefined,
    });
    if (!populated.ok) return populated.error.map((e) => e.message).join('; ');
    this.endpoints = [...populated.value.endpoints.values()].slice(0, MAX_ENDPOINTS_PER_DOMAIN);
    this.instances = [...populated.value.instances.values()];
    // Boot times are relative to the run's start; a restarted domain boots now.
    if (start.restart) this.domain.shiftTasks(this.now());
    return null;
  }

  /** Virtual time of this domain: ns since the run started, on the shared clock. */
  now(): number {
    return Math.round((this.port.clock() - this.epochMs) * 1e6);
  }

  // ---- the loop -----------------------------------------------------------------------------

  run(): void {
    const w = this.w;
    this.itemNow = this.now();
    this.emit({ kind: 'domain', status: 'running' });
    for (;;) {
      if ((++this.loops & 255) === 0) Atomics.store(w, this.control.domainWord(this.index, D_HEARTBEAT), this.loops);
      const runState = Atomics.load(w, G_RUN_STATE);
      if (runState === RunState.stop) {
        this.setStatus('stopped');
        this.flushCounters();
        return;
      }
      const paused = runState === RunState.pause;
      const budgetWord = this.control.domainWord(this.index, D_STEP_BUDGET);
      if (this.domain.halted || (paused && Atomics.load(w, budgetWord) <= 0)) {
        this.flushCounters();
        this.setStatus(this.domain.halted ? 'idle' : 'paused');
        this.sleep(MAX_SLEEP_MS);
        continue;
      }
      this.setStatus('running');
      if (paused) {
        // Stepping: exactly one item, then look at the run state again.
        if (this.runOne(true)) Atomics.sub(w, budgetWord, 1);
        else this.idle();
        continue;
      }
      // Running: a batch of items between two looks at the run state (bounded: a pause is obeyed
      // within BATCH items).
      let ran = 0;
      while (ran < BATCH && this.runOne((ran & 15) === 0)) ran += 1;
      this.itemsSinceFlush += ran;
      if (this.itemsSinceFlush >= COUNTER_FLUSH) this.flushCounters();
      if (ran === 0) this.idle();
    }
  }

  /** Runs the highest-priority item: a doorbell, a work item, a task step. False if none. */
  private runOne(readClock: boolean): boolean {
    const w = this.w;
    if (readClock) this.itemNow = this.now();
    for (const c of this.inbound) {
      const handler = this.handlers[c];
      if (!handler) continue;
      const rings = Atomics.load(w, this.ringWord[c] ?? 0);
      const last = this.seen[c] ?? rings;
      if (rings === last) continue;
      this.seen[c] = rings;
      if (this.traceMessages)
        this.emit({ kind: 'doorbell-delivered', channel: this.channelName(c), coalesced: ((rings - last) | 0) - 1 });
      this.count('doorbellsTaken');
      this.guard(handler);
      return true;
    }
    const now = this.itemNow;
    this.domain.expireTimers(now);
    if (this.domain.hasWork) {
      this.count('workItems');
      this.guard(() => this.domain.runWork());
      return true;
    }
    const task = this.domain.readyTask(now);
    if (task !== undefined) {
      this.count('taskSteps');
      this.guard(() => this.domain.runTask(task));
      return true;
    }
    return false;
  }

  private doorbellPending(): boolean {
    for (const c of this.inbound) {
      if (this.handlers[c] && Atomics.load(this.w, this.ringWord[c] ?? 0) !== this.seen[c]) return true;
    }
    return false;
  }

  /**
   * Nothing to do: spin watching the doorbells (and the clock, when a timer or task is due within
   * the spin), then sleep until woken or the next timer.
   */
  private idle(): void {
    const wakeWord = this.control.domainWord(this.index, D_WAKE);
    const wake = Atomics.load(this.w, wakeWord);
    const next = Math.min(this.domain.nextTimer(), this.domain.nextTaskWake());
    // Spin until something arrives, a timer is due, or the spin time is used up.
    const spinUntil = Math.min(next, this.now() + SPIN_NS);
    for (let i = 1; ; i++) {
      if (this.doorbellPending() || Atomics.load(this.w, wakeWord) !== wake) return;
      if ((i & 63) === 0 && this.now() >= spinUntil) break;
    }
    const delayMs = next === Infinity ? MAX_SLEEP_MS : Math.max(0, (next - this.now()) / 1e6);
    if (delayMs <= 0) return;
    this.flushCounters();
    if (next === Infinity) this.setStatus('idle');
    this.sleep(Math.min(delayMs, MAX_SLEEP_MS), wake);
  }

  /** Announces it may sleep, re-checks, then waits on the wake word (no lost wake-ups: seq-cst). */
  private sleep(ms: number, wake = Atomics.load(this.w, this.control.domainWord(this.index, D_WAKE))): void {
    const w = this.w;
    const sleeping = this.control.domainWord(this.index, D_SLEEPING);
    const wakeWord = this.control.domainWord(this.index, D_WAKE);
    Atomics.store(w, sleeping, 1);
    if (!this.doorbellPending() && Atomics.load(w, wakeWord) === wake) Atomics.wait(w, wakeWord, wake, ms);
    Atomics.store(w, sleeping, 0);
  }

  /** Runs an item; a halting assert stops the domain, anything else crashes it (and is reported). */
  private guard(body: () => void): void {
    try {
      body();
    } catch (error) {
      if (error instanceof DomainHalted) {
        Atomics.store(this.w, this.control.domainWord(this.index, D_HALTED), 1);
        return;
      }
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.setStatus('crashed');
      this.emit({ kind: 'domain', status: 'crashed', message });
      this.flushCounters();
      throw error;
    }
  }

  private setStatus(status: keyof typeof DomainStatus): void {
    const code = DomainStatus[status];
    if (code === this.status) return;
    this.status = code;
    Atomics.store(this.w, this.control.domainWord(this.index, D_STATUS), code);
  }

  private channelName(c: number): string {
    return this.control.layout.channels[c]?.name ?? '?';
  }

  // ---- kernel services ----------------------------------------------------------------------

  private createKernel(ids: MessageIds): Kernel {
    return {
      domain: this.domain,
      ids,
      traceMessages: this.traceMessages,
      now: () => this.now(),
      emit: (body) => this.emit(body),
      mboxSend: (channel) => this.ringDoorbell(channel),
      mboxInit: (channel, handler) => {
        const c = this.channelIndex.get(channel);
        if (c === undefined) return 'EINVAL';
        this.seen[c] = Atomics.load(this.w, this.ringWord[c] ?? 0);
        this.handlers[c] = handler;
        return 0;
      },
      mboxDeinit: (channel) => {
        const c = this.channelIndex.get(channel);
        if (c !== undefined) this.handlers[c] = null;
        return 0;
      },
      assertFailed: (where, message) => {
        this.emit({ kind: 'assert', where, message, halted: this.assertHalts });
        if (this.assertHalts) {
          this.domain.halted = true;
          throw new DomainHalted(this.name);
        }
      },
    };
  }

  private ringDoorbell(channel: string): Result {
    const c = this.channelIndex.get(channel);
    const spec = c === undefined ? undefined : this.control.layout.channels[c];
    if (c === undefined || !spec || spec.from !== this.index) return 'EINVAL';
    // Traced before it is rung, so the trace never shows the interrupt before the ring.
    if (this.traceMessages)
      this.emit({ kind: 'doorbell-rung', channel, to: this.control.layout.domains[spec.to] ?? '?', result: 0 });
    this.count('doorbellsRung');
    Atomics.add(this.w, this.ringWord[c] ?? 0, 1); // publishes the doorbell
    this.control.wakeIfSleeping(spec.to);
    return 0;
  }

  // ---- trace and counters -------------------------------------------------------------------

  private count(counter: Counter, by = 1): void {
    const i = COUNTERS.indexOf(counter);
    this.counts[i] = (this.counts[i] ?? 0) + by;
  }

  /** Counters kept in every tracing mode, by event kind. */
  private countEvent(body: TraceBody): void {
    if (body.kind === 'assert') this.count('asserts');
    else if (body.kind === 'anomaly') this.count('anomalies');
  }

  private emit(body: TraceBody): void {
    this.countEvent(body);
    if (this.traceMode === TraceMode.counters) return;
    if (
      this.traceMode === TraceMode.sampled &&
      MESSAGE_LEVEL.has(body.kind) &&
      ++this.sampleCounter % this.sampleEvery !== 0
    ) {
      this.count('sampledOut');
      return;
    }
    // A full ring (the host is behind) drops the record before spending time on encoding it.
    if (!this.ring.fits(TYPICAL_RECORD_WORDS)) {
      this.ring.drop();
      this.count('traceDropped');
      return;
    }
    const out = this.scratch;
    out.length = 0;
    const defined = this.encoder.defined;
    // Events of one item share the item's start time; their order is the sequence number's.
    const head = this.encoder.encode(body, 0, this.itemNow, out);
    if (!this.ring.fits(out.length)) {
      this.encoder.forgetSince(defined);
      this.ring.drop();
      this.count('traceDropped');
      return;
    }
    // The sequence number is taken only once the record is sure to be written: every number
    // taken appears in some ring, so the host can wait for each one.
    out[head + 1] = Atomics.add(this.w, G_SEQ, 1) >>> 0;
    this.ring.write(out, out.length);
    this.count('traceRecords');
  }

  private flushCounters(): void {
    this.itemsSinceFlush = 0;
    const w = this.w;
    // Packets and callbacks are counted where they happen (pbuf, ICMsg), in every tracing mode.
    const totals = { packetsWritten: 0, bytesWritten: 0, packetsRead: 0, bytesRead: 0, callbacks: 0 };
    for (const { icmsg } of this.instances) {
      for (const pb of [icmsg.tx, icmsg.rx]) {
        totals.packetsWritten += pb.counts.packetsWritten;
        totals.bytesWritten += pb.counts.bytesWritten;
        totals.packetsRead += pb.counts.packetsRead;
        totals.bytesRead += pb.counts.bytesRead;
      }
      totals.callbacks += icmsg.counters.bound + icmsg.counters.unbound + icmsg.counters.received;
    }
    for (const [name, value] of Object.entries(totals)) this.counts[COUNTERS.indexOf(name as Counter)] = value;
    COUNTERS.forEach((c, i) => Atomics.store(w, this.control.counterWord(this.index, c), this.counts[i] ?? 0));
    this.endpoints.forEach((runner, e) => {
      const s = runner.stats;
      const put = (field: EndpointField, value: number) =>
        Atomics.store(w, this.control.endpointWord(this.index, e, field), value);
      put('phase', ENDPOINT_PHASES.indexOf(runner.phase));
      put('sent', s.sent);
      put('sentBytes', s.sentBytes);
      put(
        'sendErrors',
        Object.values(s.sendErrors).reduce((a, b) => a + b, 0),
      );
      put('received', s.received);
      put('receivedBytes', s.receivedBytes);
      put('inOrder', s.inOrder);
      put('gaps', s.gaps);
      put('repeats', s.repeats);
      put('corrupted', s.corrupted);
      put('bound', s.bound);
      put('unbound', s.unbound);
      put('roundTrips', s.roundTrips);
      put('rttMinNs', s.roundTrips > 0 ? s.rttMinNs : 0);
      put('rttMaxNs', s.rttMaxNs);
      put('rttMeanNs', s.roundTrips > 0 ? s.rttSumNs / s.roundTrips : 0);
      put('rttP50Ns', rttPercentileNs(s, 0.5) ?? 0);
      put('rttP99Ns', rttPercentileNs(s, 0.99) ?? 0);
      put('firstSentUs', s.firstSentNs < 0 ? -1 : Math.round(s.firstSentNs / 1000));
      put('lastReceivedUs', s.lastReceivedNs < 0 ? -1 : Math.round(s.lastReceivedNs / 1000));
    });
  }
}

/** The whole life of a domain worker: build, report, run until stopped. */
export function runDomain(start: HostToDomain, port: DomainPort): void {
  const domain = new WorkerDomain(start, port);
  const problem = domain.build(start);
  if (problem !== null) {
    Atomics.store(new Int32Array(start.control), start.layout.domainBase[domain.index] ?? 0, DomainStatus.crashed);
    port.post({ v: 1, kind: 'failed', domain: start.domain, message: problem });
    return;
  }
  port.post({ v: 1, kind: 'ready', domain: start.domain });
  domain.run();
}
