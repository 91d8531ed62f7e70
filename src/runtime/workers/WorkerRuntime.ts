/**
 * The real-concurrency runtime: every domain in its own thread (a Web Worker, or a Node
 * `worker_threads` worker), all mapping one SharedArrayBuffer as shared RAM, with doorbells, run
 * control and trace in a second, control SharedArrayBuffer (`control.ts`). postMessage is used
 * once per worker, to start it.
 *
 * Run control: pause, resume, step (every domain runs one item) and stop are words the domains
 * check on every loop iteration; a sleeping domain is woken for each change, so all of them obey
 * within one item. A worker that throws, or is killed, is reported as crashed with its error; the
 * others keep running, and a crashed domain can be restarted over the memory as it is (a warm
 * reset).
 */
import {
  channelsOf,
  type ConfigIssue,
  fail,
  ok,
  type Outcome,
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
} from './control';
import type { HostToDomain } from './protocol';
import { TraceIngest } from './TraceIngest';
import type { WorkerFactory, WorkerHandle } from './WorkerHandle';

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

export interface DomainState {
  readonly status: DomainStatusName;
  readonly incarnation: number;
  readonly error?: string;
}

/** The worker trace's bookkeeping, as the UI shows it. */
export interface TraceHealth {
  readonly mode: TraceModeName;
  /** Events in the flight recorder now, and how many it holds. */
  readonly kept: number;
  readonly capacity: number;
  /** Oldest events overwritten because the recorder was full. */
  readonly overwritten: number;
  /** Records a domain could not put in its trace ring because the host had not drained it yet. */
  readonly ringDropped: number;
  /** Records reserved in the global order that never came (a domain died mid-record). */
  readonly neverArrived: number;
  /** Message events left out on purpose by sampled tracing. */
  readonly sampledOut: number;
}

export class WorkerRuntime implements Runtime {
  readonly mode = 'workers';
  readonly scenario: Scenario;
  readonly sharedRam: SharedArrayBuffer;
  readonly control: Control;
  readonly store: TraceStore;
  private readonly ingest: TraceIngest;
  private readonly options: WorkerRuntimeOptions;
  private readonly clock: () => number;
  private readonly workers: (WorkerHandle | null)[];
  private readonly states: { status: DomainStatusName | null; incarnation: number; error?: string; ready: boolean }[];
  private readonly listeners = new Set<(update: RuntimeUpdate) => void>();
  private statusValue: RuntimeStatus = 'paused';
  private epochMs = 0;
  private started = false;
  private cancelTick: (() => void) | null = null;

  private constructor(scenario: Scenario, options: WorkerRuntimeOptions) {
    this.scenario = scenario;
    this.options = options;
    this.clock = options.clock ?? (() => performance.timeOrigin + performance.now());
    const domains = scenario.domains.map((d) => d.name);
    const layout = planControl(domains, channelsOf(scenario), options.ringWords ?? 1 << 18);
    this.sharedRam = new SharedArrayBuffer(scenario.memory.size);
    new Uint8Array(this.sharedRam).fill(scenario.memory.fill);
    this.control = new Control(new SharedArrayBuffer(layout.totalWords * 4), layout);
    this.control.initialise(
      options.trace ?? scenario.runtime.tracing,
      options.sampleEvery ?? scenario.runtime.sampleEvery,
    );
    Atomics.store(this.control.words, G_RUN_STATE, RunState.pause);
    this.store = new TraceStore({ capacity: options.storeCapacity ?? 1_000_000 });
    this.ingest = new TraceIngest(this.control, this.store);
    // Events are handed out as objects only while someone subscribes; the store keeps them all.
    this.ingest.collect = false;
    this.workers = domains.map(() => null);
    this.states = domains.map(() => ({ status: null, incarnation: 0, ready: false }));
  }

