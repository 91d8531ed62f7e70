/**
 * The real-concurrency runtime: every domain in its own thread (a Web Worker, or a Node
 * `worker_threads` worker), all mapping one SharedArrayBuffer as shared RAM, with doorbells, run
 * control and trace in a second, control SharedArrayBuffer (`control.ts`). postMessage is used
 * once per worker, to start it.
 *
 * Run control: pause, resume, step (every domain runs one item) and stop are words the domains
 * check between items; a sleeping domain is woken for each change, so all of them obey within
 * one batch of items (`BATCH` in `WorkerDomain`). A worker that throws, or is killed, is reported
 * as crashed with its error; the others keep running, and a crashed domain can be restarted over
 * the memory as it is (a warm reset), once its old thread is gone.
 *
 * Longer than most files here: it is the runtime's one public surface (the Runtime interface plus
 * the worker-only controls: kill, restart, counters, endpoint figures, trace health); the parts
 * live in `control.ts`, `DomainThreads.ts` and `TraceIngest.ts`.
 */
import {
  channelsOf,
  clearLibipcArea,
  createScenarioMemory,
  type ConfigIssue,
  fail,
  ok,
  type Outcome,
  faultSchema,
  parseScenario,
  type Scenario,
  type TraceBody,
  type TraceEvent,
  TraceStore,
} from '../../core';
import { type Runtime, type RuntimeStatus, type RuntimeUpdate, type Ticker, timeoutTicker } from '../Runtime';
import {
  Control,
  type Counter,
  D_STATUS,
  D_STEP_BUDGET,
  DomainStatus,
  type DomainStatusName,
  domainStatusName,
  type EndpointField,
  G_RUN_STATE,
  G_TRACE_MODE,
  planControl,
  RunState,
  TRACE_MODES,
  type TraceModeName,
  workerLimitIssues,
} from './control';
import { type DomainState, DomainThreads } from './DomainThreads';
import { HostFaults, workerFaultRefusal } from './hostFaults';
import { type HostToDomain, PROTOCOL_VERSION } from './protocol';
import { type TraceHealth, TraceIngest } from './TraceIngest';
import type { WorkerFactory } from './WorkerHandle';

export type { DomainState } from './DomainThreads';
export type { TraceHealth } from './TraceIngest';

export interface WorkerRuntimeOptions {
  readonly factory: WorkerFactory;
  /** Tracing mode; the scenario's `runtime.tracing` when not given. */
  readonly trace?: TraceModeName;
  readonly sampleEvery?: number;
  /** Trace ring size per domain, in 32-bit words. */
  readonly ringWords?: number;
  /** Events the host's flight recorder keeps. */
  readonly storeCapacity?: number;
  /** How often the host drains traces and publishes an update (a frame in the browser). */
  readonly ticker?: Ticker;
  /** Absolute time, ms (`performance.timeOrigin + performance.now()`). */
  readonly clock?: () => number;
  /** Host time one drain may take, ms, so the host leaves the cores to the domains. */
  readonly drainBudgetMs?: number;
  /** How often `waitUntil` polls, ms. */
  readonly pollMs?: number;
}

export class WorkerRuntime implements Runtime {
  readonly mode = 'workers';
  readonly scenario: Scenario;
  /** The flight recorder: the same object for the runtime's life (a reset clears it). */
  readonly store: TraceStore;
  private ram: SharedArrayBuffer;
  private controlMemory: Control;
  private ingest: TraceIngest;
  private readonly options: WorkerRuntimeOptions;
  private readonly clock: () => number;
  private readonly threads: DomainThreads;
  private hostFaults: HostFaults;
  private readonly restarts: (Promise<void> | null)[];
  private readonly states: { status: DomainStatusName | null; incarnation: number; error?: string; ready: boolean }[];
  private readonly listeners = new Set<(update: RuntimeUpdate) => void>();
  private statusValue: RuntimeStatus = 'paused';
  private epochMs = 0;
  private started = false;
  private disposed = false;
  /** Bumped by reset and dispose: a restart awaiting an old thread gives up if it moved. */
  private generation = 0;
  private cancelTick: (() => void) | null = null;

