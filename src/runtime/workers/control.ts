/**
 * The control SharedArrayBuffer: everything host and domain workers say to each other after
 * start-up (DESIGN.md §3.5: commands and trace travel here, not through postMessage). Words are
 * Int32, accessed with Atomics; counters and endpoint figures are 64-bit (BigInt64, Atomics too),
 * so byte counts never wrap.
 *
 *   global header (16 words)
 *     0 VERSION    1 RUN_STATE (0 run, 1 pause, 2 stop)    2 SEQ (global trace sequence, mod 2^32)
 *     3 TRACE_MODE (0 full, 1 sampled, 2 counters)        4 SAMPLE_EVERY
 *   channels (4 words each): 0 RINGS (doorbells rung, a counter)   1 FROM   2 TO (domain indices)
 *   domains (DOMAIN_WORDS each, at an even word, then that domain's trace ring):
 *     0 STATUS   1 WAKE (counter a sleeping domain waits on)   2 SLEEPING (1 while it may wait)
 *     3 STEP_BUDGET (items to run while paused)   4 HEARTBEAT (loop iterations)   5 HALTED
 *     6 FENCE (host: stop before the next item, for good)   7 PARKED (domain: stopped at the fence)
 *     8 WRITING (1 from taking a sequence number until its record is in the ring)
 *     10… COUNTERS (2 words each, see `Counter`)
 *     40… ENDPOINTS (MAX_ENDPOINTS_PER_DOMAIN × ENDPOINT_FIELDS, 2 words each)
 */
import { type ConfigIssue, initRing, ringCapacityFor, ringWords, type Scenario } from '../../core';

export const CONTROL_VERSION = 1;

export const G_VERSION = 0;
export const G_RUN_STATE = 1;
export const G_SEQ = 2;
export const G_TRACE_MODE = 3;
export const G_SAMPLE_EVERY = 4;
const GLOBAL_WORDS = 16;

export const RunState = { run: 0, pause: 1, stop: 2 } as const;
export type RunStateName = keyof typeof RunState;

export const TraceMode = { full: 0, sampled: 1, counters: 2 } as const;
export type TraceModeName = keyof typeof TraceMode;
/** Trace mode names by their code in `G_TRACE_MODE`. */
export const TRACE_MODES: readonly TraceModeName[] = ['full', 'sampled', 'counters'];

export const C_RINGS = 0;
export const C_FROM = 1;
export const C_TO = 2;
const CHANNEL_WORDS = 4;

export const D_STATUS = 0;
export const D_WAKE = 1;
export const D_SLEEPING = 2;
export const D_STEP_BUDGET = 3;
export const D_HEARTBEAT = 4;
export const D_HALTED = 5;
export const D_FENCE = 6;
export const D_PARKED = 7;
export const D_WRITING = 8;
const D_COUNTERS = 10;

/** Per-domain counters, kept in every tracing mode. */
export const COUNTERS = [
  'packetsWritten',
  'bytesWritten',
  'packetsRead',
  'bytesRead',
  'doorbellsRung',
  'doorbellsTaken',
  'workItems',
  'taskSteps',
  'callbacks',
  'asserts',
  'anomalies',
  'traceRecords',
  'traceDropped',
  'sampledOut',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** Per-endpoint figures each domain publishes for its endpoint applications. */
export const ENDPOINT_FIELDS = [
  'phase',
  'sent',
  'sentBytes',
  'sendErrors',
  'received',
  'receivedBytes',
  'inOrder',
  'gaps',
  'repeats',
  'corrupted',
  'bound',
  'unbound',
  'roundTrips',
  'rttMinNs',
  'rttMaxNs',
  'rttMeanNs',
  /** Percentiles of the most recent round trips (up to 1024). */
  'rttP50Ns',
  'rttP99Ns',
  /** µs since the run started, or -1. */
  'firstSentUs',
  'lastReceivedUs',
] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];
export const MAX_ENDPOINTS_PER_DOMAIN = 8;
/** `phase` values, as an EndpointRunner reports them. */
export const ENDPOINT_PHASES = ['boot', 'waiting', 'bound', 'deregistered', 'done', 'failed'] as const;
const D_ENDPOINTS = 40; // after D_COUNTERS + 2 × COUNTERS.length
const DOMAIN_WORDS = D_ENDPOINTS + 2 * MAX_ENDPOINTS_PER_DOMAIN * ENDPOINT_FIELDS.length;
/** Trace ring data words at least (a ring must hold many records). */
export const MIN_RING_WORDS = 1024;

