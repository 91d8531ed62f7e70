/**
 * Fault injection in the inline simulation: the scenario's faults and those the user adds, each
 * acting when its schedule is active (DESIGN.md §3.7). Everything it decides is drawn from its own
 * seeded stream and kept in its snapshot, and faults added by hand are recorded at a decision, so
 * a faulty run replays exactly.
 *
 * It watches the trace it shares with the simulation (packets written, machine states entered) to
 * know when schedules become active, and traces a `fault` event each time a fault acts.
 *
 * Over 400 lines on purpose: the schedules, the doorbell hook and the one-shot faults all share
 * the injector's snapshotted state; the catalogue's parts that stand alone are modules of their
 * own (schema.ts, doorbell.ts, memoryFault.ts).
 */
import type { Icbmsg } from '../backends/icbmsg/Icbmsg';
import type { Errno } from '../errno';
import { regionLayouts, type RegionLayout } from '../scenario/regionLayout';
import { doorbellEffect } from './doorbell';
import { applyMemoryFault } from './memoryFault';
import type { Scenario } from '../scenario/schema';
import { Random, type RandomState } from '../sim/Random';
import type { DoorbellFate, Simulation, SimulationHooks } from '../sim/Simulation';
import { type Fault, isBuildFault, isDoorbellFault, isPortSendFault } from './schema';
import type { LibIpc } from '../ports/LibIpc';
import type { ChannelKernel } from '../channels/ChannelKernel';
import type { PortSendFaults } from '../ports/portFaults';
import { corruptPortItem, exhaustPool, stallTask } from '../ports/portFaultActions';

const US = 1000;

interface FaultState {
  readonly fault: Fault;
  /** How many times it acted. */
  acted: number;
  /** Whether its schedule was active at the last look (one-shot faults fire on the edge). */
  wasActive: boolean;
  /** When the rest of its schedule first held (its flip-flop's phase 0), ns; -1 not yet. */
  since: number;
  /** Its `whenState` was seen. */
  stateSeen: boolean;
  /**
   * This activation drew "act" and waits for its target (a field with no unread packet yet):
   * the draw is made once per activation, not once per step while it waits.
   */
  pending: boolean;
}

/** Blocks an exhaust-blocks fault took, given back at `at` (ns). */
interface HeldBlocks {
  readonly at: number;
  readonly instance: string;
  readonly firsts: readonly number[];
}

interface InjectorState {
  rng: RandomState;
  faults: FaultState[];
  /** Trace events already read. */
  seen: number;
  /** Packets written, in all and by region. */
  written: number;
  writtenIn: Record<string, number>;
  held: HeldBlocks[];
  /** The second ring of a duplicated doorbell, due at `at` (ns). */
  echoes: { readonly at: number; readonly from: string; readonly channel: string }[];
  /** Mempool entries a pool-exhaust fault took, given back at `at` (ns) on `domain`. */
  heldPool: { readonly at: number; readonly domain: string; readonly addresses: readonly number[] }[];
}

export interface FaultWorld {
  readonly scenario: Scenario;
  readonly sim: Simulation;
  /** ICBMsg instances by `domain/node` (exhaust-blocks). */
  readonly icbmsg: (key: string) => Icbmsg | null;
  /** libipc on each domain with tasks (port faults). */
  readonly libipc: () => ReadonlyMap<string, LibIpc>;
  /** The synchronous-channel kernel of each domain with channel tasks (task-fault). */
  readonly channels: () => ReadonlyMap<string, ChannelKernel>;
}

export class FaultInjector implements SimulationHooks {
  private readonly world: FaultWorld;
  private readonly regions: Map<string, RegionLayout>;
  private readonly rng: Random;
  private state: InjectorState;

  constructor(world: FaultWorld, faults: readonly Fault[]) {
    this.world = world;
    this.regions = new Map(regionLayouts(world.scenario).map((r) => [r.name, r]));
    this.rng = new Random((world.scenario.seed ^ 0x6661756c) >>> 0);
    this.state = {
      rng: this.rng.state(),
      faults: faults.map(fresh),
      seen: 0,
      written: 0,
      writtenIn: {},
      held: [],
      echoes: [],
      heldPool: [],
    };
  }

  /** The faults and how often each acted. */
  get faults(): readonly { readonly fault: Fault; readonly acted: number }[] {
    return this.state.faults;
  }