  private constructor(scenario: Scenario, options: WorkerRuntimeOptions) {
    this.scenario = scenario;
    this.options = options;
    this.clock = options.clock ?? (() => performance.timeOrigin + performance.now());
    const domains = scenario.domains.map((d) => d.name);
    this.store = new TraceStore({ capacity: options.storeCapacity ?? 1_000_000 });
    this.ram = this.freshRam();
    this.controlMemory = this.freshControl(domains);
    this.ingest = this.freshIngest();
    this.threads = new DomainThreads(options.factory, domains.length, {
      ready: (d) => {
        const state = this.states[d];
        if (state) state.ready = true;
      },
      crashed: (d, message) => {
        this.markCrashed(d, message);
        this.threads.retire(d, this.control);
      },
      reset: (d) => {
        const name = this.domains[d];
        if (name !== undefined) void this.restart(name);
      },
    });
    this.restarts = domains.map(() => null);
    this.states = domains.map(() => ({ status: null, incarnation: 0, ready: false }));
    this.hostFaults = this.freshHostFaults();
  }

  private freshHostFaults(): HostFaults {
    return new HostFaults({
      scenario: this.scenario,
      ram: () => new Uint8Array(this.ram),
      domains: this.scenario.domains.map((d) => d.name),
      kill: (domain) => this.kill(domain),
      restart: (domain, beforeStart) => this.restart(domain, beforeStart),
      trace: (body) => this.ingest.hostEvent(this.now(), body),
    });
  }

