/**
 * One run as the debugger sees it, on either runtime: the trace table every view draws from, the
 * time cursor, the shared memory at the cursor, and the playback commands.
 *
 *   inline:  the table holds the whole recorded tape of this branch, including the future after
 *            the cursor (RaftScope's model: stepping back keeps the future until you change it).
 *            The cursor is the runtime's present: moving it seeks (snapshots + replay), so the
 *            memory, states and figures are those at the cursor.
 *   workers: the table is what the domains traced so far; the cursor follows the end unless the
 *            user puts it on an event. Memory is the live SharedArrayBuffer: the past of a worker
 *            run cannot be replayed, so time travel is refused with the reason.
 */
import {
  type ConfigIssue,
  fail,
  ok,
  type Outcome,
  parseScenario,
  type Scenario,
  type ScenarioInput,
  type TraceEvent,
  type TraceKind,
  type UserAction,
} from '../../core';
import { InlineRuntime, type Ticker } from '../../runtime';
import { WorkerRuntime } from '../../runtime/workers/WorkerRuntime';
import { RunController } from '../run/RunController';
import { ColumnTrace, kindIndex } from '../trace/TraceTable';
import { type RegionInfo, regionsOf } from './regions';

/** What "run until" stops at. */
export type RunUntil =
  { readonly kind: 'message' } | { readonly kind: 'state' } | { readonly kind: 'event'; readonly eventKind: TraceKind };

export interface Choice {
  /** The domain the scheduler would pick. */
  readonly pick: string;
  /** What it would run: `irq:<channel>`, `work:<item>` or `task:<id>`. */
  readonly ran: string;
}

/** Events the debugger keeps of a worker run before it evicts the oldest half (and says so). */
const WORKER_TABLE_CAPACITY = 2_000_000;

const NO_TRAVEL = 'time travel needs the inline runtime: worker threads run in real time and cannot replay the past';

export class DebugSession {
  readonly controller: RunController;
  readonly scenario: Scenario;
  readonly table: ColumnTrace;
  readonly regions: readonly RegionInfo[];
  private cursorIndex = 0;
  /** Workers: the cursor stays at the end as events arrive. */
  private follow = true;
  private readonly unsubscribe: () => void;
  private readonly workerBytes: Uint8Array | null;
  /** Workers: the table's eviction count when the cursor was last placed. */
  private evictedAtCursor = 0;

  private constructor(controller: RunController, scenario: Scenario) {
    this.controller = controller;
    this.scenario = scenario;
    this.regions = regionsOf(scenario);
    const rt = controller.runtime;
    if (rt instanceof InlineRuntime) {
      this.table = new ColumnTrace();
      this.workerBytes = null;
      this.unsubscribe = () => undefined;
    } else {
      // Worker domains stamp their own clocks: allow a little disorder between them.
      this.table = new ColumnTrace({ tSlackNs: 50_000, capacity: WORKER_TABLE_CAPACITY });
      this.workerBytes = new Uint8Array(rt.sharedRam);
      this.unsubscribe = rt.subscribe((update) => {
        if (update.rewoundTo !== null) this.table.clear();
        for (const e of update.events) this.table.append(e);
      });
    }
    this.sync();
  }

  static create(input: ScenarioInput, ticker?: Ticker): Outcome<DebugSession, ConfigIssue[]> {
    const parsed = parseScenario(input);
    if (!parsed.ok) return parsed;
    const created = RunController.create(input, ticker);
    if (!created.ok) return created;
    return ok(new DebugSession(created.value, parsed.value));
  }

  get mode(): 'inline' | 'workers' {
    return this.controller.mode;
  }

  get inline(): InlineRuntime | null {
    return this.controller.runtime instanceof InlineRuntime ? this.controller.runtime : null;
  }

  /** Why time travel is not possible here, or null when it is. */
  get travelRefusal(): string | null {
    return this.inline ? null : NO_TRAVEL;
  }

  /** Events [0, cursor) have happened; the table may hold more (the recorded future). */
  get cursor(): number {
    return this.cursorIndex;
  }

  /** Time at the cursor, ns. */
  get cursorTimeNs(): number {
    const rt = this.inline;
    if (rt) return rt.sim.now;
    const last = this.cursorIndex - 1;
    return last >= 0 ? (this.table.t[last] ?? 0) : 0;
  }

  /** Decisions made up to the cursor (inline), or null. */
  get decisions(): number | null {
    return this.inline?.sim.steps ?? null;
  }

  /** The furthest decision of this branch (inline), or null. */
  get horizon(): number | null {
    return this.inline?.timeline.end ?? null;
  }

  /** The shared memory at the cursor (inline) or now (workers); read it, never write it. */
  memory(): Uint8Array {
    return this.inline?.sim.map.bytes ?? this.workerBytes ?? new Uint8Array(0);
  }

  /**
   * Brings the table (inline) and the cursor up to date. Callers that draw compare the table's
   * revision and the cursor with what they last drew (worker events arrive between syncs).
   */
  sync(): void {
    const rt = this.inline;
    if (rt) {
      const log = rt.sim.trace;
      for (let i = this.table.length; i < log.recorded; i++) {
        const e = log.recordedEvent(i);
        if (e) this.table.append(e);
      }
      this.cursorIndex = log.length;
    } else if (this.follow) {
      this.cursorIndex = this.table.length;
    } else {
      // The cursor names a position: it moves down with the events evicted before it.
      this.cursorIndex = Math.max(
        0,
        Math.min(this.table.length, this.cursorIndex - (this.table.evicted - this.evictedAtCursor)),
      );
    }
    this.evictedAtCursor = this.table.evicted;
  }

  // ---- playback -------------------------------------------------------------------------------

