/**
 * The inline (deterministic) runtime's part of `npm run bench`, measured in Node, each figure as
 * a ratio against a baseline measured in the same run (machines differ and drift; ratios travel).
 *
 * 1. Throughput: a two-domain ICMsg echo of N messages (a stream on the application core, an
 *    echo on the radio core, ICMsg 1.1) in the inline runtime, with the full trace recorded.
 *    Baseline: the same messages written and read through bare pbuf calls (no scheduler, no
 *    ICMsg, no trace): the cost of the memory traffic alone.
 * 2. Seek: after the run, go to random decisions (snapshots every K decisions + replay).
 *    Baseline: replaying the run from its start to the same decisions.
 *
 * `runInlineBench` prints a table and returns the figures (scripts/bench.ts writes them).
 * Options: --messages N (100000), --reps R (5), --seeks S (20), --snapshot-every K (1000).
 */
import { performance } from 'node:perf_hooks';
import { buildWorld, createPbufPair, icmsgScenario, parseScenario, Random, Timeline, type World } from '../src/core';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const MESSAGES = arg('messages', 100_000);
const REPS = arg('reps', 5);
const SEEKS = arg('seeks', 20);
const SNAPSHOT_EVERY = arg('snapshot-every', 1000);
const SIZE = 16;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

function buildEcho(): World {
  const parsed = parseScenario(
    icmsgScenario({
      name: 'bench: ICMsg echo',
      seed: 42,
      unbound: 'enable',
      dcacheAlignment: 32,
      regionSize: 4096,
      app: { kind: 'stream', size: SIZE, count: MESSAGES },
      rad: { kind: 'echo' },
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  return built.value;
}

/** The baseline: N packets through a bare pbuf pair, written and read in the same pattern. */
function pbufBaseline(): number {
  const pair = createPbufPair({ regionSize: 4096, dcacheAlignment: 32, useHandshake: true });
  if (!pair.ok) throw new Error(pair.error);
  const { writer, reader } = pair.value;
  writer.txInit();
  reader.rxInit();
  const data = new Uint8Array(SIZE);
  const out = new Uint8Array(128);
  const start = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    data[0] = i & 0xff;
    writer.write(data, SIZE);
    reader.read(out, 128);
    // The echo direction: the same traffic back.
    writer.write(data, SIZE);
    reader.read(out, 128);
  }
  return performance.now() - start;
}

interface RunFigures {
  simMs: number;
  baselineMs: number;
  decisions: number;
  traceEvents: number;
  virtualMs: number;
  delivered: number;
  echoed: number;
  seekMs: number[];
  replayMs: number[];
}

function once(rep: number): RunFigures {
  const baselineMs = pbufBaseline();
  const world = buildEcho();
  const timeline = new Timeline(world.sim, { snapshotEvery: SNAPSHOT_EVERY });
  const start = performance.now();
  const outcome = timeline.run();
  const simMs = performance.now() - start;
  if (outcome !== 'idle') throw new Error(`the run did not finish (${outcome})`);
  const app = world.endpoints.get('cpuapp/ipc0/ep0')?.stats;
  const rad = world.endpoints.get('cpurad/ipc0/ep0')?.stats;
  if (!app || !rad || app.sent !== MESSAGES || rad.received !== MESSAGES) {
    throw new Error(`messages lost: sent ${app?.sent}, received ${rad?.received}`);
  }
  const decisions = timeline.end;
  const traceEvents = world.sim.trace.length;
  const virtualMs = world.sim.now / 1e6;

  const rng = new Random(1000 + rep);
  const targets = Array.from({ length: SEEKS }, () => rng.int(decisions));
  const seekMs = targets.map((target) => {
    const t0 = performance.now();
    const moved = timeline.seek(target);
    if (!moved.ok) throw new Error(moved.error);
    return performance.now() - t0;
  });
  // Baseline: what a seek costs without snapshots: replay from the start to the same point.
  const replayMs = targets.slice(0, Math.min(5, targets.length)).map((target) => {
    const fresh = buildEcho();
    const t0 = performance.now();
    fresh.sim.run({ maxSteps: target });
    return performance.now() - t0;
  });
  return {
    simMs,
    baselineMs,
    decisions,
    traceEvents,
    virtualMs,
    delivered: rad.received,
    echoed: app.received,
    seekMs,
    replayMs,
  };
}

export function runInlineBench() {
  const runs: RunFigures[] = [];
  once(-1); // warm-up, discarded
  for (let rep = 0; rep < REPS; rep++) {
    const figures = once(rep);
    runs.push(figures);
    console.error(
      `rep ${rep + 1}/${REPS}: ${(MESSAGES / (figures.simMs / 1000)).toFixed(0)} msg/s, seek median ${median(figures.seekMs).toFixed(2)} ms`,
    );
  }

  const msgPerS = runs.map((r) => MESSAGES / (r.simMs / 1000));
  const baselinePerS = runs.map((r) => MESSAGES / (r.baselineMs / 1000));
  const seekMedian = runs.map((r) => median(r.seekMs));
  const seekMax = runs.map((r) => Math.max(...r.seekMs));
  const replayMedian = runs.map((r) => median(r.replayMs));
  const first = runs[0] as RunFigures;
  const summary = {
    date: new Date().toISOString(),
    node: process.version,
    messages: MESSAGES,
    payloadBytes: SIZE,
    reps: REPS,
    snapshotEvery: SNAPSHOT_EVERY,
    decisions: first.decisions,
    traceEvents: first.traceEvents,
    virtualMs: first.virtualMs,
    delivered: first.delivered,
    echoed: first.echoed,
    throughput: {
      messagesPerSecond: median(msgPerS),
      min: Math.min(...msgPerS),
      max: Math.max(...msgPerS),
      baselinePbufMessagesPerSecond: median(baselinePerS),
      /** How many times slower than bare pbuf traffic the whole simulation is (median of per-rep ratios). */
      slowdownVsPbuf: median(runs.map((r) => r.simMs / r.baselineMs)),
    },
    seek: {
      medianMs: median(seekMedian),
      maxMs: Math.max(...seekMax),
      replayFromStartMedianMs: median(replayMedian),
      /** How many times faster a seek is than replaying from the start (median of per-rep ratios). */
      speedupVsReplay: median(runs.map((r) => median(r.replayMs) / median(r.seekMs))),
    },
    runs,
  };

  const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
  console.log(
    `\nICMsg echo, ${MESSAGES} × ${SIZE} B each way, inline runtime, Node ${process.version}, median of ${REPS}`,
  );
  line(
    'decisions / trace events / virtual time',
    `${summary.decisions} / ${summary.traceEvents} / ${summary.virtualMs.toFixed(1)} ms`,
  );
  line(
    'throughput (host), messages/s',
    `${summary.throughput.messagesPerSecond.toFixed(0)} (min ${summary.throughput.min.toFixed(0)}, max ${summary.throughput.max.toFixed(0)})`,
  );
  line('baseline: bare pbuf write+read, messages/s', summary.throughput.baselinePbufMessagesPerSecond.toFixed(0));
  line('simulation cost vs bare pbuf (×)', summary.throughput.slowdownVsPbuf.toFixed(1));
  line(
    `seek to a random decision (snapshots every ${SNAPSHOT_EVERY})`,
    `median ${summary.seek.medianMs.toFixed(2)} ms, max ${summary.seek.maxMs.toFixed(2)} ms`,
  );
  line('baseline: replay from the start, median', `${summary.seek.replayFromStartMedianMs.toFixed(1)} ms`);
  line('seek speed-up vs replay from the start (×)', summary.seek.speedupVsReplay.toFixed(0));

  return summary;
}
