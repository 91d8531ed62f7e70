/**
 * One scenario run, on either runtime, seen the same way by the UI: status, each domain's state
 * and each endpoint's figures. The inline runtime is read from its endpoint applications
 * directly; the worker runtime from the figures its domains publish in control memory.
 */
import {
  type ConfigIssue,
  type EndpointPhase,
  fail,
  ok,
  type Outcome,
  rttPercentileNs,
  type ScenarioInput,
} from '../../core';
import { InlineRuntime, type Runtime, type RuntimeStatus, type Ticker } from '../../runtime';
import { browserWorkerFactory } from '../../runtime/workers/browserWorkers';
import { ENDPOINT_PHASES } from '../../runtime/workers/control';
import { WorkerRuntime } from '../../runtime/workers/WorkerRuntime';

export type RuntimeMode = 'inline' | 'workers';

export interface EndpointView {
  readonly domain: string;
  readonly instance: string;
  readonly name: string;
  readonly behaviour: string;
  readonly phase: EndpointPhase;
  readonly sent: number;
  readonly received: number;
  readonly inOrder: number;
  readonly gaps: number;
  readonly corrupted: number;
  readonly bound: number;
  readonly roundTrips: number;
  readonly rttMeanUs: number | null;
  /** Median and 99th percentile of the recent round trips (a mean hides a bimodal spread). */
  readonly rttP50Us: number | null;
  readonly rttP99Us: number | null;
}

export interface DomainView {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
}

/** What the run's trace holds and what it lost (the inline runtime loses nothing). */
export interface TraceView {
  readonly mode: 'full' | 'sampled' | 'counters';
  readonly kept: number;
  readonly capacity: number | null;
  readonly overwritten: number;
  readonly ringDropped: number;
  readonly neverArrived: number;
  readonly late: number;
  readonly sampledOut: number;
}

export interface RunView {
  readonly mode: RuntimeMode;
  readonly status: RuntimeStatus;
  readonly timeUs: number;
  readonly domains: readonly DomainView[];
  readonly endpoints: readonly EndpointView[];
  readonly trace: TraceView;
}

export class RunController {
  readonly mode: RuntimeMode;
  readonly runtime: InlineRuntime | WorkerRuntime;
  private readonly input: ScenarioInput;

  private constructor(mode: RuntimeMode, runtime: InlineRuntime | WorkerRuntime, input: ScenarioInput) {
    this.mode = mode;
    this.runtime = runtime;
    this.input = input;
  }

  /** `ticker`: what runs the runtime's slices (the animation frame; tests drive it by hand). */
  static create(input: ScenarioInput, ticker: Ticker = frameTicker): Outcome<RunController, ConfigIssue[]> {
    const mode: RuntimeMode = input.runtime?.mode === 'workers' ? 'workers' : 'inline';
    if (mode === 'workers') {
      const created = WorkerRuntime.create(input, { factory: browserWorkerFactory, ticker });
      return created.ok ? ok(new RunController(mode, created.value, input)) : fail(created.error);
    }
    const created = InlineRuntime.create(input, { ticker, speed: 'max' });
    return created.ok ? ok(new RunController(mode, created.value, input)) : fail(created.error);
  }

  get api(): Runtime {
    return this.runtime;
  }

  view(): RunView {
    const rt = this.runtime;
    if (rt instanceof InlineRuntime) {
      const endpoints = [...rt.world.endpoints.values()].map((e): EndpointView => {
        const s = e.stats;
        return {
          domain: e.spec.domain,
          instance: e.spec.instance,
          name: e.spec.name,
          behaviour: e.spec.behaviour.kind,
          phase: e.phase,
          sent: s.sent,
          received: s.received,
          inOrder: s.inOrder,
          gaps: s.gaps,
          corrupted: s.corrupted,
          bound: s.bound,
          roundTrips: s.roundTrips,
          rttMeanUs: s.roundTrips > 0 ? s.rttSumNs / s.roundTrips / 1000 : null,
          rttP50Us: us(rttPercentileNs(s, 0.5)),
          rttP99Us: us(rttPercentileNs(s, 0.99)),
        };
      });
      const domains = rt.world.scenario.domains.map((d) => ({
        name: d.name,
        status: rt.sim.domain(d.name)?.halted ? 'halted' : rt.status === 'running' ? 'running' : rt.status,
      }));
      const trace: TraceView = {
        mode: 'full',
        kept: rt.sim.trace.recorded,
        capacity: null,
        overwritten: 0,
        ringDropped: 0,
        neverArrived: 0,
        late: 0,
        sampledOut: 0,
      };
      return { mode: 'inline', status: rt.status, timeUs: rt.sim.now / 1000, domains, endpoints, trace };
    }
    const byDomain = new Map<string, number>();
    const endpoints = (this.input.endpoints ?? []).map((spec): EndpointView => {
      const index = byDomain.get(spec.domain) ?? 0;
      byDomain.set(spec.domain, index + 1);
      const f = rt.endpoint(spec.domain, index);
      return {
        domain: spec.domain,
        instance: spec.instance,
        name: spec.name,
        behaviour: spec.behaviour.kind,
        phase: ENDPOINT_PHASES[f.phase] ?? 'boot',
        sent: f.sent,
        received: f.received,
        inOrder: f.inOrder,
        gaps: f.gaps,
        corrupted: f.corrupted,
        bound: f.bound,
        roundTrips: f.roundTrips,
        rttMeanUs: f.roundTrips > 0 ? f.rttMeanNs / 1000 : null,
        rttP50Us: f.roundTrips > 0 ? f.rttP50Ns / 1000 : null,
        rttP99Us: f.roundTrips > 0 ? f.rttP99Ns / 1000 : null,
      };
    });
    const domains = rt.domains.map((name) => {
      const state = rt.domainState(name);
      return { name, status: state.status, ...(state.error === undefined ? {} : { error: state.error }) };
    });
    return { mode: 'workers', status: rt.status, timeUs: 0, domains, endpoints, trace: rt.traceHealth() };
  }

  dispose(): void {
    this.runtime.dispose();
  }
}

const us = (ns: number | null): number | null => (ns === null ? null : ns / 1000);

/** Runs work once per animation frame (the UI's rhythm), or soon when the page is hidden. */
const frameTicker = (callback: () => void): (() => void) => {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
    const id = requestAnimationFrame(() => callback());
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
};
