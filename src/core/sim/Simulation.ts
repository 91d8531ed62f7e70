/**
 * The deterministic simulation: every domain of a scenario on one thread, on virtual time
 * (nanoseconds), driven by one seeded scheduler.
 *
 *   settle(now): doorbells due by `now` become pending interrupts; expired timers queue their work
 *   candidates: each domain that is free (not busy, not halted) and has something to run offers
 *               its highest-priority item: interrupt > work queue > task
 *   decision:   one candidate is picked (seeded random, or forced when replaying or forking),
 *               recorded, traced, and run; its domain is busy for that item's cost
 *   idle:       with no candidate, time jumps to the next doorbell, timer, task wake-up or the
 *               moment a busy domain becomes free
 *
 * The same scenario, seed and decisions give the same trace, byte for byte. Snapshots hold the
 * memory, the scheduler, the mailbox, every domain and every registered component, so a run can
 * be rewound and replayed from any snapshot, or forked by forcing a different decision.
 *
 * Over 400 lines on purpose: scheduling, doorbell delivery, manual stepping and snapshots all
 * work on the same private state (the forced picks, the domain list, the mailbox), and splitting
 * them would expose it.
 */
import type { Errno, Result } from '../errno';
import type { MemoryMap } from '../shm/MemoryMap';
import { DataCache } from '../shm/DataCache';
import { MemoryView } from '../shm/MemoryView';
import type { TraceBody } from '../trace/events';
import { MessageIds, TraceLog } from '../trace/Tracer';
import { Domain, type DomainSnapshot } from './Domain';
import { createKernel, DomainHalted, type Kernel } from './Kernel';
import {
  type ChannelState,
  DEFAULT_MAILBOX_TIMING,
  Mailbox,
  type MailboxSnapshot,
  type MailboxTiming,
} from './Mailbox';
import { Random, type RandomState } from './Random';

/** Virtual time each kind of work takes on a core, in ns. */
export interface StepCosts {
  readonly irqNs: number;
  readonly workNs: number;
  readonly taskNs: number;
}

export const DEFAULT_STEP_COSTS: StepCosts = { irqNs: 2_000, workNs: 6_000, taskNs: 3_000 };

/**
 * The simulation's clock tick: doorbell delays and costs are whole ticks, so two cores often have
 * something to run at the same instant. Those instants are the scheduler's real decisions (which
 * core touches shared memory first), the ones a user can inspect, replay and fork.
 */
export const DEFAULT_QUANTUM_NS = 1_000;

/** What Zephyr's `__ASSERT` does: nothing (CONFIG_ASSERT=n) or stop the core (CONFIG_ASSERT=y). */
export type AssertMode = 'continue' | 'halt';

export interface SimulationOptions {
  readonly seed: number;
  readonly mailbox?: Partial<MailboxTiming>;
  readonly costs?: Partial<StepCosts>;
  readonly assertMode?: AssertMode;
  readonly quantumNs?: number;
}

export interface Decision {
  readonly step: number;
  readonly t: number;
  /** The domain picked. */
  readonly pick: string;
  readonly candidates: readonly string[];
  /** What the picked domain ran: `irq:<channel>`, `work:<item>` or `task:<id>`. */
  readonly ran: string;
}

export interface Snapshotable {
  snapshot(): unknown;
  restore(state: unknown): void;
}

export interface SimulationSnapshot {
  readonly now: number;
  readonly steps: number;
  readonly rng: RandomState;
  readonly decisions: number;
  readonly traceLength: number;
  readonly memory: Uint8Array;
  readonly mailbox: MailboxSnapshot;
  readonly domains: readonly (readonly [string, DomainSnapshot])[];
  readonly ids: ReturnType<MessageIds['snapshot']>;
  readonly components: readonly (readonly [string, unknown])[];
}

export { DomainHalted, type Kernel } from './Kernel';

/** A doorbell as faults leave it: rung normally, failed, dropped, delayed and/or rung twice. */
export interface DoorbellFate {
  /** `mbox_send` returns this error; nothing is rung. */
  readonly fail?: Errno;
  /** Rung (the sender sees 0) but never arrives. */
  readonly drop?: boolean;
  readonly extraDelayNs?: number;
  /** A second ring this much later. */
  readonly duplicateAfterNs?: number;
}