  /**
   * Adds a fault now (from the user: recorded as an action at this decision). One whose schedule
   * already holds acts at once, so a byte corrupted by hand is corrupted before anything runs.
   */
  add(fault: Fault): void {
    const f = fresh(fault);
    // Faults on sends act inside the sending domain's libipc.
    if (isPortSendFault(fault.kind)) this.sendFaults()?.add(fault);
    const at = this.state.faults.findIndex((x) => x.fault.id === fault.id);
    if (at >= 0) this.state.faults[at] = f;
    else this.state.faults.push(f);
    this.observe();
    // A machine already in the state it waits for counts as having entered it.
    const when = fault.schedule.whenState;
    if (when) f.stateSeen = this.stateNow(when.machine) === when.state;
    this.consider(f);
  }

  /** Arms or disarms a fault by id; false when there is none. */
  arm(id: string, armed: boolean): boolean {
    const f = this.state.faults.find((x) => x.fault.id === id);
    if (!f) return false;
    if (isPortSendFault(f.fault.kind)) this.sendFaults()?.arm(id, armed);
    if (f.fault.armed !== armed) this.replace(f, { ...f.fault, armed });
    return true;
  }

  /**
   * A reset image that is the only one using libipc clears its area (its BSS): mempool entries a
   * fault held are free again and may be a new life's buffers, so they are not given back.
   */
  private forgetHeldPool(domain: string): void {
    const libs = this.world.libipc();
    if (libs.size !== 1 || !libs.has(domain)) return;
    this.state.heldPool = this.state.heldPool.filter((h) => h.domain !== domain);
  }

  /** The libipc send faults (one set for every domain of the inline world). */
  private sendFaults(): PortSendFaults | undefined {
    return [...this.world.libipc().values()][0]?.sendFaults;
  }

  private replace(f: FaultState, fault: Fault): void {
    const i = this.state.faults.indexOf(f);
    if (i >= 0) this.state.faults[i] = { ...f, fault, wasActive: false, pending: false };
  }

  // ---- hooks ----------------------------------------------------------------------------------

  beforeStep(): void {
    if (this.state.faults.length === 0 && this.state.held.length === 0 && this.state.heldPool.length === 0) return;
    this.observe();
    const now = this.world.sim.now;
    const s = this.state;
    for (let i = s.echoes.length - 1; i >= 0; i--) {
      const echo = s.echoes[i];
      if (echo && echo.at <= now) {
        s.echoes.splice(i, 1);
        this.world.sim.ringDoorbell(echo.from, echo.channel, { bypassFaults: true });
      }
    }
    for (let i = s.held.length - 1; i >= 0; i--) {
      const h = s.held[i];
      if (h && h.at <= now) {
        s.held.splice(i, 1);
        this.giveBack(h);
      }
    }
    for (let i = s.heldPool.length - 1; i >= 0; i--) {
      const h = s.heldPool[i];
      if (h && h.at <= now) {
        s.heldPool.splice(i, 1);
        const lib = this.world.libipc().get(h.domain);
        // Entries a reset freed in the meantime are not freed twice.
        for (const address of h.addresses) if (lib?.isAllocated(address)) lib.free(`fault`, address);
      }
    }
    for (const f of s.faults) this.consider(f);
  }

  /**
   * A one-shot fault fires on the edge of its schedule becoming active, up to `count` times. Its
   * chance is drawn once per activation; a target that does not exist yet (no unread packet)
   * keeps that activation waiting until it does or the schedule ends.
   */
  private consider(f: FaultState): void {
    if (isDoorbellFault(f.fault.kind) || isBuildFault(f.fault.kind) || isPortSendFault(f.fault.kind)) return;
    const active = this.active(f);
    if (!active) {
      f.wasActive = false;
      f.pending = false;
      return;
    }
    if (!f.wasActive) {
      f.wasActive = true;
      f.pending = f.acted < (f.fault.schedule.count ?? 1) && this.chance(f.fault);
    }
    if (f.pending && this.fire(f.fault)) {
      f.acted += 1;
      f.pending = false;
    }
  }

  /**
   * When something of the injector is next due. Held blocks, duplicated doorbells and a fault's
   * start time always count; flip-flop edges only while the rest of the system has something to
   * do (`busy`), so a fault that can never act cannot keep an idle run alive.
   */
  nextTime(busy: boolean): number {
    const now = this.world.sim.now;
    let next = Infinity;
    for (const h of this.state.held) if (h.at > now) next = Math.min(next, h.at);
    for (const e of this.state.echoes) if (e.at > now) next = Math.min(next, e.at);
    for (const h of this.state.heldPool) if (h.at > now) next = Math.min(next, h.at);
    for (const f of this.state.faults) {
      const k = f.fault.kind;
      if (!f.fault.armed || isDoorbellFault(k) || isBuildFault(k) || isPortSendFault(k)) continue;
      if (f.acted >= (f.fault.schedule.count ?? 1)) continue;
      const at = (f.fault.schedule.atUs ?? 0) * US;
      if (at > now) next = Math.min(next, at);
      const ff = f.fault.schedule.flipFlop;
      if (busy && ff && f.since >= 0) {
        const period = (ff.onUs + ff.offUs) * US;
        const phase = (now - f.since) % period;
        next = Math.min(next, now + (phase < ff.onUs * US ? ff.onUs * US - phase : period - phase));
      }
    }
    return next;
  }

