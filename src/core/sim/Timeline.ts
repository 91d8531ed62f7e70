/**
 * Time travel over a deterministic simulation (RaftScope's checkpoint + fork model, made exact):
 *
 *   step 0 ──●────────●────────●──────── step N      ● snapshot every `snapshotEvery` decisions
 *            seek(k): restore the last ● at or before k, then re-run up to k
 *   fork(k, pick): go to k, make decision k pick another domain, forget the old future
 *
 * Re-running from a snapshot reproduces the same decisions because the scheduler's random state
 * is part of the snapshot; forks are kept as forced decisions, so any later seek into the new
 * branch replays the branch, not the old future.
 *
 * A user action (a message sent by hand…) is a fork too: `inject(action)` applies it at the
 * current decision, forgets the old future and records it, and every replay through that decision
 * applies it again at the same point. The state "at decision k" is the state after decision k-1
 * ran and after the actions recorded at k.
 */
import { fail, ok, type Outcome } from '../outcome';
import type { Simulation, SimulationSnapshot, StepOutcome } from './Simulation';

export interface TimelineOptions<A> {
  /** Decisions between two snapshots (memory, domains, backends…). */
  readonly snapshotEvery?: number;
  /** Applies a recorded user action to the simulation (no action can be injected without it). */
  readonly apply?: (action: A) => void;
  /** Actions already recorded (a scenario's): each is applied when the run reaches its decision. */
  readonly actions?: readonly RecordedAction<A>[];
  /**
   * Decisions already forced (a scenario's): part of this branch like the user's forks, so a fork
   * or an action later keeps those before it.
   */
  readonly decisions?: readonly ForcedDecision[];
}

/** A user action recorded at decision `step`. */
export interface RecordedAction<A> {
  readonly step: number;
  readonly action: A;
}

/** A forced decision: at decision `step`, the scheduler picks domain `pick`. */
export interface ForcedDecision {
  readonly step: number;
  readonly pick: string;
}

export class Timeline<A = never> {
  readonly sim: Simulation;
  readonly snapshotEvery: number;
  private readonly apply: ((action: A) => void) | null;
  private readonly actions: RecordedAction<A>[] = [];
  /** Snapshots by decision index, for the current branch only. */
  private readonly snapshots = new Map<number, SimulationSnapshot>();
  /** The furthest decision reached on this branch (seeking back does not forget the future). */
  private horizon = 0;
  private readonly forks: ForcedDecision[] = [];

  constructor(sim: Simulation, options: TimelineOptions<A> = {}) {
    this.sim = sim;
    this.snapshotEvery = Math.max(1, options.snapshotEvery ?? 1000);
    this.apply = options.apply ?? null;
    this.forks.push(...(options.decisions ?? []));
    if (this.apply) {
      for (const a of options.actions ?? []) {
        this.actions.push(a);
        if (a.step === sim.steps) this.apply(a.action);
      }
    }
    this.snapshots.set(sim.steps, sim.snapshot());
    this.horizon = sim.steps;
  }

  /** The current decision index. */
  get step(): number {
    return this.sim.steps;
  }

  /** The furthest decision this branch has reached. */
  get end(): number {
    return this.horizon;
  }

  /** The decisions forced by forks, in order: what a scenario records to replay this branch. */
  get forced(): readonly ForcedDecision[] {
    return this.forks;
  }

  /** The user actions of this branch, in order: what a scenario records to replay them. */
  get recordedActions(): readonly RecordedAction<A>[] {
    return this.actions;
  }

  /**
   * Applies `action` now, at the current decision, and records it there; the old future (its
   * snapshots, trace, forks and later actions) is forgotten, as a fork forgets it.
   */
  inject(action: A): Outcome<number, string> {
    if (!this.apply) return fail('this timeline takes no user actions');
    const step = this.sim.steps;
    this.forgetFuture(step);
    for (let i = this.forks.length - 1; i >= 0; i--) if ((this.forks[i]?.step ?? 0) >= step) this.forks.splice(i, 1);
    this.sim.clearForced();
    this.sim.forceAll(this.forks);
    this.actions.push({ step, action });
    this.apply(action);
    // The snapshot at this decision must hold the action's effect, or a seek here would lose it.
    this.snapshots.set(step, this.sim.snapshot());
    this.horizon = step;
    return ok(step);
  }

  /** Forgets what lies after decision `step` on this branch: snapshots, trace, later actions. */
  private forgetFuture(step: number): void {
    for (const s of [...this.snapshots.keys()]) if (s > step) this.snapshots.delete(s);
    this.sim.trace.discardFuture();
    for (let i = this.actions.length - 1; i >= 0; i--)
      if ((this.actions[i]?.step ?? 0) > step) this.actions.splice(i, 1);
  }

