/**
 * The transport benchmark (`npm run bench`), the same in Node worker threads and in a browser:
 * for each message size, postMessage between two workers (the baseline), our ICMsg service end
 * to end one way (send → pbuf → doorbell → received callback, in the worker runtime), round-trip
 * latency with both sides active and with the receiver asleep, and an in-thread copy into a
 * SharedArrayBuffer as the ceiling. Every figure is the median of interleaved repetitions; every
 * ratio is taken within one run.
 */
import { icmsgScenario, type ScenarioInput } from '../../core';
import type { TraceModeName } from '../workers/control';
import type { WorkerFactory } from '../workers/WorkerHandle';
import { WorkerRuntime } from '../workers/WorkerRuntime';
import type { PmReport, PmRole } from './pmPeer';

export interface BenchEnv {
  readonly runtime: 'node' | 'chromium';
  readonly factory: WorkerFactory;
  /** Runs two postMessage peers over one MessageChannel; resolves with the reporting side's figure. */
  readonly postMessage: (a: PmRole, b: PmRole) => Promise<PmReport>;
  /** Absolute time, ms. */
  readonly clock: () => number;
  readonly log?: (line: string) => void;
}

export interface BenchPlan {
  readonly sizes: readonly number[];
  readonly reps: number;
  /** Messages per throughput run, by size (fewer for large messages). */
  readonly messages: (size: number, transport: 'icmsg' | 'postMessage' | 'copy') => number;
  readonly rttRounds: number;
  /** Pause between asleep round trips, µs: long enough for the peer to go to sleep. */
  readonly asleepPauseUs: number;
}

export interface BenchRow {
  readonly runtime: 'node' | 'chromium';
  readonly transport: 'postMessage' | 'icmsg' | 'copy';
  readonly size: number;
  readonly tracing?: TraceModeName;
  readonly msgsPerSec: number;
  readonly mbPerSec: number;
  /** Mean round trip, µs. */
  readonly rttMicros: { readonly active: number | null; readonly asleep: number | null } | null;
  /** Median and 99th percentile round trips (ICMsg; the mean on a 2-core machine is dominated by preemptions). */
  readonly rttPercentiles?: {
    readonly activeP50: number;
    readonly activeP99: number;
    readonly asleepP50: number;
    readonly asleepP99: number;
  };
  readonly reps: number;
  readonly min: number;
  readonly max: number;
}

export const DEFAULT_PLAN: BenchPlan = {
  sizes: [16, 64, 256, 4096],
  reps: 5,
  messages: (size, transport) =>
    transport === 'copy'
      ? 2_000_000
      : transport === 'postMessage'
        ? size >= 4096
          ? 20_000
          : 40_000
        : size >= 4096
          ? 200_000
          : 600_000,
  rttRounds: 2_000,
  asleepPauseUs: 2_000,
};

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

const REGION = 65_536;

function twoCore(
  app: ScenarioInput['endpoints'][number]['behaviour'],
  rad: ScenarioInput['endpoints'][number]['behaviour'],
  size: number,
): ScenarioInput {
  const scenario = icmsgScenario({ unbound: 'enable', dcacheAlignment: 32, regionSize: REGION, app, rad });
  // A message above CONFIG_PBUF_RX_READ_BUF_SIZE (128) would stall ICMsg: raise it as a firmware would.
  const rx = Math.max(128, Math.ceil(size / 4) * 4);
  return {
    ...scenario,
    instances: scenario.instances.map((n) =>
      n.compatible === 'zephyr,ipc-icmsg' ? { ...n, kconfig: { PBUF_RX_READ_BUF_SIZE: rx } } : n,
    ),
  };
}

async function withRuntime<T>(
  env: BenchEnv,
  input: ScenarioInput,
  trace: TraceModeName,
  body: (rt: WorkerRuntime) => Promise<T>,
): Promise<T> {
  const created = WorkerRuntime.create(input, { factory: env.factory, trace, sampleEvery: 16, ringWords: 1 << 20 });
  if (!created.ok) throw new Error(created.error.map((e) => `${e.path}: ${e.message}`).join('; '));
  const rt = created.value;
  try {
    rt.start();
    if (!(await rt.whenReady(30_000))) throw new Error('the workers did not start');
    return await body(rt);
  } finally {
    rt.dispose();
  }
}

/** ICMsg one way, messages per second from the first send to the last receive (worker clocks). */
export async function icmsgThroughput(
  env: BenchEnv,
  size: number,
  count: number,
  trace: TraceModeName,
): Promise<number> {
  const input = twoCore(
    { kind: 'stream', size, count, retryUs: 1, payload: 'numbered' },
    { kind: 'sink', payload: 'numbered' },
    size,
  );
  return withRuntime(env, input, trace, async (rt) => {
    const done = await rt.waitUntil(
      () => rt.endpoint('cpurad', 0).inOrder >= count && rt.endpoint('cpurad', 0).lastReceivedUs > 0,
      120_000,
    );
    const sink = rt.endpoint('cpurad', 0);
    const stream = rt.endpoint('cpuapp', 0);
    if (!done || sink.gaps + sink.repeats + sink.corrupted > 0) {
      throw new Error(
        `ICMsg ${size} B: ${sink.inOrder} of ${count} in order (gaps ${sink.gaps}, repeats ${sink.repeats}, corrupted ${sink.corrupted})`,
      );
    }
    return count / ((sink.lastReceivedUs - stream.firstSentUs) / 1e6);
  });
}