  doorbell(from: string, channel: string): DoorbellFate | null {
    if (this.state.faults.length === 0) return null;
    this.observe();
    let fate: { fail?: Errno; drop?: boolean; extraDelayNs?: number } | null = null;
    for (const f of this.state.faults) {
      const fault = f.fault;
      if (!isDoorbellFault(fault.kind) || (fault.target.channel !== undefined && fault.target.channel !== channel)) {
        continue;
      }
      if (!this.active(f) || f.acted >= (fault.schedule.count ?? Infinity) || !this.chance(fault)) continue;
      f.acted += 1;
      fate ??= {};
      const detail = (text: string) => this.trace(from, fault, channel, text);
      const hit = doorbellEffect(fault);
      if (!hit) continue;
      detail(hit.detail);
      const effect = hit.effect;
      if (effect.kind === 'drop') fate.drop = true;
      else if (effect.kind === 'delay') fate.extraDelayNs = (fate.extraDelayNs ?? 0) + effect.ns;
      else if (effect.kind === 'fail') fate.fail = effect.error;
      // The copy rings later, as a ring of its own (a second interrupt once the first is taken).
      else this.state.echoes.push({ at: this.world.sim.now + effect.ns, from, channel });
      if (fate.fail) break;
    }
    return fate;
  }

  // ---- schedules ------------------------------------------------------------------------------

  /** Reads the trace events emitted since the last look: packets written, states entered. */
  private observe(): void {
    const trace = this.world.sim.trace;
    const s = this.state;
    for (; s.seen < trace.length; s.seen++) {
      const e = trace.recordedEvent(s.seen);
      if (!e) continue;
      if (e.kind === 'domain' && (e.status === 'reset' || e.status === 'restarted')) {
        this.forgetHeldPool(e.domain);
      } else if (e.kind === 'fault') {
        // Faults on port sends act in libipc: count them from what they traced.
        const f = s.faults.find((x) => x.fault.id === e.fault && isPortSendFault(x.fault.kind));
        if (f) f.acted += 1;
      } else if (e.kind === 'packet-written') {
        s.written += 1;
        s.writtenIn[e.region] = (s.writtenIn[e.region] ?? 0) + 1;
      } else if (e.kind === 'transition') {
        for (const f of s.faults) {
          const when = f.fault.schedule.whenState;
          if (when && !f.stateSeen && when.machine === `${e.domain}/${e.instance}` && when.state === e.to) {
            f.stateSeen = true;
          }
        }
      }
    }
  }

  /** The state a machine (`domain/instance`) is in now, by its last transition in the trace. */
  private stateNow(machine: string): string | null {
    const trace = this.world.sim.trace;
    for (let i = trace.length - 1; i >= 0; i--) {
      const e = trace.recordedEvent(i);
      if (e?.kind === 'transition' && `${e.domain}/${e.instance}` === machine) return e.to;
    }
    return null;
  }

  private active(f: FaultState): boolean {
    const { fault } = f;
    const sc = fault.schedule;
    const sim = this.world.sim;
    if (!fault.armed) return false;
    if (sc.atUs !== undefined && sim.now < sc.atUs * US) return false;
    if (sc.atStep !== undefined && sim.steps < sc.atStep) return false;
    if (sc.afterMessages !== undefined) {
      const region = fault.target.region;
      const n = region === undefined ? this.state.written : (this.state.writtenIn[region] ?? 0);
      if (n < sc.afterMessages) return false;
    }
    if (sc.whenState && !f.stateSeen) return false;
    if (f.since < 0) f.since = sim.now;
    if (sc.flipFlop) {
      const period = (sc.flipFlop.onUs + sc.flipFlop.offUs) * US;
      return (sim.now - f.since) % period < sc.flipFlop.onUs * US;
    }
    return true;
  }

  private chance(fault: Fault): boolean {
    if (fault.probability >= 1) return true;
    this.rng.restore(this.state.rng);
    const hit = this.rng.next() < fault.probability;
    this.state.rng = this.rng.state();
    return hit;
  }