/** What fault injection plugs into the simulation (DESIGN.md §3.7). */
export interface SimulationHooks {
  /** Before each decision and before time advances: due faults fire. */
  beforeStep(): void;
  /**
   * When the next scheduled fault is due (ns); Infinity when none is. `busy`: whether anything
   * else is due, so periodic schedules alone never keep an idle simulation running.
   */
  nextTime(busy: boolean): number;
  /** A doorbell about to be rung by `from` on `channel`. */
  doorbell(from: string, channel: string): DoorbellFate | null;
}

/** A domain's state and components as they were at boot, for a reset to go back to. */
interface BootImage {
  readonly domains: ReadonlyMap<string, DomainSnapshot>;
  readonly components: ReadonlyMap<string, unknown>;
}

export type StepOutcome = { readonly kind: 'ran'; readonly decision: Decision } | { readonly kind: 'idle' };

export class Simulation {
  readonly map: MemoryMap;
  readonly mailbox: Mailbox;
  readonly rng: Random;
  readonly trace = new TraceLog();
  readonly ids = new MessageIds();
  readonly costs: StepCosts;
  readonly assertMode: AssertMode;
  readonly seed: number;
  readonly quantumNs: number;
  now = 0;
  steps = 0;
  readonly decisions: Decision[] = [];
  private readonly domainList: Domain[] = [];
  private readonly kernels = new Map<string, Kernel>();
  private readonly components = new Map<string, Snapshotable>();
  private forced = new Map<number, string>();
  /** Fault injection, when the scenario or the user adds faults. */
  hooks: SimulationHooks | null = null;
  private bootImage: BootImage | null = null;
  /** Resets domains asked for from their own code, done once the item that asked returns. */
  private resetRequests: { domain: string; reason: string }[] = [];

  constructor(map: MemoryMap, options: SimulationOptions) {
    this.map = map;
    this.seed = options.seed;
    this.rng = new Random(options.seed);
    this.mailbox = new Mailbox({ ...DEFAULT_MAILBOX_TIMING, ...options.mailbox });
    this.quantumNs = Math.max(1, Math.round(options.quantumNs ?? DEFAULT_QUANTUM_NS));
    const costs = { ...DEFAULT_STEP_COSTS, ...options.costs };
    this.costs = { irqNs: this.ticks(costs.irqNs), workNs: this.ticks(costs.workNs), taskNs: this.ticks(costs.taskNs) };
    this.assertMode = options.assertMode ?? 'continue';
  }

  // ---- building -----------------------------------------------------------------------------

  /** Adds a core; with `dcacheLine` it has a write-back data cache of that line size over shared memory. */
  addDomain(name: string, dcacheLine?: number): Domain {
    const existing = this.domain(name);
    if (existing) return existing;
    const emit = (domain: string, body: TraceBody) => this.trace.emit(domain, this.now, body);
    const mem = new MemoryView(this.map, name, {
      outOfBounds: (access, offset, length, inBounds) =>
        emit(name, { kind: 'memory-fault', access, offset, length, inBounds }),
    });
    if (dcacheLine !== undefined) {
      mem.cache = new DataCache(this.map.bytes, dcacheLine);
      this.register(`cache:${name}/`, mem.cache);
    }
    const domain = new Domain(name, mem, { now: () => this.now, emit });
    this.domainList.push(domain);
    this.domainList.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return domain;
  }

  domain(name: string): Domain | undefined {
    return this.domainList.find((d) => d.name === name);
  }

  get domains(): readonly Domain[] {
    return this.domainList;
  }

  /** A doorbell channel from one domain to another. */
  defineChannel(name: string, from: string, to: string): ChannelState {
    return this.mailbox.define(name, from, to);
  }

  /** Registers state that snapshots must carry (a backend instance, a behaviour). */
  register(key: string, component: Snapshotable): void {
    this.components.set(key, component);
  }

  /** The kernel services code on `domainName` uses (created with the domain if needed). */
  kernel(domainName: string): Kernel {
    const cached = this.kernels.get(domainName);
    if (cached) return cached;
    const kernel = createKernel(this, this.addDomain(domainName));
    this.kernels.set(domainName, kernel);
    return kernel;
  }

