/**
 * Faults the worker runtime's host makes happen, on real time: memory faults written straight into
 * the shared RAM the cores run on, and a core killed, warm-reset (restarted over memory as it is)
 * or cold-reset (its regions cleared, then restarted). The user adds them while it runs; the
 * scenario's faults of those kinds act when their `atUs` comes (checked at each drain of the
 * trace). Doorbell faults act inside the domains (`doorbellFaults.ts`).
 *
 * What needs the whole system in one thread is refused with the reason: stalling a core (a worker
 * runs on its own), exhausting ICBMsg blocks (the bitmap is in the core's private memory),
 * schedules that watch the trace (`afterMessages`, `whenState`, flip-flop), and a doorbell fault
 * added while running (the doorbells ring inside the worker threads).
 */
import {
  applyMemoryFault,
  type Fault,
  isBuildFault,
  isDoorbellFault,
  isPortSendFault,
  Random,
  type RegionLayout,
  regionLayouts,
  type Scenario,
  type TraceBody,
} from '../../core';

const US = 1000;

export interface HostFaultTarget {
  readonly scenario: Scenario;
  readonly ram: () => Uint8Array;
  readonly domains: readonly string[];
  kill(domain: string): void;
  /** Restarts a domain over memory as it is; `beforeStart` runs once its old thread is gone. */
  restart(domain: string, beforeStart?: () => void): Promise<void>;
  /** Traces an event of the host (a fault that acted). */
  trace(body: TraceBody): void;
}

/** Why a fault cannot act on the worker runtime, or null when it can. */
export function workerFaultRefusal(fault: Fault, added: boolean): string | null {
  const sc = fault.schedule;
  if (isBuildFault(fault.kind))
    return added ? 'a misconfiguration takes effect when the cores are built: put it in the scenario' : null;
  if (isDoorbellFault(fault.kind)) {
    if (added)
      return 'doorbells ring inside the worker threads: put a doorbell fault in the scenario, or use the inline runtime';
    return sc.whenState ? 'a doorbell fault waiting for a machine state needs the inline runtime' : null;
  }
  if (fault.kind === 'missing-flush' || fault.kind === 'stale-line')
    return "skipping cache maintenance needs the inline runtime (the cache is inside the core's thread)";
  if (fault.kind === 'stall') return 'stalling one core needs the inline runtime (each worker runs on its own)';
  if (isPortSendFault(fault.kind)) {
    if (added)
      return 'port sends happen inside the worker threads: put a port fault in the scenario, or use the inline runtime';
    return sc.whenState || sc.atStep !== undefined
      ? 'a port fault acts on a send: schedule it by time, messages, flip-flop or count'
      : null;
  }
  if (fault.kind === 'task-fault')
    return 'faulting a channel task needs the inline runtime (its supervisor and kernel run inside the worker thread)';
  if (fault.kind === 'port-corrupt' || fault.kind === 'task-stall' || fault.kind === 'pool-exhaust')
    return 'corrupting a queued message, stalling a task or exhausting the mempool needs the inline runtime (tasks run inside the worker threads)';
  if (fault.kind === 'exhaust-blocks')
    return "exhausting ICBMsg blocks needs the inline runtime (the bitmap is in the core's private memory)";
  if (sc.afterMessages !== undefined || sc.whenState || sc.flipFlop || sc.atStep !== undefined) {
    return 'on the worker runtime a fault of the host acts at a time (atUs), not on the trace';
  }
  return null;
}

export class HostFaults {
  private readonly target: HostFaultTarget;
  private readonly regions: Map<string, RegionLayout>;
  private readonly rng: Random;
  /** The scenario's host faults not yet done: how often each acted, its drawn chance. */
  private pending: { readonly fault: Fault; acted: number; chance: boolean | null; done: boolean }[];

  constructor(target: HostFaultTarget) {
    this.target = target;
    this.regions = new Map(regionLayouts(target.scenario).map((r) => [r.name, r]));
    this.rng = new Random((target.scenario.seed ^ 0x686f7374) >>> 0);
    this.pending = target.scenario.faults
      .filter(
        (f) =>
          f.armed &&
          !isDoorbellFault(f.kind) &&
          !isBuildFault(f.kind) &&
          !isPortSendFault(f.kind) &&
          workerFaultRefusal(f, false) === null,
      )
      .map((fault) => ({ fault, acted: 0, chance: null, done: false }));
  }

  /** The scenario's faults that cannot act on workers, with the reason. */
  static refusals(scenario: Scenario): string[] {
    return scenario.faults.flatMap((f) => {
      const why = f.armed ? workerFaultRefusal(f, false) : null;
      return why === null ? [] : [`fault ${f.id}: ${why}`];
    });
  }

  /**
   * Acts the scenario's faults whose time has come (`now`, ns since the run started): each once
   * (its chance drawn once), or `count` times at successive drains. A memory fault whose field
   * does not exist yet (no unread packet) waits for a later drain, as it does inline.
   */
  tick(now: number): void {
    for (const p of this.pending) {
      if (p.done || now < (p.fault.schedule.atUs ?? 0) * US) continue;
      if (p.chance === null) p.chance = p.fault.probability >= 1 || this.rng.next() < p.fault.probability;
      if (!p.chance) {
        p.done = true;
        continue;
      }
      if (this.act(p.fault)) {
        p.acted += 1;
        p.done = p.acted >= (p.fault.schedule.count ?? 1);
      }
    }
    this.pending = this.pending.filter((p) => !p.done);
  }

  /** A fault the user adds now: null when it acted (or waits for its field), else why it cannot. */
  add(fault: Fault): string | null {
    const why = workerFaultRefusal(fault, true);
    if (why !== null) return why;
    if (!fault.armed) return null;
    const at = (fault.schedule.atUs ?? 0) * US;
    if (at > 0) {
      this.pending.push({ fault, acted: 0, chance: null, done: false });
      return null;
    }
    return this.act(fault) ? null : `fault ${fault.id}: its target does not exist (yet)`;
  }

  private act(fault: Fault): boolean {
    const t = this.target;
    const trace = (target: string, detail: string) =>
      t.trace({ kind: 'fault', fault: fault.id, what: fault.kind, target, detail });
    switch (fault.kind) {
      case 'corrupt-byte':
      case 'flip-bit':
      case 'poke32': {
        const done = applyMemoryFault(fault, this.regions, t.ram(), t.scenario.memory.base, (n) => this.rng.int(n));
        if (!done) return false;
        trace(done.target, done.detail);
        return true;
      }
      case 'kill':
      case 'warm-reset':
      case 'cold-reset': {
        const domain = fault.target.domain;
        if (domain === undefined || !t.domains.includes(domain)) return false;
        if (fault.kind === 'kill') {
          trace(domain, 'the worker is killed: nothing of the core runs again');
          t.kill(domain);
          return true;
        }
        const clear = () => {
          const ram = t.ram();
          for (const r of this.regions.values()) {
            if (r.writer?.domain === domain || r.reader?.domain === domain) {
              ram.fill(t.scenario.memory.fill, r.offset, r.offset + r.size);
            }
          }
        };
        trace(
          domain,
          fault.kind === 'cold-reset'
            ? 'the core restarts; its shared regions are cleared'
            : 'the core restarts; shared memory keeps what it holds',
        );
        void t.restart(domain, fault.kind === 'cold-reset' ? clear : undefined);
        return true;
      }
      case 'stall':
      case 'exhaust-blocks':
      case 'doorbell-drop':
      case 'doorbell-delay':
      case 'doorbell-duplicate':
      case 'mbox-send-fail':
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
}