export const DomainStatus = { booting: 0, running: 1, paused: 2, crashed: 3, stopped: 4, idle: 5, halted: 6 } as const;
export type DomainStatusName = keyof typeof DomainStatus;
export const domainStatusName = (code: number): DomainStatusName =>
  (Object.entries(DomainStatus).find(([, v]) => v === code)?.[0] as DomainStatusName | undefined) ?? 'crashed';

/** What a scenario asks that the control memory cannot describe. */
export function workerLimitIssues(scenario: Scenario): ConfigIssue[] {
  return scenario.domains.flatMap((d) => {
    const count = scenario.endpoints.filter((e) => e.domain === d.name).length;
    if (count <= MAX_ENDPOINTS_PER_DOMAIN) return [];
    const message = `${d.name} has ${count} endpoints; the worker runtime runs at most ${MAX_ENDPOINTS_PER_DOMAIN} per domain (the inline runtime has no such limit)`;
    return [{ path: 'endpoints', message }];
  });
}

export interface ControlLayout {
  readonly domains: readonly string[];
  readonly channels: readonly { readonly name: string; readonly from: number; readonly to: number }[];
  /** Data words of each domain's trace ring. */
  readonly ringCapacity: number;
  /** Word offsets. */
  readonly channelBase: number;
  readonly domainBase: readonly number[];
  readonly ringBase: readonly number[];
  readonly totalWords: number;
}

export function planControl(
  domains: readonly string[],
  channels: readonly { name: string; from: string; to: string }[],
  ringWordsWanted: number,
): ControlLayout {
  // A power of two (the ring masks indices), at least MIN_RING_WORDS.
  const ringCapacity = ringCapacityFor(Math.max(MIN_RING_WORDS, ringWordsWanted));
  const channelBase = GLOBAL_WORDS;
  let at = channelBase + channels.length * CHANNEL_WORDS;
  const domainBase: number[] = [];
  const ringBase: number[] = [];
  for (let i = 0; i < domains.length; i++) {
    domainBase.push(at);
    at += DOMAIN_WORDS;
    ringBase.push(at);
    at += ringWords(ringCapacity);
  }
  return {
    domains: [...domains],
    channels: channels.map((c) => ({ name: c.name, from: domains.indexOf(c.from), to: domains.indexOf(c.to) })),
    ringCapacity,
    channelBase,
    domainBase,
    ringBase,
    totalWords: at,
  };
}