  /** `ns` rounded up to whole ticks (0 stays 0). */
  private ticks(ns: number): number {
    return Math.ceil(ns / this.quantumNs) * this.quantumNs;
  }

  // ---- doorbells ----------------------------------------------------------------------------

  /** `mbox_send_dt()` from domain `from` on a channel: queues (or loses) a doorbell. */
  ringDoorbell(from: string, channelName: string, options: { readonly bypassFaults?: boolean } = {}): Result {
    const channel = this.mailbox.channel(channelName);
    if (!channel || channel.from !== from) {
      this.trace.emit(from, this.now, { kind: 'doorbell-rung', channel: channelName, to: '?', result: 'EINVAL' });
      return 'EINVAL';
    }
    const fate = options.bypassFaults ? null : (this.hooks?.doorbell(from, channelName) ?? null);
    if (fate?.fail) {
      this.trace.emit(from, this.now, {
        kind: 'doorbell-rung',
        channel: channelName,
        to: channel.to,
        result: fate.fail,
      });
      return fate.fail;
    }
    const timing = this.mailbox.timing;
    const jitterTicks = Math.floor(timing.jitterNs / this.quantumNs);
    const delay = this.ticks(timing.latencyNs) + (jitterTicks > 0 ? this.rng.int(jitterTicks + 1) * this.quantumNs : 0);
    this.trace.emit(from, this.now, { kind: 'doorbell-rung', channel: channelName, to: channel.to, result: 0 });
    if (fate?.drop) {
      this.trace.emit(channel.to, this.now, { kind: 'doorbell-lost', channel: channelName, reason: 'dropped' });
      return 0;
    }
    const outcome = this.mailbox.ring(channel, this.now, delay + this.ticks(fate?.extraDelayNs ?? 0));
    if (outcome === 'lost') {
      this.trace.emit(channel.to, this.now, { kind: 'doorbell-lost', channel: channelName, reason: 'rx-disabled' });
    }
    return 0;
  }

  /** The doorbell due first for `domain` by `now`, if any. */
  private dueIrq(domain: Domain, now: number): ChannelState | undefined {
    let best: ChannelState | undefined;
    for (const c of this.mailbox.all()) {
      if (c.to !== domain.name || c.deliverAt === null || c.deliverAt > now) continue;
      if (!best || c.deliverAt < (best.deliverAt ?? Infinity)) best = c;
    }
    return best;
  }

  /** Runs the handler of one pending doorbell of `channel` (interrupt context). */
  private takeIrq(domain: Domain, channel: ChannelState): void {
    const timing = this.mailbox.timing;
    const handler = this.mailbox.handler(channel.name);
    if (!channel.enabled || !handler) {
      if (this.mailbox.discard(channel)) {
        this.trace.emit(domain.name, this.now, { kind: 'doorbell-lost', channel: channel.name, reason: 'rx-disabled' });
      }
      return;
    }
    const merged = this.mailbox.take(channel, this.now, timing.latencyNs) ?? 0;
    this.trace.emit(domain.name, this.now, { kind: 'doorbell-delivered', channel: channel.name, coalesced: merged });
    handler();
  }

  // ---- scheduling ---------------------------------------------------------------------------

  /** What each free domain would run now, as `domain` names; empty when nothing can run now. */
  candidates(): string[] {
    const out: string[] = [];
    for (const d of this.domainList) {
      d.expireTimers(this.now);
      if (d.halted || d.freeAt > this.now || d.stalledUntil > this.now) continue;
      if (this.dueIrq(d, this.now) || d.hasWork || d.readyTask(this.now) !== undefined) out.push(d.name);
    }
    return out;
  }

  /** When something next becomes runnable; Infinity when the simulation is idle for good. */
  nextEventTime(): number {
    let next = Infinity;
    for (const c of this.mailbox.all())
      if (c.deliverAt !== null && c.deliverAt > this.now) next = Math.min(next, c.deliverAt);
    for (const d of this.domainList) {
      if (d.halted) continue;
      if (d.stalledUntil > this.now) {
        next = Math.min(next, d.stalledUntil);
        continue;
      }
      next = Math.min(next, d.nextTimer(), d.nextTaskWake() > this.now ? d.nextTaskWake() : Infinity);
      const hasPending = d.hasWork || d.readyTask(this.now) !== undefined || this.dueIrq(d, this.now) !== undefined;
      if (d.freeAt > this.now && hasPending) next = Math.min(next, d.freeAt);
    }
    return Math.min(next, this.hooks?.nextTime(next !== Infinity) ?? Infinity);
  }

