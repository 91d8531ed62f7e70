/**
 * The faults on each send to a libipc port (`port-drop`, `port-delay`, `port-duplicate`),
 * decided inside the sending domain as the send happens, so both runtimes apply them the same
 * way. Schedules: `atUs`, `afterMessages` (items sent to the target port by this domain),
 * flip-flop, `count` and `probability` (a stream seeded per domain); `atStep` and `whenState` are
 * refused for them by the scenario checks (a send cannot wait for the scheduler or the trace).
 * One instance serves every domain a thread runs: on the inline runtime all of them, so `count`
 * and `probability` are the fault's over the whole system; on workers each core decides for its
 * own sends (`count` is per sending core there). A fault with `target.domain` acts only on that
 * core's sends. The state is plain data in the simulation's snapshots, under a key no domain
 * reset restores, so a faulty run replays and a reset core does not start its faults over.
 */
import { type Fault, isPortSendFault } from '../faults/schema';
import { Random, type RandomState } from '../sim/Random';

const US = 1000;

export interface SendFate {
  readonly drop: boolean;
  /** The item enters the queue this much later (ns). */
  readonly delayNs: number;
  readonly duplicate: boolean;
  /** One line per fault that acted, for the trace. */
  readonly acted: readonly { readonly fault: Fault; readonly detail: string }[];
}

export interface PortFaultState {
  readonly faults: { readonly fault: Fault; acted: number; since: number }[];
  /** Items sent by this domain, by port. */
  readonly sent: Record<string, number>;
  rng: RandomState;
}

export class PortSendFaults {
  private state: PortFaultState;
  private readonly rng: Random;

  constructor(faults: readonly Fault[], seed: number) {
    this.rng = new Random(seed >>> 0);
    this.state = {
      faults: faults.filter((f) => isPortSendFault(f.kind)).map((fault) => ({ fault, acted: 0, since: -1 })),
      sent: {},
      rng: this.rng.state(),
    };
  }

  /** A fault added while the run goes (replaces one with the same id). */
  add(fault: Fault): void {
    if (!isPortSendFault(fault.kind)) return;
    const entry = { fault, acted: 0, since: -1 };
    const at = this.state.faults.findIndex((f) => f.fault.id === fault.id);
    if (at >= 0) this.state.faults[at] = entry;
    else this.state.faults.push(entry);
  }

  arm(id: string, armed: boolean): void {
    const at = this.state.faults.findIndex((f) => f.fault.id === id);
    const f = this.state.faults[at];
    if (f) this.state.faults[at] = { ...f, fault: { ...f.fault, armed } };
  }

  /** What the faults do to a send by `domain` to `port` at `now` (ns); null when none acts. */
  send(domain: string, port: string, now: number): SendFate | null {
    const s = this.state;
    s.sent[port] = (s.sent[port] ?? 0) + 1;
    if (s.faults.length === 0) return null;
    let drop = false;
    let delayNs = 0;
    let duplicate = false;
    const acted: { fault: Fault; detail: string }[] = [];
    for (const f of s.faults) {
      const { fault } = f;
      if (!fault.armed || (fault.target.port !== undefined && fault.target.port !== port)) continue;
      if (fault.target.domain !== undefined && fault.target.domain !== domain) continue;
      const sc = fault.schedule;
      if (sc.atUs !== undefined && now < sc.atUs * US) continue;
      if (sc.afterMessages !== undefined && (s.sent[port] ?? 0) <= sc.afterMessages) continue;
      if (f.since < 0) f.since = now;
      if (sc.flipFlop) {
        const period = (sc.flipFlop.onUs + sc.flipFlop.offUs) * US;
        if ((now - f.since) % period >= sc.flipFlop.onUs * US) continue;
      }
      if (f.acted >= (sc.count ?? Infinity)) continue;
      if (fault.probability < 1) {
        this.rng.restore(s.rng);
        const hit = this.rng.next() < fault.probability;
        s.rng = this.rng.state();
        if (!hit) continue;
      }
      f.acted += 1;
      if (fault.kind === 'port-drop') {
        drop = true;
        acted.push({ fault, detail: 'the item never enters the queue (the sender sees success)' });
      } else if (fault.kind === 'port-delay') {
        delayNs += Math.max(1, Math.round(fault.delayUs * US));
        acted.push({ fault, detail: `the item enters the queue ${fault.delayUs} µs late` });
      } else {
        duplicate = true;
        acted.push({ fault, detail: 'the item enters the queue twice' });
      }
    }
    return acted.length > 0 ? { drop, delayNs, duplicate, acted } : null;
  }

  snapshot(): PortFaultState {
    return copy(this.state);
  }

  restore(state: unknown): void {
    this.state = copy(state as PortFaultState);
    this.rng.restore(this.state.rng);
  }
}

function copy(s: PortFaultState): PortFaultState {
  return { faults: s.faults.map((f) => ({ ...f })), sent: { ...s.sent }, rng: s.rng };
}