/** A typed view of the control memory. Host and domains build one each over the same buffer. */
export class Control {
  readonly words: Int32Array;
  /** The same memory as 64-bit words (counters and endpoint figures). */
  readonly wide: BigInt64Array;
  readonly layout: ControlLayout;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer, layout: ControlLayout) {
    this.words = new Int32Array(buffer, 0, layout.totalWords);
    this.wide = new BigInt64Array(buffer, 0, Math.floor(layout.totalWords / 2));
    this.layout = layout;
  }

  /** Fresh control memory: header, channels, every domain booting with an empty ring. */
  initialise(trace: TraceModeName, sampleEvery: number): void {
    const w = this.words;
    w.fill(0);
    Atomics.store(w, G_VERSION, CONTROL_VERSION);
    Atomics.store(w, G_TRACE_MODE, TraceMode[trace]);
    Atomics.store(w, G_SAMPLE_EVERY, Math.max(1, sampleEvery | 0));
    this.layout.channels.forEach((c, i) => {
      Atomics.store(w, this.layout.channelBase + i * CHANNEL_WORDS + C_FROM, c.from);
      Atomics.store(w, this.layout.channelBase + i * CHANNEL_WORDS + C_TO, c.to);
    });
    for (let d = 0; d < this.layout.domains.length; d++) this.resetDomain(d);
  }

  /** A domain about to (re)start: booting, nothing pending, an empty trace ring. */
  resetDomain(d: number): void {
    const base = this.layout.domainBase[d] ?? 0;
    this.words.fill(0, base, base + DOMAIN_WORDS);
    for (let e = 0; e < MAX_ENDPOINTS_PER_DOMAIN; e++) {
      this.putEndpoint(d, e, 'firstSentUs', -1);
      this.putEndpoint(d, e, 'lastReceivedUs', -1);
    }
    initRing(this.ring(d));
  }

  channelWord(channel: number, field: number): number {
    return this.layout.channelBase + channel * CHANNEL_WORDS + field;
  }

  domainWord(d: number, field: number): number {
    return (this.layout.domainBase[d] ?? 0) + field;
  }

  /** Index in `wide` of a domain's counter. */
  private counterIndex(d: number, counter: Counter): number {
    return this.domainWord(d, D_COUNTERS + 2 * COUNTERS.indexOf(counter)) / 2;
  }

  /** Index in `wide` of an endpoint's figure. */
  private endpointIndex(d: number, endpoint: number, field: EndpointField): number {
    const slot = endpoint * ENDPOINT_FIELDS.length + ENDPOINT_FIELDS.indexOf(field);
    return this.domainWord(d, D_ENDPOINTS + 2 * slot) / 2;
  }

  putCounter(d: number, counter: Counter, value: number): void {
    Atomics.store(this.wide, this.counterIndex(d, counter), BigInt(Math.round(value)));
  }

  /** Publishes an endpoint figure (whole numbers; `endpoint` below MAX_ENDPOINTS_PER_DOMAIN). */
  putEndpoint(d: number, endpoint: number, field: EndpointField, value: number): void {
    if (endpoint < 0 || endpoint >= MAX_ENDPOINTS_PER_DOMAIN) return;
    Atomics.store(this.wide, this.endpointIndex(d, endpoint, field), BigInt(Math.round(value)));
  }

  /** The figures of a domain's endpoint; all zero for an endpoint past the limit. */
  endpoint(d: number, endpoint: number): Record<EndpointField, number> {
    const out = {} as Record<EndpointField, number>;
    const inRange = endpoint >= 0 && endpoint < MAX_ENDPOINTS_PER_DOMAIN;
    for (const f of ENDPOINT_FIELDS) {
      out[f] = inRange ? Number(Atomics.load(this.wide, this.endpointIndex(d, endpoint, f))) : 0;
    }
    return out;
  }

  ring(d: number): Int32Array {
    const base = this.layout.ringBase[d] ?? 0;
    return this.words.subarray(base, base + ringWords(this.layout.ringCapacity));
  }

  counters(d: number): Record<Counter, number> {
    const out = {} as Record<Counter, number>;
    for (const c of COUNTERS) out[c] = Number(Atomics.load(this.wide, this.counterIndex(d, c)));
    return out;
  }

  /** Wakes a domain for a control change: bumps its wake word and notifies it if it sleeps. */
  wake(d: number): void {
    const w = this.words;
    Atomics.add(w, this.domainWord(d, D_WAKE), 1);
    if (Atomics.load(w, this.domainWord(d, D_SLEEPING)) !== 0) Atomics.notify(w, this.domainWord(d, D_WAKE));
  }

  /**
   * After a doorbell's counter moved: wakes the receiver only if it announced it may sleep. A
   * receiver re-checks every doorbell counter after announcing, so one that is about to sleep
   * sees the ring itself (all Atomics are sequentially consistent: no lost wake-up).
   */
  wakeIfSleeping(d: number): void {
    const w = this.words;
    if (Atomics.load(w, this.domainWord(d, D_SLEEPING)) === 0) return;
    Atomics.add(w, this.domainWord(d, D_WAKE), 1);
    Atomics.notify(w, this.domainWord(d, D_WAKE));
  }
}
