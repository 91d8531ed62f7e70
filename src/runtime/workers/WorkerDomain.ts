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
 *
 * Over 400 lines on purpose: the loop, the doorbells (with the scenario's doorbell faults) and
 * the kernel services all work on the same words of the control memory.
 */
import {
  type BuiltInstance,
  createScenarioMemory,
  DataCache,
  Domain,
  DomainHalted,
  type EndpointRunner,
  type Kernel,
  MemoryView,
  MessageIds,
  parseScenario,
  populate,
  type Result,
} from '../../core';
import {
  C_RINGS,
  Control,
  CONTROL_VERSION,
  D_FENCE,
  D_HALTED,
  D_HEARTBEAT,
  D_PARKED,
  D_SLEEPING,
  D_STATUS,
  D_STEP_BUDGET,
  D_WAKE,
  DomainStatus,
  G_RUN_STATE,
  G_VERSION,
  MAX_ENDPOINTS_PER_DOMAIN,
  RunState,
} from './control';
import { WorkerDoorbellFaults } from './doorbellFaults';
import { DomainTrace } from './DomainTrace';
import { type DomainToHost, type HostToDomain, PROTOCOL_VERSION } from './protocol';

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
  private readonly trace: DomainTrace;
  private domain!: Domain;
  private kernel!: Kernel;
  /** Channels this domain receives, and per channel the handler (set by mbox init) and the last count seen. */
  private readonly inbound: number[] = [];
  private readonly handlers: ((() => void) | null)[] = [];
  private readonly seen: number[] = [];
  /** The scenario's doorbell faults on the channels this domain rings. */
  private doorbellFaults: WorkerDoorbellFaults | null = null;
  /** Doorbells a delay fault holds back, by channel index. */
  private readonly delayed: number[] = [];
  /** Word index of each channel's ring counter. */
  private readonly ringWord: number[] = [];
  private readonly channelIndex = new Map<string, number>();
  private readonly wakeWord: number;
  private readonly fenceWord: number;
  private itemsSinceFlush = 0;
  private assertHalts = false;
  private endpoints: EndpointRunner[] = [];
  private instances: BuiltInstance[] = [];
  private status = -1;
  private loops = 0;

  constructor(start: HostToDomain, port: DomainPort) {
    this.name = start.domain;
    this.port = port;
    this.epochMs = start.epochMs;
    this.control = new Control(start.control, start.layout);
    this.w = this.control.words;
    this.index = start.layout.domains.indexOf(start.domain);
    this.trace = new DomainTrace(this.control, this.index);
    this.wakeWord = this.control.domainWord(this.index, D_WAKE);
    this.fenceWord = this.control.domainWord(this.index, D_FENCE);
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
    const trace = this.trace;
    const mem = new MemoryView(memory.value, this.name, {
      outOfBounds: (access, offset, length, inBounds) =>
        trace.emit({ kind: 'memory-fault', access, offset, length, inBounds }),
    });
    // This core's own data cache over the shared RAM, when the scenario gives it one.
    const line = scenario.domains.find((d) => d.name === this.name)?.dcacheLine;
    if (line !== undefined) mem.cache = new DataCache(memory.value.bytes, line);
    this.domain = new Domain(this.name, mem, {
      // Scheduling reads the time taken at the start of the current item (one clock read per item).
      now: () => trace.now,
      emit: (_d, body) => trace.emit(body),
      traceMessages: trace.traceMessages,
    });
    // Each incarnation of each domain numbers its messages in its own range of 2^32 ids (ranges
    // repeat after 32,768 restarts of one domain).
    const idBase = ((start.incarnation % 32_768) * 64 + this.index + 1) * 0x1_0000_0000;
    this.kernel = this.createKernel(new MessageIds(idBase));
    const populated = populate(scenario, memory.value, {
      kernel: (domain) => (domain === this.name ? this.kernel : null),
      defineChannel: () => undefined,
      register: () => undefined,
    });
    if (!populated.ok) return populated.error.map((e) => e.message).join('; ');
    this.endpoints = [...populated.value.endpoints.values()];
    if (this.endpoints.length > MAX_ENDPOINTS_PER_DOMAIN)
      return `${this.endpoints.length} endpoints; a worker domain publishes the figures of ${MAX_ENDPOINTS_PER_DOMAIN} at most`;
    this.instances = [...populated.value.instances.values()];
    const sends = this.control.layout.channels.filter((c) => c.from === this.index).map((c) => c.name);
    this.doorbellFaults = new WorkerDoorbellFaults(scenario, this.index, new Set(sends));
    for (const name of sends) {
      const c = this.channelIndex.get(name);
      if (c === undefined) continue;
      // A delayed doorbell (a fault) rings from this domain's timer when its delay is over.
      this.domain.defineWork(`fault-delay/${name}`, () => this.ringDelayed(c));
    }
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
    this.trace.now = this.now();
    this.trace.emit({ kind: 'domain', status: 'running' });
    for (;;) {
      if ((++this.loops & 255) === 0) Atomics.store(w, this.control.domainWord(this.index, D_HEARTBEAT), this.loops);
      // The wake word is read before the run state: a control change made after this point also
      // bumps it, so a wait on this value cannot miss it.
      const wake = Atomics.load(w, this.wakeWord);
      if (Atomics.load(w, this.fenceWord) !== 0) return this.park();
      const runState = Atomics.load(w, G_RUN_STATE);
      if (runState === RunState.stop) {
        this.setStatus('stopped');
        this.flush();
        return;
      }
      const paused = runState === RunState.pause;
      const budgetWord = this.control.domainWord(this.index, D_STEP_BUDGET);
      if (this.domain.halted || (paused && Atomics.load(w, budgetWord) <= 0)) {
        this.flush();
        this.setStatus(this.domain.halted ? 'halted' : 'paused');
        this.sleep(MAX_SLEEP_MS, wake);
        continue;
      }
      this.setStatus('running');
      if (paused) {
        // Stepping: exactly one item, then look at the run state again.
        if (this.runOne(true)) Atomics.sub(w, budgetWord, 1);
        else this.idle(wake);
        continue;
      }
      // Running: a batch of items between two looks at the run state (bounded: a pause is obeyed
      // within BATCH items).
      let ran = 0;
      while (ran < BATCH && this.runOne((ran & 15) === 0)) ran += 1;
      this.itemsSinceFlush += ran;
      if (this.itemsSinceFlush >= COUNTER_FLUSH) this.flush();
      if (ran === 0) this.idle(wake);
    }
  }

  /** Stopped by the host's fence (a kill or a restart): never runs another item. */
  private park(): void {
    this.flush();
    this.setStatus('stopped');
    Atomics.store(this.w, this.control.domainWord(this.index, D_PARKED), 1);
  }

  /** Runs the highest-priority item: a doorbell, a work item, a task step. False if none (or fenced). */
  private runOne(readClock: boolean): boolean {
    const w = this.w;
    if (Atomics.load(w, this.fenceWord) !== 0) return false;
    const trace = this.trace;
    if (readClock) trace.now = this.now();
    for (const c of this.inbound) {
      const handler = this.handlers[c];
      if (!handler) continue;
      const rings = Atomics.load(w, this.ringWord[c] ?? 0);
      const last = this.seen[c] ?? rings;
      if (rings === last) continue;
      this.seen[c] = rings;
      if (trace.traceMessages)
        trace.emit({ kind: 'doorbell-delivered', channel: this.channelName(c), coalesced: ((rings - last) | 0) - 1 });
      trace.count('doorbellsTaken');
      this.guard(handler);
      return true;
    }
    const now = trace.now;
    this.domain.expireTimers(now);
    if (this.domain.hasWork) {
      trace.count('workItems');
      this.guard(() => this.domain.runWork());
      return true;
    }
    const task = this.domain.readyTask(now);
    if (task !== undefined) {
      trace.count('taskSteps');
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
   * Nothing to do: spin watching the doorbells and the wake word (and the clock, when a timer or
   * task is due within the spin), then sleep until woken or the next timer. `wake` is the wake
   * word as read before the run state.
   */
  private idle(wake: number): void {
    const next = Math.min(this.domain.nextTimer(), this.domain.nextTaskWake());
    // Spin until something arrives, a timer is due, or the spin time is used up.
    const spinUntil = Math.min(next, this.now() + SPIN_NS);
    for (let i = 1; ; i++) {
      if (this.doorbellPending() || Atomics.load(this.w, this.wakeWord) !== wake) return;
      if ((i & 63) === 0 && this.now() >= spinUntil) break;
    }
    const delayMs = next === Infinity ? MAX_SLEEP_MS : Math.max(0, (next - this.now()) / 1e6);
    if (delayMs <= 0) return;
    this.flush();
    if (next === Infinity) this.setStatus('idle');
    this.sleep(Math.min(delayMs, MAX_SLEEP_MS), wake);
  }

  /**
   * Announces it may sleep, re-checks, then waits on the wake word unless it moved since `wake`
   * was read (no lost wake-up: every Atomics operation is sequentially consistent).
   */
  private sleep(ms: number, wake: number): void {
    const w = this.w;
    const sleeping = this.control.domainWord(this.index, D_SLEEPING);
    Atomics.store(w, sleeping, 1);
    if (!this.doorbellPending() && Atomics.load(w, this.wakeWord) === wake) Atomics.wait(w, this.wakeWord, wake, ms);
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
      this.trace.emit({ kind: 'domain', status: 'crashed', message });
      this.flush();
      throw error;
    }
  }

  private flush(): void {
    this.itemsSinceFlush = 0;
    this.trace.flush(this.instances, this.endpoints);
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
    const trace = this.trace;
    return {
      domain: this.domain,
      ids,
      traceMessages: trace.traceMessages,
      now: () => this.now(),
      emit: (body) => trace.emit(body),
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
      reset: (reason) => {
        // The item that asked returns; the domain runs nothing more and the host restarts it.
        trace.emit({ kind: 'domain', status: 'reset', message: reason });
        this.domain.halted = true;
        this.port.post({ v: PROTOCOL_VERSION, kind: 'reset', domain: this.name, reason });
      },
      assertFailed: (where, message) => {
        trace.emit({ kind: 'assert', where, message, halted: this.assertHalts });
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
    const to = this.control.layout.domains[spec.to] ?? '?';
    const fate =
      this.doorbellFaults?.empty === false ? this.doorbellFaults.ring(channel, this.now(), this.packetsWritten) : null;
    for (const a of fate?.acted ?? []) {
      this.trace.emit({ kind: 'fault', fault: a.fault.id, what: a.fault.kind, target: channel, detail: a.detail });
    }
    if (fate?.fail) {
      this.trace.emit({ kind: 'doorbell-rung', channel, to, result: fate.fail });
      return fate.fail;
    }
    // Traced before it is rung, so the trace never shows the interrupt before the ring.
    if (this.trace.traceMessages) this.trace.emit({ kind: 'doorbell-rung', channel, to, result: 0 });
    this.trace.count('doorbellsRung');
    if (fate?.drop) {
      this.trace.emit({ kind: 'doorbell-lost', channel, reason: 'dropped' });
      return 0;
    }
    if (fate?.delayNs !== undefined) {
      this.delayed[c] = (this.delayed[c] ?? 0) + 1;
      this.domain.scheduleWork(`fault-delay/${channel}`, fate.delayNs);
      return 0;
    }
    Atomics.add(this.w, this.ringWord[c] ?? 0, 1); // publishes the doorbell
    this.control.wakeIfSleeping(spec.to);
    if (fate?.duplicateAfterNs !== undefined) {
      // The copy rings later from this domain's timer, as a ring of its own.
      this.delayed[c] = (this.delayed[c] ?? 0) + 1;
      this.domain.scheduleWork(`fault-delay/${channel}`, fate.duplicateAfterNs);
    }
    return 0;
  }

  /** Packets this domain wrote, into `region` or in all (pbuf counts them in every tracing mode). */
  private readonly packetsWritten = (region?: string): number => {
    let n = 0;
    for (const { icmsg } of this.instances) {
      if (region === undefined || icmsg.config.txRegion.name === region) n += icmsg.tx.counts.packetsWritten;
    }
    return n;
  };

  /** Rings the doorbells a delay fault held back on channel `c`. */
  private ringDelayed(c: number): void {
    const n = this.delayed[c] ?? 0;
    const spec = this.control.layout.channels[c];
    if (n === 0 || !spec) return;
    this.delayed[c] = 0;
    Atomics.add(this.w, this.ringWord[c] ?? 0, n);
    this.control.wakeIfSleeping(spec.to);
  }
}

/** Why this host and worker cannot work together, or null. */
function incompatible(start: HostToDomain): string | null {
  if ((start.v as number) !== PROTOCOL_VERSION)
    return `the host speaks protocol version ${String(start.v)}, this worker ${PROTOCOL_VERSION}`;
  const version = Atomics.load(new Int32Array(start.control, 0, 1), G_VERSION);
  if (version !== CONTROL_VERSION)
    return `the control memory has layout version ${version}, this worker ${CONTROL_VERSION}`;
  if (!start.layout.domains.includes(start.domain)) return `no domain ${start.domain} in the control memory`;
  return null;
}

/** The whole life of a domain worker: build, report, run until stopped. */
export function runDomain(start: HostToDomain, port: DomainPort): void {
  const problem = incompatible(start);
  const domain = problem === null ? new WorkerDomain(start, port) : null;
  const failure = problem ?? domain?.build(start) ?? null;
  if (failure !== null || !domain) {
    const index = start.layout.domains.indexOf(start.domain);
    if (index >= 0) {
      const control = new Control(start.control, start.layout);
      Atomics.store(control.words, control.domainWord(index, D_STATUS), DomainStatus.crashed);
    }
    port.post({ v: PROTOCOL_VERSION, kind: 'failed', domain: start.domain, message: failure ?? 'no domain' });
    return;
  }
  port.post({ v: PROTOCOL_VERSION, kind: 'ready', domain: start.domain });
  domain.run();
}