  /** Makes one decision (after moving time forward if needed); snapshots on schedule. */
  stepForward(maxTimeNs = Infinity): StepOutcome {
    const outcome = this.sim.step(maxTimeNs);
    if (outcome.kind === 'ran') {
      if (this.apply) for (const a of this.actions) if (a.step === this.sim.steps) this.apply(a.action);
      if (this.sim.steps % this.snapshotEvery === 0 && !this.snapshots.has(this.sim.steps)) {
        this.snapshots.set(this.sim.steps, this.sim.snapshot());
      }
      this.horizon = Math.max(this.horizon, this.sim.steps);
    }
    return outcome;
  }

  /** Runs until `until` holds, the simulation goes idle, or a limit is reached. */
  run(
    options: { until?: (sim: Simulation) => boolean; maxSteps?: number; maxTimeNs?: number } = {},
  ): 'until' | 'idle' | 'limit' {
    const maxSteps = options.maxSteps ?? Infinity;
    const maxTime = options.maxTimeNs ?? Infinity;
    for (let taken = 0; ; taken++) {
      if (options.until?.(this.sim)) return 'until';
      if (taken >= maxSteps) return 'limit';
      if (this.stepForward(maxTime).kind === 'idle') {
        // Stopped by the time limit with more to come is a limit, as Simulation.run says it.
        return maxTime !== Infinity && this.sim.nextEventTime() !== Infinity ? 'limit' : 'idle';
      }
    }
  }

  /**
   * Goes to decision `target` (0 … end, or further by running forward): restores the last
   * snapshot at or before it, unless running on from where the run stands is shorter, and replays
   * the rest.
   */
  seek(target: number): Outcome<number, string> {
    if (!Number.isInteger(target) || target < 0) return fail(`cannot seek to decision ${target}`);
    const now = this.sim.steps;
    let base: SimulationSnapshot | undefined;
    for (const [step, snapshot] of this.snapshots) if (step <= target && (!base || step > base.steps)) base = snapshot;
    if (now > target || (base && base.steps > now)) {
      if (!base) return fail('no snapshot to start from');
      this.sim.restore(base);
    }
    while (this.sim.steps < target) {
      if (this.stepForward().kind === 'idle')
        return fail(`the run goes idle at decision ${this.sim.steps}, before ${target}`);
    }
    return ok(this.sim.steps);
  }

  /** Goes back `n` decisions (snapshots + replay). */
  stepBack(n = 1): Outcome<number, string> {
    return this.seek(Math.max(0, this.sim.steps - n));
  }

  /** Domains that could run at decision `step` (after moving time to it). */
  choicesAt(step: number): Outcome<string[], string> {
    const at = this.seek(step);
    if (!at.ok) return at;
    const candidates = this.sim.candidates();
    if (candidates.length > 0) return ok(candidates);
    // Nothing runs right now: the scheduler would first move time forward.
    const probe = this.sim.snapshot();
    const outcome = this.sim.step();
    const choices = outcome.kind === 'ran' ? [...outcome.decision.candidates] : [];
    this.sim.restore(probe);
    return ok(choices);
  }

  /**
   * What the scheduler could do at the current decision: each domain it may pick and what that
   * domain would run (`irq:<channel>`, `work:<item>`, `task:<id>`), found by trying each pick on
   * a snapshot. Empty when the run is idle for good.
   */
  nextChoices(): { readonly pick: string; readonly ran: string }[] {
    const probe = this.sim.snapshot();
    // The trial runs write over the recorded future of the trace: it is put back afterwards.
    this.sim.trace.beginTrial();
    const out: { pick: string; ran: string }[] = [];
    const first = this.sim.step();
    this.sim.restore(probe);
    if (first.kind === 'idle') {
      this.sim.trace.endTrial();
      return out;
    }
    const step = this.sim.steps;
    const recorded = this.sim.forcedPick(step);
    for (const pick of first.decision.candidates) {
      this.sim.force(step, pick);
      const tried = this.sim.step();
      if (tried.kind === 'ran') out.push({ pick, ran: tried.decision.ran });
      this.sim.restore(probe);
    }
    this.sim.unforce(step);
    if (recorded !== undefined) this.sim.force(step, recorded);
    this.sim.trace.endTrial();
    return out;
  }

  /**
   * Changes decision `step` to `pick` and continues from there: the old future is forgotten
   * (its snapshots too), and the new branch is what later seeks replay.
   */
  fork(step: number, pick: string): Outcome<number, string> {
    const choices = this.choicesAt(step);
    if (!choices.ok) return choices;
    if (!choices.value.includes(pick)) {
      return fail(`at decision ${step} only ${choices.value.join(', ') || 'nothing'} can run, not ${pick}`);
    }
    this.forgetFuture(step);
    const kept = this.forks.filter((f) => f.step < step);
    this.forks.length = 0;
    this.forks.push(...kept, { step, pick });
    this.sim.clearForced();
    this.sim.forceAll(this.forks);
    this.horizon = step;
    this.stepForward();
    return ok(this.sim.steps);
  }
}