export interface RoundTrip {
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

/** ICMsg round trip (pingpong against an echo), µs. */
export async function icmsgRoundTrip(env: BenchEnv, size: number, rounds: number, pauseUs: number): Promise<RoundTrip> {
  const input = twoCore({ kind: 'pingpong', size, count: rounds, pauseUs }, { kind: 'echo' }, size);
  return withRuntime(env, input, 'counters', async (rt) => {
    const done = await rt.waitUntil(() => rt.endpoint('cpuapp', 0).roundTrips >= rounds, 120_000);
    const ping = rt.endpoint('cpuapp', 0);
    if (!done) throw new Error(`ICMsg round trips: ${ping.roundTrips} of ${rounds}`);
    return { meanUs: ping.rttMeanNs / 1000, p50Us: ping.rttP50Ns / 1000, p99Us: ping.rttP99Ns / 1000 };
  });
}

/** The ceiling: one in-thread `Uint8Array.set` per message into a SharedArrayBuffer. */
export function copyCeiling(size: number, count: number, clock: () => number): number {
  const sab = new Uint8Array(new SharedArrayBuffer(1 << 20));
  const src = new Uint8Array(size).fill(7);
  const slots = Math.floor(sab.length / size);
  const start = clock();
  for (let i = 0; i < count; i++) sab.set(src, (i % slots) * size);
  return count / ((clock() - start) / 1000);
}

export async function postMessageThroughput(env: BenchEnv, size: number, count: number): Promise<number> {
  const r = await env.postMessage({ role: 'producer', size, count }, { role: 'consumer', count });
  return r.count / ((r.lastMs - r.firstMs) / 1000);
}

export async function postMessageRoundTrip(env: BenchEnv, size: number, rounds: number): Promise<number> {
  const r = await env.postMessage({ role: 'pinger', size, rounds }, { role: 'echo' });
  return ((r.lastMs - r.firstMs) * 1000) / r.count;
}

/** Runs the whole plan; rows as `bench/results.json` holds them. */
export async function runTransportSuite(env: BenchEnv, plan: BenchPlan = DEFAULT_PLAN): Promise<BenchRow[]> {
  type Key = string;
  const samples = new Map<
    Key,
    { rate: number[]; active: number[]; asleep: number[]; activeP: RoundTrip[]; asleepP: RoundTrip[] }
  >();
  const sample = (key: Key) => {
    let s = samples.get(key);
    if (!s) samples.set(key, (s = { rate: [], active: [], asleep: [], activeP: [], asleepP: [] }));
    return s;
  };
  for (let rep = 0; rep < plan.reps; rep++) {
    for (const size of plan.sizes) {
      const pm = sample(`postMessage/${size}`);
      pm.rate.push(await postMessageThroughput(env, size, plan.messages(size, 'postMessage')));
      pm.active.push(await postMessageRoundTrip(env, size, Math.min(plan.rttRounds, 1000)));
      const icmsg = sample(`icmsg/${size}`);
      icmsg.rate.push(await icmsgThroughput(env, size, plan.messages(size, 'icmsg'), 'counters'));
      const active = await icmsgRoundTrip(env, size, plan.rttRounds, 0);
      const asleep = await icmsgRoundTrip(env, size, Math.max(50, Math.floor(plan.rttRounds / 20)), plan.asleepPauseUs);
      icmsg.active.push(active.meanUs);
      icmsg.asleep.push(asleep.meanUs);
      icmsg.activeP.push(active);
      icmsg.asleepP.push(asleep);
      sample(`copy/${size}`).rate.push(copyCeiling(size, plan.messages(size, 'copy'), env.clock));
      if (size === 64)
        sample(`icmsg-full/${size}`).rate.push(await icmsgThroughput(env, size, plan.messages(size, 'icmsg'), 'full'));
      env.log?.(
        `${env.runtime} rep ${rep + 1}/${plan.reps} ${size} B: icmsg ${(icmsg.rate.at(-1) ?? 0).toFixed(0)} msg/s, postMessage ${(pm.rate.at(-1) ?? 0).toFixed(0)} msg/s`,
      );
    }
  }
  const rows: BenchRow[] = [];
  for (const [key, s] of samples) {
    const [name, sizeText] = key.split('/');
    const size = Number(sizeText);
    const rate = median(s.rate);
    const transport = name === 'icmsg-full' ? 'icmsg' : (name as BenchRow['transport']);
    rows.push({
      runtime: env.runtime,
      transport,
      size,
      ...(transport === 'icmsg' ? { tracing: name === 'icmsg-full' ? 'full' : 'counters' } : {}),
      msgsPerSec: rate,
      mbPerSec: (rate * size) / 1e6,
      rttMicros:
        transport === 'copy' || name === 'icmsg-full'
          ? null
          : {
              active: s.active.length > 0 ? median(s.active) : null,
              asleep: s.asleep.length > 0 ? median(s.asleep) : null,
            },
      ...(s.activeP.length > 0
        ? {
            rttPercentiles: {
              activeP50: median(s.activeP.map((r) => r.p50Us)),
              activeP99: median(s.activeP.map((r) => r.p99Us)),
              asleepP50: median(s.asleepP.map((r) => r.p50Us)),
              asleepP99: median(s.asleepP.map((r) => r.p99Us)),
            },
          }
        : {}),
      reps: s.rate.length,
      min: Math.min(...s.rate),
      max: Math.max(...s.rate),
    });
  }
  return rows;
}