  /** Forces the pick at decision `step` (replay, or a fork of a past decision). */
  force(step: number, pick: string): void {
    this.forced.set(step, pick);
  }

  /** The pick forced at decision `step`, if any. */
  forcedPick(step: number): string | undefined {
    return this.forced.get(step);
  }

  unforce(step: number): void {
    this.forced.delete(step);
  }

  /** Replays a recorded list of decisions: each step picks what was picked then. */
  forceAll(decisions: readonly Pick<Decision, 'step' | 'pick'>[]): void {
    for (const d of decisions) this.forced.set(d.step, d.pick);
  }

  clearForced(): void {
    this.forced.clear();
  }

  /** Makes one decision and runs it, advancing time first if nothing can run now. */
  step(maxTimeNs = Infinity): StepOutcome {
    for (;;) {
      this.hooks?.beforeStep();
      const candidates = this.candidates();
      if (candidates.length > 0) return { kind: 'ran', decision: this.decide(candidates) };
      const next = this.nextEventTime();
      if (next === Infinity || next > maxTimeNs) return { kind: 'idle' };
      this.now = next;
    }
  }

  private decide(candidates: string[]): Decision {
    // The scheduler draws its pick even when the decision is forced, so forcing the pick it would
    // have made anyway leaves the random stream, and so the rest of the run, unchanged.
    const drawn =
      candidates.length === 1 ? (candidates[0] as string) : (candidates[this.rng.int(candidates.length)] as string);
    const forced = this.forced.get(this.steps);
    const pick = forced !== undefined && candidates.includes(forced) ? forced : drawn;
    const domain = this.domain(pick) as Domain;
    const start = this.now;
    const irq = this.dueIrq(domain, start);
    const task = irq || domain.hasWork ? undefined : domain.readyTask(start);
    const ran = irq ? `irq:${irq.name}` : domain.hasWork ? `work:${domain.queuedWork[0] ?? ''}` : `task:${task ?? ''}`;
    const cost = irq ? this.costs.irqNs : domain.hasWork ? this.costs.workNs : this.costs.taskNs;
    const decision: Decision = { step: this.steps, t: start, pick, candidates, ran };
    this.decisions.push(decision);
    this.steps += 1;
    this.trace.emit(pick, start, { kind: 'decision', step: decision.step, pick, candidates, ran });
    this.guarded(domain, () => {
      if (irq) this.takeIrq(domain, irq);
      else if (task === undefined) domain.runWork();
      else domain.runTask(task);
    });
    domain.freeAt = start + cost;
    this.performResets();
    return decision;
  }

  /** A domain's code asks for its own reset (`Kernel.reset`); done after the current item. */
  requestReset(domain: string, reason: string): void {
    this.resetRequests.push({ domain, reason });
  }

  private performResets(): void {
    if (this.resetRequests.length === 0) return;
    const requests = this.resetRequests;
    this.resetRequests = [];
    for (const r of requests) {
      this.trace.emit(r.domain, this.now, { kind: 'domain', status: 'reset', message: r.reason });
      this.resetDomain(r.domain);
    }
  }