  private trace(domain: string, fault: Fault, target: string, detail: string): void {
    const sim = this.world.sim;
    sim.trace.emit(domain, sim.now, { kind: 'fault', fault: fault.id, what: fault.kind, target, detail });
  }

  // ---- one-shot faults ------------------------------------------------------------------------

  /** Makes a one-shot fault happen; false when its target does not exist (yet). */
  private fire(fault: Fault): boolean {
    switch (fault.kind) {
      case 'corrupt-byte':
      case 'flip-bit':
      case 'poke32':
        return this.corrupt(fault);
      case 'stall':
      case 'warm-reset':
      case 'cold-reset':
      case 'kill':
        return this.hitDomain(fault);
      case 'exhaust-blocks':
        return this.exhaust(fault);
      case 'missing-flush':
      case 'stale-line':
        return this.skipCacheOps(fault);
      case 'port-corrupt':
      case 'task-stall':
      case 'pool-exhaust':
        return this.hitPorts(fault);
      case 'task-fault':
        return this.faultTask(fault);
      case 'misconfigure':
      case 'doorbell-drop':
      case 'doorbell-delay':
      case 'doorbell-duplicate':
      case 'mbox-send-fail':
      case 'port-drop':
      case 'port-delay':
      case 'port-duplicate':
        return false;
    }
  }

  private hitPorts(fault: Fault): boolean {
    const libs = this.world.libipc();
    const sim = this.world.sim;
    const named = (t: { readonly name: string }) => t.name === fault.target.task;
    const taskDomain =
      this.world.scenario.libipc?.tasks.find(named)?.domain ?? this.world.scenario.channels?.tasks.find(named)?.domain;
    if (fault.kind === 'task-stall') {
      const domain = taskDomain === undefined ? undefined : sim.domain(taskDomain);
      const detail = domain ? stallTask(domain, fault, sim.now) : null;
      if (!detail || taskDomain === undefined) return false;
      this.trace(taskDomain, fault, fault.target.task ?? '?', detail);
      return true;
    }
    const name = fault.target.domain ?? taskDomain ?? [...libs.keys()][0];
    const lib = name === undefined ? undefined : libs.get(name);
    if (!lib || name === undefined) return false;
    if (fault.kind === 'port-corrupt') {
      const done = corruptPortItem(lib, fault, sim.map.bytes, (n) => this.draw(n));
      if (!done) return false;
      this.trace(name, fault, done.target, done.detail);
      return true;
    }
    const { addresses, detail } = exhaustPool(lib, fault);
    this.trace(name, fault, 'mempool', detail);
    if (fault.durationUs !== undefined && addresses.length > 0)
      this.state.heldPool.push({ at: sim.now + fault.durationUs * US, domain: name, addresses });
    return true;
  }

  /** Faults a channel task; its supervisor restarts it `durationUs` later (never without one). */
  private faultTask(fault: Fault): boolean {
    const name = fault.target.task;
    const domain = this.world.scenario.channels?.tasks.find((t) => t.name === name)?.domain;
    const k = domain === undefined ? undefined : this.world.channels().get(domain);
    if (!k || name === undefined || domain === undefined) return false;
    const restartAfter = fault.durationUs === undefined ? null : Math.round(fault.durationUs * US);
    const detail = k.inject(name, `fault ${fault.id}`, restartAfter);
    if (detail === null) return false;
    this.trace(domain, fault, name, detail);
    return true;
  }

  private corrupt(fault: Fault): boolean {
    const done = applyMemoryFault(fault, this.regions, this.world.sim.map.bytes, this.world.scenario.memory.base, (n) =>
      this.draw(n),
    );
    if (!done) return false;
    const domain = done.region.writer?.domain ?? this.world.scenario.domains[0]?.name ?? '?';
    this.trace(domain, fault, done.target, done.detail);
    return true;
  }

  private draw(n: number): number {
    this.rng.restore(this.state.rng);
    const v = this.rng.int(n);
    this.state.rng = this.rng.state();
    return v;
  }