  start(): void {
    this.follow = true;
    this.controller.api.start();
  }

  pause(): void {
    this.controller.api.pause();
  }

  step(): void {
    this.controller.api.step();
  }

  /** Inline: virtual µs per host millisecond, or 'max'. */
  get speed(): number | 'max' {
    return this.inline?.speed ?? 'max';
  }

  set speed(speed: number | 'max') {
    const rt = this.inline;
    if (rt) rt.speed = speed;
  }

  stepBack(n = 1): Outcome<number, string> {
    const rt = this.inline;
    if (!rt) return fail(NO_TRAVEL);
    return rt.stepBack(n);
  }

  /**
   * Goes to decision `step`, running the branch forward to it when it lies beyond what has run
   * (a deep link's cursor); it stops earlier when the run finishes first.
   */
  goToStep(step: number): Outcome<number, string> {
    const rt = this.inline;
    if (!rt) return fail(NO_TRAVEL);
    const moved = rt.seek(Math.max(0, step));
    this.sync();
    return moved;
  }

  /** Goes to decision `step` of this branch. */
  seekStep(step: number): Outcome<number, string> {
    const rt = this.inline;
    if (!rt) return fail(NO_TRAVEL);
    return rt.seek(Math.max(0, Math.min(step, rt.timeline.end)));
  }

  /**
   * Puts the cursor just after the event at table index `index`: inline, seeks to the end of the
   * decision that produced it; workers, moves the cursor there (the memory stays live).
   */
  seekEvent(index: number): Outcome<number, string> {
    const rt = this.inline;
    if (!rt) {
      this.follow = index >= this.table.length - 1;
      this.cursorIndex = Math.max(0, Math.min(this.table.length, index + 1));
      return ok(this.cursorIndex);
    }
    const decision = kindIndex('decision');
    for (let i = Math.min(index, this.table.length - 1); i >= 0; i--) {
      if (this.table.kind[i] === decision) {
        const e = this.table.event(i);
        return this.seekStep(e?.kind === 'decision' ? e.step + 1 : 0);
      }
    }
    return this.seekStep(0);
  }

  /** Workers: the cursor follows the newest events again. */
  followLive(): void {
    this.follow = true;
  }

  /**
   * Runs (in slices, so the page stays responsive and Pause stops it) until the next event that
   * matches `until`, then pauses just after the decision that produced it; `done` hears how it
   * ended: matched, the run went idle first, or the user paused.
   */
  runUntil(until: RunUntil, done: (outcome: 'until' | 'idle' | 'paused') => void): Outcome<null, string> {
    const rt = this.inline;
    if (!rt) return fail('run until needs the inline runtime: worker threads cannot stop at an exact event');
    if (rt.status === 'finished') return fail('the run is finished: nothing more will happen');
    const log = rt.sim.trace;
    let checked = log.length;
    const matches = (e: TraceEvent): boolean => {
      if (until.kind === 'state') return e.kind === 'transition';
      if (until.kind === 'message')
        return e.kind === 'packet-written' || (e.kind === 'packet-read' && e.msgId !== null);
      return e.kind === until.eventKind;
    };
    rt.startUntil((sim) => {
      for (; checked < sim.trace.length; checked++) {
        const e = sim.trace.recordedEvent(checked);
        if (e && matches(e)) return true;
      }
      return false;
    }, done);
    return ok(null);
  }

  /** The user as the scheduler: what could run at the cursor. */
  choices(): Choice[] {
    const rt = this.inline;
    if (!rt || rt.status === 'running') return [];
    return rt.timeline.nextChoices();
  }

  /**
   * Makes the next decision pick `domain`. When the recorded future already picks it there, this
   * is a step along the branch; otherwise it forks a new branch from here.
   */
  pick(domain: string): Outcome<number, string> {
    const rt = this.inline;
    if (!rt) return fail('picking what runs next needs the inline runtime');
    const at = rt.sim.steps;
    const length = rt.sim.trace.length;
    const recorded = this.table.event(this.nextDecisionIndex(length));
    if (recorded?.kind === 'decision' && recorded.step === at && recorded.pick === domain) {
      return this.seekStep(at + 1);
    }
    const forked = rt.fork(at, domain);
    if (forked.ok) this.table.truncate(length);
    this.sync();
    return forked;
  }

  /** The table index of the first decision at or after `from` (the table's length when none). */
  private nextDecisionIndex(from: number): number {
    const decision = kindIndex('decision');
    for (let i = from; i < this.table.length; i++) if (this.table.kind[i] === decision) return i;
    return this.table.length;
  }

  /** A user action (send by hand…) at the cursor; inline, the future after it is a new branch. */
  act(action: UserAction): Outcome<number, string> {
    const rt = this.inline;
    if (rt) {
      const length = rt.sim.trace.length;
      const done = rt.inject(action);
      if (done.ok) this.table.truncate(length);
      this.sync();
      return done;
    }
    const workers = this.controller.runtime;
    if (action.kind === 'fault' && workers instanceof WorkerRuntime) {
      const why = workers.injectFault(action.fault);
      return why === null ? ok(this.cursorIndex) : fail(why);
    }
    if (action.kind === 'fault' || action.kind === 'arm') {
      return fail(
        'on the worker runtime a fault acts at once or at its time: arming and disarming needs the inline runtime',
      );
    }
    return fail('sending by hand needs the inline runtime for now: worker endpoints take no commands yet');
  }

  reset(): void {
    this.controller.api.reset();
    this.table.clear();
    this.follow = true;
    this.cursorIndex = 0;
    this.sync();
  }

  dispose(): void {
    this.unsubscribe();
    this.controller.dispose();
  }
}