  /**
   * Adds a fault now (the user's): memory faults, kill, warm and cold reset act on the running
   * threads; null when it acted or will at its time, else why the worker runtime cannot do it.
   */
  injectFault(input: unknown): string | null {
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid fault';
    }
    const why = this.hostFaults.add(parsed.data);
    this.scheduleDrain();
    return why;
  }

  /**
   * Validates the scenario; fails when this host has no SharedArrayBuffer (not isolated) or the
   * scenario needs more than the control memory can describe.
   */
  static create(input: unknown, options: WorkerRuntimeOptions): Outcome<WorkerRuntime, ConfigIssue[]> {
    if (typeof SharedArrayBuffer === 'undefined') {
      return fail([
        {
          path: 'runtime.mode',
          message: 'the worker runtime needs SharedArrayBuffer: this page is not cross-origin isolated',
        },
      ]);
    }
    const parsed = parseScenario(input);
    if (!parsed.ok) return parsed;
    const issues = [
      ...workerLimitIssues(parsed.value),
      ...parsed.value.faults.flatMap((f, i) => {
        const why = f.armed ? workerFaultRefusal(f, false) : null;
        return why === null ? [] : [{ path: `faults.${i}`, message: `${f.id}: ${why}` }];
      }),
    ];
    if (issues.length > 0) return fail(issues);
    return ok(new WorkerRuntime(parsed.value, options));
  }

  get status(): RuntimeStatus {
    return this.statusValue;
  }

  get domains(): readonly string[] {
    return this.controlMemory.layout.domains;
  }

  /** The shared RAM every domain maps. A reset replaces it: read it again after one. */
  get sharedRam(): SharedArrayBuffer {
    return this.ram;
  }

  /** The control memory (doorbells, run control, counters, trace rings). Replaced by a reset. */
  get control(): Control {
    return this.controlMemory;
  }

  // ---- Runtime ------------------------------------------------------------------------------

  start(): void {
    if (this.disposed) return;
    if (!this.started) this.spawnAll();
    this.clearStepBudgets();
    this.setRunState('run');
    this.statusValue = 'running';
    this.scheduleDrain();
  }

  pause(): void {
    if (this.disposed) return;
    this.setRunState('pause');
    this.clearStepBudgets();
    if (this.statusValue === 'running') this.statusValue = 'paused';
    this.publish();
  }

  /**
   * Every domain runs its next item (a doorbell, a work item or a task step), then waits again.
   * A domain with nothing to do runs its next item when one comes; steps do not pile up.
   */
  step(): void {
    if (this.disposed) return;
    if (!this.started) this.spawnAll();
    this.setRunState('pause');
    this.statusValue = 'paused';
    this.domains.forEach((_, d) => Atomics.store(this.control.words, this.control.domainWord(d, D_STEP_BUDGET), 1));
    this.wakeAll();
    this.scheduleDrain();
  }

  /**
   * Back to the start: every thread stopped, fresh shared RAM and control memory (a thread not
   * yet gone can only touch the old ones, which nobody reads), an empty trace.
   */
  reset(): void {
    if (this.disposed) return;
    this.stopWorkers();
    this.generation += 1;
    this.ram = this.freshRam();
    this.controlMemory = this.freshControl(this.domains);
    this.store.clear();
    this.ingest = this.freshIngest();
    this.hostFaults = this.freshHostFaults();
    this.states.forEach((s, d) => {
      s.status = null;
      s.ready = false;
      s.incarnation = 0;
      delete s.error;
      this.restarts[d] = null;
    });
    this.started = false;
    this.statusValue = 'paused';
    this.publish([], 0);
  }

  subscribe(listener: (update: RuntimeUpdate) => void): () => void {
    this.listeners.add(listener);
    this.ingest.collect = true;
    return () => {
      this.listeners.delete(listener);
      this.ingest.collect = this.listeners.size > 0;
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.stopWorkers();
    this.disposed = true;
    this.generation += 1;
    this.cancelTick?.();
    this.cancelTick = null;
    this.listeners.clear();
  }

  // ---- domains ------------------------------------------------------------------------------

  domainState(name: string): DomainState {
    const d = this.domains.indexOf(name);
    const s = this.states[d];
    if (!s) return { status: 'crashed', incarnation: 0, error: `no domain ${name}` };
    const status = s.status ?? domainStatusName(Atomics.load(this.control.words, this.control.domainWord(d, D_STATUS)));
    return { status, incarnation: s.incarnation, ...(s.error === undefined ? {} : { error: s.error }) };
  }

  counters(name: string): Record<Counter, number> {
    return this.control.counters(this.domains.indexOf(name));
  }

  /** What the trace holds and everything it lost, by cause: nothing is lost silently. */
  traceHealth(): TraceHealth {
    const sampledOut = this.domains.reduce((sum, name) => sum + this.counters(name).sampledOut, 0);
    return {
      mode: TRACE_MODES[Atomics.load(this.control.words, G_TRACE_MODE)] ?? 'full',
      kept: this.store.length,
      capacity: this.store.capacity,
      overwritten: this.store.overwritten,
      ringDropped: this.ingest.dropped + this.store.refused,
      neverArrived: this.ingest.gaps,
      late: this.ingest.late,
      sampledOut,
    };
  }

  /** Figures of the i-th endpoint (scenario order) of a domain. */
  endpoint(domain: string, index: number): Record<EndpointField, number> {
    return this.control.endpoint(this.domains.indexOf(domain), index);
  }

  /** Resolves once every worker has built its domain (or failed to). */
  async whenReady(timeoutMs = 10_000): Promise<boolean> {
    return this.waitUntil(() => this.states.every((s) => s.ready || s.status === 'crashed'), timeoutMs);
  }

  /** Polls `predicate` (draining the trace) until it holds or `timeoutMs` passes. */
  async waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<boolean> {
    const deadline = this.clock() + timeoutMs;
    for (;;) {
      this.drain();
      if (predicate()) return true;
      if (this.clock() > deadline) return false;
      await new Promise<void>((resolve) => setTimeout(resolve, this.options.pollMs ?? 10));
    }
  }

  /** Kills a domain's thread wherever it is (as a crash would); the others keep running. */
  kill(name: string): void {
    const d = this.domains.indexOf(name);
    if (this.disposed || !this.threads.live(d)) return;
    this.threads.retire(d, this.control);
    this.markCrashed(d, 'killed by the user');
  }

  /**
   * Starts a domain again over shared memory as it is (a warm reset). A live domain is killed
   * first. Resolves once the new thread is started: only after the old one has exited, so no
   * write of the old thread can land after the new one begins.
   */
  restart(name: string, beforeStart?: () => void): Promise<void> {
    const d = this.domains.indexOf(name);
    if (this.disposed || d < 0) return Promise.resolve();
    const pending = this.restarts[d];
    if (pending) return pending;
    this.threads.retire(d, this.control);
    const generation = this.generation;
    const restarting = this.threads.exited(d).then(() => {
      this.restarts[d] = null;
      const state = this.states[d];
      if (this.generation !== generation || !state) return;
      // Everything the old thread wrote is in its ring now: read it all before the ring is reset.
      this.drainFully();
      state.incarnation += 1;
      state.status = null;
      state.ready = false;
      delete state.error;
      this.control.resetDomain(d);
      // The old thread is gone: nothing of it can write after this (a cold reset clears memory here).
      beforeStart?.();
      this.ingest.attach(d, name, state.incarnation);
      this.ingest.hostEvent(this.now(), {
        kind: 'domain',
        status: 'restarted',
        message: `${name}: warm reset, shared memory kept`,
      });
      this.spawn(d, true);
      this.scheduleDrain();
    });
    this.restarts[d] = restarting;
    return restarting;
  }

  /**
   * Drains the trace now and publishes what it got: within the drain budget, or all of it with
   * `final`. Numbers still missing are given up only once no thread is left to write them.
   */
  drain(final = false): void {
    this.hostFaults.tick(this.now());
    const deadline = this.clock() + (this.options.drainBudgetMs ?? 4);
    const live = (d: number) => this.threads.live(d);
    const over = final && !this.domains.some((_, d) => live(d));
    const budget = final ? () => false : () => this.clock() > deadline;
    const events = this.ingest.drain(this.now(), over, budget, live);
    if (events.length > 0 || final) this.publish(events);
  }

  // ---- internals ----------------------------------------------------------------------------

  private drainFully(): void {
    const events = this.ingest.drain(this.now(), false, undefined, (d) => this.threads.live(d));
    if (events.length > 0) this.publish(events);
  }

  private freshRam(): SharedArrayBuffer {
    const ram = new SharedArrayBuffer(this.scenario.memory.size);
    new Uint8Array(ram).fill(this.scenario.memory.fill);
    const map = createScenarioMemory(this.scenario, ram);
    if (map.ok) clearLibipcArea(this.scenario, map.value);
    return ram;
  }

  private freshControl(domains: readonly string[]): Control {
    const layout = planControl(domains, channelsOf(this.scenario), this.options.ringWords ?? 1 << 18);
    const control = new Control(new SharedArrayBuffer(layout.totalWords * 4), layout);
    control.initialise(
      this.options.trace ?? this.scenario.runtime.tracing,
      this.options.sampleEvery ?? this.scenario.runtime.sampleEvery,
    );
    Atomics.store(control.words, G_RUN_STATE, RunState.pause);
    return control;
  }

  private freshIngest(): TraceIngest {
    const ingest = new TraceIngest(this.controlMemory, this.store);
    // Events are handed out as objects only while someone subscribes; the store keeps them all.
    ingest.collect = this.listeners.size > 0;
    return ingest;
  }

  private clearStepBudgets(): void {
    this.domains.forEach((_, d) => Atomics.store(this.control.words, this.control.domainWord(d, D_STEP_BUDGET), 0));
  }

  private now(): number {
    return Math.round((this.clock() - this.epochMs) * 1e6);
  }

  private spawnAll(): void {
    this.started = true;
    this.epochMs = this.clock();
    this.domains.forEach((_, d) => this.spawn(d, false));
  }

  private spawn(d: number, restart: boolean): void {
    const state = this.states[d];
    if (!state) return;
    this.threads.spawn(d, {
      v: PROTOCOL_VERSION,
      kind: 'start',
      scenario: this.scenario,
      domain: this.domains[d] ?? '?',
      sharedRam: this.ram,
      control: this.control.words.buffer as SharedArrayBuffer,
      layout: this.control.layout,
      epochMs: this.epochMs,
      restart,
      incarnation: state.incarnation,
    } satisfies HostToDomain);
  }

  private markCrashed(d: number, message: string): void {
    const state = this.states[d];
    if (this.disposed || !state || state.status === 'crashed') return;
    state.status = 'crashed';
    state.error = message;
    state.ready = true;
    Atomics.store(this.control.words, this.control.domainWord(d, D_STATUS), DomainStatus.crashed);
    const body: TraceBody = { kind: 'domain', status: 'crashed', message: `${this.domains[d] ?? '?'}: ${message}` };
    this.ingest.hostEvent(this.now(), body);
    this.publish();
  }

  private setRunState(state: keyof typeof RunState): void {
    Atomics.store(this.control.words, G_RUN_STATE, RunState[state]);
    this.wakeAll();
  }

  private wakeAll(): void {
    this.domains.forEach((_, d) => this.control.wake(d));
  }

  private stopWorkers(): void {
    this.setRunState('stop');
    this.domains.forEach((_, d) => this.threads.retire(d, this.control));
    this.drain(true);
  }

  private scheduleDrain(): void {
    if (this.cancelTick || this.disposed) return;
    const ticker = this.options.ticker ?? timeoutTicker;
    const tick = () => {
      this.cancelTick = null;
      if (this.disposed) return;
      this.drain();
      const restarting = this.restarts.some((r) => r !== null);
      if (this.statusValue === 'running' || restarting || this.states.some((s) => s.status !== 'crashed' && !s.ready)) {
        this.cancelTick = ticker(tick);
      }
    };
    this.cancelTick = ticker(tick);
  }

  private publish(events: readonly TraceEvent[] = [], rewoundTo: number | null = null): void {
    const update: RuntimeUpdate = { status: this.statusValue, step: 0, timeNs: this.now(), rewoundTo, events };
    for (const listener of this.listeners) listener(update);
  }
}