  /** Validates the scenario; fails when this host has no SharedArrayBuffer (not isolated). */
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
    return ok(new WorkerRuntime(parsed.value, options));
  }

  get status(): RuntimeStatus {
    return this.statusValue;
  }

  get domains(): readonly string[] {
    return this.control.layout.domains;
  }

  // ---- Runtime ------------------------------------------------------------------------------

  start(): void {
    if (!this.started) this.spawnAll();
    this.setRunState('run');
    this.statusValue = 'running';
    this.scheduleDrain();
  }

  pause(): void {
    this.setRunState('pause');
    if (this.statusValue === 'running') this.statusValue = 'paused';
    this.publish();
  }

  /** Every domain runs one item (a doorbell, a work item or a task step), then waits again. */
  step(): void {
    if (!this.started) this.spawnAll();
    this.setRunState('pause');
    this.statusValue = 'paused';
    this.domains.forEach((_, d) => Atomics.add(this.control.words, this.control.domainWord(d, D_STEP_BUDGET), 1));
    this.wakeAll();
    this.scheduleDrain();
  }

  reset(): void {
    this.stopWorkers();
    new Uint8Array(this.sharedRam).fill(this.scenario.memory.fill);
    this.control.initialise(
      this.options.trace ?? this.scenario.runtime.tracing,
      this.options.sampleEvery ?? this.scenario.runtime.sampleEvery,
    );
    Atomics.store(this.control.words, G_RUN_STATE, RunState.pause);
    this.states.forEach((s, d) => {
      s.status = null;
      s.ready = false;
      s.incarnation += 1;
      delete s.error;
      this.ingest.attach(d, this.domains[d] ?? '?', s.incarnation);
    });
    this.started = false;
    this.statusValue = 'paused';
    this.publish();
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
    this.stopWorkers();
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
      ringDropped: this.ingest.dropped,
      neverArrived: this.ingest.gaps,
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

  /** Kills a domain's thread (as a crash would); the others keep running. */
  kill(name: string): void {
    const d = this.domains.indexOf(name);
    const worker = this.workers[d];
    if (!worker) return;
    worker.terminate();
    this.workers[d] = null;
    this.markCrashed(d, 'killed by the user');
  }

  /** Starts a crashed or killed domain again over shared memory as it is (a warm reset). */
  restart(name: string): void {
    const d = this.domains.indexOf(name);
    const state = this.states[d];
    if (!state) return;
    this.workers[d]?.terminate();
    this.drain();
    state.incarnation += 1;
    state.status = null;
    state.ready = false;
    delete state.error;
    this.control.resetDomain(d);
    this.ingest.attach(d, name, state.incarnation);
    this.ingest.hostEvent(this.now(), {
      kind: 'domain',
      status: 'restarted',
      message: `${name}: warm reset, shared memory kept`,
    });
    this.spawn(d, true);
  }

  /** Drains the trace now (within the drain budget unless `final`) and publishes what it got. */
  drain(final = false): void {
    const deadline = this.clock() + (this.options.drainBudgetMs ?? 4);
    const events = this.ingest.drain(this.now(), final, () => this.clock() > deadline);
    if (events.length > 0 || final) this.publish(events);
  }

  // ---- internals ----------------------------------------------------------------------------

  private now(): number {
    return Math.round((this.clock() - this.epochMs) * 1e6);
  }

  private spawnAll(): void {
    this.started = true;
    this.epochMs = this.clock();
    this.domains.forEach((_, d) => this.spawn(d, false));
  }

  private spawn(d: number, restart: boolean): void {
    const name = this.domains[d] ?? '?';
    const state = this.states[d];
    if (!state) return;
    const worker = this.options.factory(name);
    this.workers[d] = worker;
    const incarnation = state.incarnation;
    worker.onMessage((message) => {
      if (this.states[d]?.incarnation !== incarnation) return;
      if (message.kind === 'ready') state.ready = true;
      else this.markCrashed(d, `failed to start: ${message.message}`);
    });
    worker.onError((message) => {
      if (this.states[d]?.incarnation === incarnation) this.markCrashed(d, message);
    });
    const start: HostToDomain = {
      v: 1,
      kind: 'start',
      scenario: this.scenario,
      domain: name,
      sharedRam: this.sharedRam,
      control: this.control.words.buffer as SharedArrayBuffer,
      layout: this.control.layout,
      epochMs: this.epochMs,
      restart,
      incarnation,
    };
    worker.postMessage(start);
  }

  private markCrashed(d: number, message: string): void {
    const state = this.states[d];
    if (!state || state.status === 'crashed') return;
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
    this.workers.forEach((w, d) => {
      w?.terminate();
      this.workers[d] = null;
    });
    this.drain(true);
  }

  private scheduleDrain(): void {
    if (this.cancelTick) return;
    const ticker = this.options.ticker ?? timeoutTicker;
    const tick = () => {
      this.cancelTick = null;
      this.drain();
      if (this.statusValue === 'running' || this.states.some((s) => s.status !== 'crashed' && !s.ready)) {
        this.cancelTick = ticker(tick);
      }
    };
    this.cancelTick = ticker(tick);
  }

  private publish(events: readonly TraceEvent[] = []): void {
    const update: RuntimeUpdate = { status: this.statusValue, step: 0, timeNs: this.now(), rewoundTo: null, events };
    for (const listener of this.listeners) listener(update);
  }
}
