/**
 * The deterministic runtime: every domain of a scenario on this thread, scheduled by the
 * simulation's seeded scheduler on virtual time, with time travel (snapshots + replay) and forks.
 * It is the debugger's default mode: the same scenario, seed and forced decisions always give the
 * same trace.
 *
 * Running continuously, it works in slices of at most `sliceMs` of host time, then yields (to the
 * UI) through the ticker; `speed` limits how fast virtual time may pass, or lets it run flat out.
 */
import {
  buildWorld,
  type ConfigIssue,
  fail,
  ok,
  type Outcome,
  parseScenario,
  type Scenario,
  type Simulation,
  Timeline,
  applyUserAction,
  type UserAction,
  type World,
} from '../../core';
import { type Runtime, type RuntimeStatus, type RuntimeUpdate, type Ticker, timeoutTicker } from '../Runtime';

export interface InlineRuntimeOptions {
  readonly ticker?: Ticker;
  /** Host time per slice while running, ms. */
  readonly sliceMs?: number;
  /** Virtual µs per host millisecond (1 = a thousand times slower than real time), or 'max'. */
  readonly speed?: number | 'max';
  readonly snapshotEvery?: number;
  /** The host clock, ms (performance.now in a browser). */
  readonly hostNow?: () => number;
}

export class InlineRuntime implements Runtime {
  readonly mode = 'inline';
  readonly scenario: Scenario;
  private worldValue: World;
  private timelineValue: Timeline<UserAction>;
  private statusValue: RuntimeStatus = 'paused';
  private readonly listeners = new Set<(update: RuntimeUpdate) => void>();
  private readonly ticker: Ticker;
  private readonly sliceMs: number;
  private readonly hostNow: () => number;
  private readonly snapshotEvery: number;
  speed: number | 'max';
  private cancelTick: (() => void) | null = null;
  /** A run started by `startUntil`, while it runs. */
  private untilRun: {
    readonly until: (sim: Simulation) => boolean;
    readonly done: (outcome: 'until' | 'idle' | 'paused') => void;
  } | null = null;
  /** Trace events already handed to listeners. */
  private delivered = 0;
  private rewoundTo: number | null = null;

  private constructor(scenario: Scenario, world: World, options: InlineRuntimeOptions) {
    this.scenario = scenario;
    this.worldValue = world;
    this.snapshotEvery = options.snapshotEvery ?? 1000;
    this.timelineValue = this.newTimeline(world);
    this.ticker = options.ticker ?? timeoutTicker;
    this.sliceMs = options.sliceMs ?? 12;
    this.speed = options.speed ?? 'max';
    this.hostNow = options.hostNow ?? (() => performance.now());
  }

  /** Validates the scenario and builds its world; every problem is reported, none thrown. */
  static create(input: unknown, options: InlineRuntimeOptions = {}): Outcome<InlineRuntime, ConfigIssue[]> {
    const parsed = parseScenario(input);
    if (!parsed.ok) return parsed;
    const built = buildWorld(parsed.value);
    if (!built.ok) return built;
    return ok(new InlineRuntime(parsed.value, built.value, options));
  }

  get status(): RuntimeStatus {
    return this.statusValue;
  }

  get world(): World {
    return this.worldValue;
  }

  get sim(): Simulation {
    return this.worldValue.sim;
  }

  get timeline(): Timeline<UserAction> {
    return this.timelineValue;
  }

  private newTimeline(world: World): Timeline<UserAction> {
    return new Timeline<UserAction>(world.sim, {
      snapshotEvery: this.snapshotEvery,
      apply: (action) => applyUserAction(world, action),
      // The scenario's actions taken by hand and forced decisions (a share link's), part of the branch.
      actions: world.scenario.actions.map((a) => ({ step: a.step, action: a.action })),
      decisions: world.scenario.decisions,
    });
  }

  // ---- Runtime ------------------------------------------------------------------------------

  start(): void {
    if (this.statusValue === 'running' || this.statusValue === 'finished') return;
    this.statusValue = 'running';
    this.schedule();
  }

  pause(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    if (this.statusValue === 'running') this.statusValue = 'paused';
    this.endUntil('paused');
    this.publish();
  }

  private endUntil(outcome: 'until' | 'idle' | 'paused'): void {
    const run = this.untilRun;
    this.untilRun = null;
    run?.done(outcome);
  }