  /** Runs code on a domain; a halting assertion stops it there, any other error is reported. */
  guarded(domain: Domain, body: () => void): void {
    if (domain.halted) return;
    try {
      body();
    } catch (error) {
      if (error instanceof DomainHalted) return;
      domain.halted = true;
      this.trace.emit(domain.name, this.now, {
        kind: 'note',
        text: `internal error, domain halted: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  /** Runs until `until` holds, the simulation goes idle, or a limit is reached. */
  run(
    options: { until?: (sim: Simulation) => boolean; maxSteps?: number; maxTimeNs?: number } = {},
  ): 'until' | 'idle' | 'limit' {
    const maxSteps = options.maxSteps ?? Infinity;
    const maxTime = options.maxTimeNs ?? Infinity;
    let taken = 0;
    for (;;) {
      if (options.until?.(this)) return 'until';
      if (taken >= maxSteps) return 'limit';
      const outcome = this.step(maxTime);
      if (outcome.kind === 'idle') return maxTime !== Infinity && this.nextEventTime() !== Infinity ? 'limit' : 'idle';
      taken += 1;
    }
  }

  // ---- manual stepping (the user, or a conformance script, as the scheduler) -----------------

  /** Pending doorbells addressed to a domain. */
  pendingDoorbells(domainName: string): number {
    let n = 0;
    for (const c of this.mailbox.all()) if (c.to === domainName) n += c.pending;
    return n;
  }

  /**
   * Delivers one pending doorbell to a domain now and runs what it triggers on that domain (its
   * interrupt handler, then its work queue until empty, at most `maxWork` items). Returns false
   * when nothing was pending.
   */
  deliverDoorbell(domainName: string, maxWork = 10_000): boolean {
    const domain = this.domain(domainName);
    if (!domain) return false;
    let channel: ChannelState | undefined;
    for (const c of this.mailbox.all()) if (c.to === domainName && c.pending > 0) channel = channel ?? c;
    if (!channel) return false;
    const target = channel;
    this.guarded(domain, () => this.takeIrq(domain, target));
    this.drainWork(domain, maxWork);
    return true;
  }

  /** Runs a domain's work queue until it is empty (or `maxWork` items ran); returns how many ran. */
  drainWork(domain: Domain, maxWork = 10_000): number {
    let ran = 0;
    while (domain.hasWork && !domain.halted && ran < maxWork) {
      this.guarded(domain, () => domain.runWork());
      ran += 1;
    }
    return ran;
  }

  /** Throws one pending doorbell of a domain away (lost on the way). */
  discardDoorbell(domainName: string): boolean {
    for (const c of this.mailbox.all()) {
      if (c.to === domainName && this.mailbox.discard(c)) {
        this.trace.emit(domainName, this.now, { kind: 'doorbell-lost', channel: c.name, reason: 'discarded' });
        return true;
      }
    }
    return false;
  }

  // ---- resets (faults) ----------------------------------------------------------------------

  /** Keeps every domain's and component's state as built: what a reset goes back to. */
  captureBootImage(): void {
    this.bootImage = {
      domains: new Map(this.domainList.map((d) => [d.name, d.snapshot()])),
      components: new Map([...this.components].map(([key, c]) => [key, c.snapshot()])),
    };
  }

  /**
   * Resets a domain as a warm reset does: its code starts again from boot (tasks, work, its
   * instances' state, its interrupt channels disabled until it enables them again) while shared
   * memory keeps whatever it holds. Components belong to a domain by their key
   * (`<kind>:<domain>/…`).
   */
  resetDomain(name: string): boolean {
    const domain = this.domain(name);
    const boot = this.bootImage?.domains.get(name);
    if (!domain || !boot || !this.bootImage) return false;
    domain.restore(boot);
    domain.shiftTasks(this.now);
    domain.freeAt = this.now;
    for (const [key, state] of this.bootImage.components) {
      if (key.split(':')[1]?.startsWith(`${name}/`)) this.components.get(key)?.restore(state);
    }
    for (const c of this.mailbox.all()) {
      if (c.to !== name) continue;
      while (this.mailbox.discard(c));
      this.mailbox.setEnabled(c.name, false);
    }
    return true;
  }

  // ---- snapshots ----------------------------------------------------------------------------

  snapshot(): SimulationSnapshot {
    return {
      now: this.now,
      steps: this.steps,
      rng: this.rng.state(),
      decisions: this.decisions.length,
      traceLength: this.trace.length,
      memory: this.map.bytes.slice(),
      mailbox: this.mailbox.snapshot(),
      domains: this.domainList.map((d) => [d.name, d.snapshot()] as const),
      ids: this.ids.snapshot(),
      components: [...this.components].map(([key, c]) => [key, c.snapshot()] as const),
    };
  }

  restore(s: SimulationSnapshot): void {
    this.now = s.now;
    this.steps = s.steps;
    this.rng.restore(s.rng);
    this.decisions.length = s.decisions;
    this.trace.rewind(s.traceLength);
    this.map.bytes.set(s.memory);
    this.mailbox.restore(s.mailbox);
    for (const [name, state] of s.domains) this.domain(name)?.restore(state);
    this.ids.restore(s.ids);
    for (const [key, state] of s.components) this.components.get(key)?.restore(state);
  }
}
