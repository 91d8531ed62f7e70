/**
 * The scenario's doorbell faults inside a worker domain: each ring this domain makes is checked
 * against them, as the inline fault injector does, on the worker's own clock. Schedules by time,
 * by packets written (`afterMessages`: into the target region, or by this domain — inline counts
 * every core's packets when no region is named), flip-flop, count and
 * probability (drawn from a stream seeded per domain) apply; `whenState` needs the whole trace
 * and is refused on workers before they start (`workerFaultIssues`).
 */
import { doorbellEffect, type Errno, type Fault, isDoorbellFault, Random, type Scenario } from '../../core';

const US = 1000;

export interface WorkerDoorbellFate {
  readonly fail?: Errno;
  readonly drop?: boolean;
  readonly delayNs?: number;
  /** The doorbell rings now and again this much later. */
  readonly duplicateAfterNs?: number;
  /** What the fault did, for the trace (one `fault` event per fault that acted). */
  readonly acted: readonly { readonly fault: Fault; readonly detail: string }[];
}

export class WorkerDoorbellFaults {
  private readonly faults: { readonly fault: Fault; acted: number; since: number }[];
  private readonly rng: Random;

  constructor(scenario: Scenario, domainIndex: number, channelsFrom: ReadonlySet<string>) {
    this.faults = scenario.faults
      .filter((f) => isDoorbellFault(f.kind) && f.armed)
      .filter((f) => f.target.channel === undefined || channelsFrom.has(f.target.channel))
      .map((fault) => ({ fault, acted: 0, since: -1 }));
    this.rng = new Random((scenario.seed ^ 0x6462656c ^ (domainIndex * 0x9e3779b9)) >>> 0);
  }

  get empty(): boolean {
    return this.faults.length === 0;
  }

  /**
   * What the faults do to a ring of `channel` at `now` (ns since the run started); `written`
   * tells how many packets this domain wrote (into `region`, or in all).
   */
  ring(channel: string, now: number, written: (region?: string) => number): WorkerDoorbellFate | null {
    let fate: { fail?: Errno; drop?: boolean; delayNs?: number; duplicateAfterNs?: number } | null = null;
    const acted: { fault: Fault; detail: string }[] = [];
    for (const f of this.faults) {
      const { fault } = f;
      if (fault.target.channel !== undefined && fault.target.channel !== channel) continue;
      const sc = fault.schedule;
      if (sc.atUs !== undefined && now < sc.atUs * US) continue;
      if (sc.afterMessages !== undefined && written(fault.target.region) < sc.afterMessages) continue;
      if (f.since < 0) f.since = now;
      if (sc.flipFlop) {
        const period = (sc.flipFlop.onUs + sc.flipFlop.offUs) * US;
        if ((now - f.since) % period >= sc.flipFlop.onUs * US) continue;
      }
      if (f.acted >= (sc.count ?? Infinity)) continue;
      if (fault.probability < 1 && this.rng.next() >= fault.probability) continue;
      f.acted += 1;
      fate ??= {};
      const hit = doorbellEffect(fault);
      if (!hit) continue;
      acted.push({ fault, detail: hit.detail });
      const effect = hit.effect;
      if (effect.kind === 'drop') fate.drop = true;
      else if (effect.kind === 'delay') fate.delayNs = (fate.delayNs ?? 0) + effect.ns;
      else if (effect.kind === 'fail') fate.fail = effect.error;
      else fate.duplicateAfterNs = effect.ns;
      if (fate.fail) break;
    }
    return fate ? { ...fate, acted } : null;
  }
}