  step(): void {
    if (this.statusValue === 'running') this.pause();
    if (this.timelineValue.stepForward().kind === 'idle') this.statusValue = 'finished';
    this.publish();
  }

  reset(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    this.endUntil('paused');
    const built = buildWorld(this.scenario);
    if (!built.ok) return; // the scenario built once already: it cannot fail now
    this.worldValue = built.value;
    this.timelineValue = this.newTimeline(built.value);
    this.statusValue = 'paused';
    this.markRewound();
    this.publish();
  }

  subscribe(listener: (update: RuntimeUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    this.listeners.clear();
  }

  // ---- time travel --------------------------------------------------------------------------

  stepBack(n = 1): Outcome<number, string> {
    return this.travel(() => this.timelineValue.stepBack(n));
  }

  seek(step: number): Outcome<number, string> {
    return this.travel(() => this.timelineValue.seek(step));
  }

  fork(step: number, pick: string): Outcome<number, string> {
    return this.travel(() => this.timelineValue.fork(step, pick));
  }

  /** Takes a user action now (the old future is forgotten); replays take it at the same point. */
  inject(action: UserAction): Outcome<number, string> {
    return this.travel(() => this.timelineValue.inject(action));
  }

  /**
   * Runs, in slices like `start`, until `until` holds after a decision (then pauses), the run
   * finishes, or the user pauses; `done` hears which ('paused' when the user paused first).
   */
  startUntil(until: (sim: Simulation) => boolean, done: (outcome: 'until' | 'idle' | 'paused') => void): void {
    if (this.statusValue === 'running' || this.statusValue === 'finished') return;
    this.untilRun = { until, done };
    this.start();
  }

  /** Runs until `until` holds (checked between decisions), idle, or a limit. */
  runUntil(
    until: (sim: Simulation) => boolean,
    limits: { maxSteps?: number; maxTimeNs?: number } = {},
  ): 'until' | 'idle' | 'limit' {
    if (this.statusValue === 'running') this.pause();
    const outcome = this.timelineValue.run({ until, ...limits });
    if (outcome === 'idle') this.statusValue = 'finished';
    this.publish();
    return outcome;
  }

  private travel(move: () => Outcome<number, string>): Outcome<number, string> {
    if (this.statusValue === 'running') this.pause();
    const before = this.sim.trace.length;
    const moved = move();
    if (!moved.ok) return fail(moved.error);
    if (this.sim.trace.length < before || this.sim.trace.length < this.delivered) this.markRewound();
    if (this.statusValue === 'finished') this.statusValue = 'paused';
    this.publish();
    return moved;
  }

  private markRewound(): void {
    const to = Math.min(this.delivered, this.sim.trace.length);
    this.rewoundTo = this.rewoundTo === null ? to : Math.min(this.rewoundTo, to);
    this.delivered = to;
  }

  // ---- running ------------------------------------------------------------------------------

  private schedule(): void {
    this.cancelTick = this.ticker(() => this.slice());
  }

  private slice(): void {
    this.cancelTick = null;
    if (this.statusValue !== 'running') return;
    const start = this.hostNow();
    const startTime = this.sim.now;
    const speed = this.speed;
    // At a limited speed, a slice may advance virtual time by what the slice's host time allows.
    const maxTimeNs = speed === 'max' ? Infinity : startTime + Math.max(1, speed * 1000 * this.sliceMs);
    for (;;) {
      const outcome = this.timelineValue.stepForward(maxTimeNs);
      if (outcome.kind === 'idle') {
        // Nothing will ever run again: finished, whatever the speed.
        if (maxTimeNs === Infinity || this.sim.nextEventTime() === Infinity) {
          this.statusValue = 'finished';
          this.endUntil('idle');
          this.publish();
          return;
        }
        this.sim.now = Math.max(this.sim.now, maxTimeNs);
        break;
      }
      if (this.untilRun?.until(this.sim)) {
        this.statusValue = 'paused';
        this.endUntil('until');
        this.publish();
        return;
      }
      if (this.hostNow() - start >= this.sliceMs) break;
    }
    this.publish();
    this.schedule();
  }

  private publish(): void {
    const trace = this.sim.trace;
    const events = trace.slice(this.delivered);
    this.delivered = trace.length;
    const update: RuntimeUpdate = {
      status: this.statusValue,
      step: this.sim.steps,
      timeNs: this.sim.now,
      rewoundTo: this.rewoundTo,
      events,
    };
    this.rewoundTo = null;
    for (const listener of this.listeners) listener(update);
  }
}