  private hitDomain(fault: Fault): boolean {
    const name = fault.target.domain;
    const sim = this.world.sim;
    const domain = name === undefined ? undefined : sim.domain(name);
    if (!domain || name === undefined) return false;
    switch (fault.kind) {
      case 'stall': {
        const until = fault.durationUs === undefined ? Infinity : sim.now + fault.durationUs * US;
        domain.stalledUntil = Math.max(domain.stalledUntil, until);
        this.trace(
          name,
          fault,
          name,
          fault.durationUs === undefined
            ? 'the core stops running'
            : `the core runs nothing for ${fault.durationUs} µs`,
        );
        return true;
      }
      case 'kill':
        domain.halted = true;
        this.trace(name, fault, name, 'the core dies: nothing of it runs again');
        sim.trace.emit(name, sim.now, { kind: 'domain', status: 'crashed', message: 'killed by a fault' });
        return true;
      case 'warm-reset':
      case 'cold-reset': {
        if (!sim.resetDomain(name)) return false;
        // Blocks an exhaust fault took from this core are its old life's: they are not given back.
        this.state.held = this.state.held.filter((h) => !h.instance.startsWith(`${name}/`));
        this.forgetHeldPool(name);
        this.state.echoes = this.state.echoes.filter((e) => e.from !== name);
        const cold = fault.kind === 'cold-reset';
        if (cold) this.clearRegionsOf(name);
        this.trace(
          name,
          fault,
          name,
          cold
            ? 'the core restarts; its shared regions are cleared'
            : 'the core restarts; shared memory keeps what it holds',
        );
        sim.trace.emit(name, sim.now, {
          kind: 'domain',
          status: 'restarted',
          message: cold ? `${name}: cold reset, its regions cleared` : `${name}: warm reset, shared memory kept`,
        });
        return true;
      }
      case 'doorbell-drop':
      case 'doorbell-delay':
      case 'doorbell-duplicate':
      case 'mbox-send-fail':
      case 'corrupt-byte':
      case 'flip-bit':
      case 'poke32':
      case 'exhaust-blocks':
      case 'misconfigure':
      case 'missing-flush':
      case 'stale-line':
      case 'port-drop':
      case 'port-delay':
      case 'port-duplicate':
      case 'port-corrupt':
      case 'task-stall':
      case 'pool-exhaust':
      case 'task-fault':
        return false;
    }
  }

  /** The core skips its next flushes or invalidates; false when it has no data cache. */
  private skipCacheOps(fault: Fault): boolean {
    const name = fault.target.domain;
    const cache = name === undefined ? null : this.world.sim.domain(name)?.mem.cache;
    if (!cache || name === undefined) return false;
    const n = Math.max(1, fault.value ?? 1);
    if (fault.kind === 'missing-flush') cache.skipFlushes += n;
    else cache.skipInvalidates += n;
    const ops = fault.kind === 'missing-flush' ? 'flush' : 'invalidate';
    this.trace(
      name,
      fault,
      name,
      `the core skips its next ${n === 1 ? ops : `${n} ${ops}s`}: ${fault.kind === 'missing-flush' ? 'its writes stay in its cache' : 'it reads its stale cached line'}`,
    );
    return true;
  }

  /** A cold reset: the regions of the domain's instances go back to the scenario's fill byte. */
  private clearRegionsOf(domain: string): void {
    const bytes = this.world.sim.map.bytes;
    for (const r of this.regions.values()) {
      if (r.writer?.domain === domain || r.reader?.domain === domain) {
        bytes.fill(this.world.scenario.memory.fill, r.offset, r.offset + r.size);
      }
    }
  }

  private exhaust(fault: Fault): boolean {
    const { domain, instance } = fault.target;
    if (domain === undefined || instance === undefined) return false;
    const key = `${domain}/${instance}`;
    const icbmsg = this.world.icbmsg(key);
    if (!icbmsg) return false;
    const firsts = icbmsg.takeAllFreeBlocks(`fault ${fault.id}`);
    const n = firsts.length;
    this.trace(
      domain,
      fault,
      key,
      `${n} free run(s) of TX blocks taken${fault.durationUs === undefined ? ' for good' : ` for ${fault.durationUs} µs`}`,
    );
    if (fault.durationUs !== undefined && n > 0) {
      this.state.held.push({ at: this.world.sim.now + fault.durationUs * US, instance: key, firsts });
    }
    return true;
  }

  private giveBack(h: HeldBlocks): void {
    const icbmsg = this.world.icbmsg(h.instance);
    if (!icbmsg) return;
    for (const first of h.firsts) icbmsg.giveBackBlocks(first);
  }

  // ---- snapshots ------------------------------------------------------------------------------

  snapshot(): unknown {
    return copy(this.state);
  }

  restore(saved: unknown): void {
    this.state = copy(saved as InjectorState);
    this.rng.restore(this.state.rng);
  }
}

function fresh(fault: Fault): FaultState {
  return { fault, acted: 0, wasActive: false, since: -1, stateSeen: false, pending: false };
}

function copy(s: InjectorState): InjectorState {
  return {
    ...s,
    faults: s.faults.map((f) => ({ ...f })),
    writtenIn: { ...s.writtenIn },
    held: [...s.held],
    echoes: [...s.echoes],
    heldPool: [...s.heldPool],
  };
}
