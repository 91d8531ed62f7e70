/**
 * `npm run bench` (never part of `npm test`): every performance figure of the project, each
 * measured against a baseline in the same run, printed as tables and written to
 * `bench/results.json`.
 *
 *  1. The deterministic runtime (scripts/benchInline.ts): ICMsg echo throughput against bare pbuf
 *     traffic, seek time against replay from the start.
 *  2. The worker runtime, in Node worker_threads and in headless Chromium (two Web Workers): for
 *     16, 64, 256 and 4096-byte messages, postMessage between two workers, our ICMsg service end
 *     to end, round trips with both sides active and with the receiver asleep, and an in-thread
 *     copy into a SharedArrayBuffer (src/runtime/bench/suite.ts).
 *  3. The timeline renderer in headless Chromium (scripts/benchRender.ts): time to first draw and
 *     frame times while zooming and panning a 1,000,000-event trace, against a 10,000-event one.
 *
 * Options: --reps N (5), --sizes 16,64 (all), --skip inline,node,chromium,render.
 * A skipped section keeps its figures from the previous bench/results.json, so a partial run never
 * erases the others: `inline` and `render` carry their own dates; `env` describes the transport
 * rows, and is kept with them when both node and chromium are skipped (when only one is, its rows
 * are kept and `env.kept` / `env.keptFrom` say so).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { nodeBenchEnv } from '../src/node/benchEnv';
import { type BenchRow, DEFAULT_PLAN, runTransportSuite } from '../src/runtime/bench/suite';
import { runInlineBench } from './benchInline';
import { runRenderBench } from './benchRender';

const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const reps = Number(option('reps') ?? DEFAULT_PLAN.reps);
const sizes = (option('sizes') ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const skip = new Set((option('skip') ?? '').split(','));
const plan = {
  ...DEFAULT_PLAN,
  reps: reps > 0 ? reps : DEFAULT_PLAN.reps,
  sizes: sizes.length > 0 ? sizes : DEFAULT_PLAN.sizes,
};
const PORT = 4320;

/** What bench.html leaves in `window.__bench` (src/app/bench/benchPage.ts). */
type BenchState = { done: boolean; rows: BenchRow[]; error?: string };
const benchState = () => (window as unknown as { __bench?: BenchState }).__bench;

/** Builds the app once and serves it with `vite preview` while `run` uses it. */
let built = false;
async function withPreview<T>(run: (base: string) => Promise<T>): Promise<T> {
  if (!built) {
    console.error('building the app for the browser benchmarks…');
    const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('vite build failed');
    built = true;
  }
  const preview: ChildProcess = spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'preview', '--port', String(PORT), '--strictPort'],
    {
      stdio: 'ignore',
    },
  );
  try {
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://localhost:${PORT}/bench.html`)
        .then((r) => r.ok)
        .catch(() => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return await run(`http://localhost:${PORT}`);
  } finally {
    preview.kill();
  }
}

async function chromiumRows(base: string): Promise<{ rows: BenchRow[]; version: string }> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.error(`[chromium] ${m.text()}`));
    await page.goto(`${base}/bench.html?reps=${plan.reps}&sizes=${plan.sizes.join(',')}`);
    await page.waitForFunction(
      () => (window as unknown as { __bench?: { done: boolean } }).__bench?.done === true,
      undefined,
      {
        timeout: 30 * 60_000,
        polling: 1000,
      },
    );
    const state = await page.evaluate(benchState);
    if (!state || state.error !== undefined)
      throw new Error(`browser benchmark failed: ${state?.error ?? 'no result'}`);
    return { rows: state.rows, version: browser.version() };
  } finally {
    await browser.close();
  }
}

function table(rows: readonly BenchRow[], runtime: string): void {
  const of = (transport: string, size: number, tracing?: string) =>
    rows.find(
      (r) =>
        r.runtime === runtime &&
        r.transport === transport &&
        r.size === size &&
        (tracing === undefined || r.tracing === tracing),
    );
  console.log(
    `\n${runtime}: messages/s (median of ${plan.reps}), ICMsg counters-only; round trips µs: mean, then p50/p99`,
  );
  console.log(
    'size      postMessage        ICMsg    ×pm   MB/s ICMsg   copy ceiling  ICMsg/copy   RTT active  RTT asleep   pm RTT   active p50/p99   asleep p50/p99',
  );
  for (const size of plan.sizes) {
    const pm = of('postMessage', size);
    const ic = of('icmsg', size, 'counters');
    const cp = of('copy', size);
    if (!pm || !ic || !cp) continue;
    const f = (n: number | null | undefined, d = 0) => (n === null || n === undefined ? '—' : n.toFixed(d));
    console.log(
      `${String(size).padEnd(6)} ${f(pm.msgsPerSec).padStart(12)} ${f(ic.msgsPerSec).padStart(12)} ${f(ic.msgsPerSec / pm.msgsPerSec, 1).padStart(6)} ${f(ic.mbPerSec).padStart(11)} ${f(cp.msgsPerSec).padStart(14)} ${(f((ic.msgsPerSec / cp.msgsPerSec) * 100, 1) + '%').padStart(11)} ${f(ic.rttMicros?.active, 2).padStart(12)} ${f(ic.rttMicros?.asleep, 1).padStart(11)} ${f(pm.rttMicros?.active, 1).padStart(8)} ${`${f(ic.rttPercentiles?.activeP50, 2)}/${f(ic.rttPercentiles?.activeP99, 1)}`.padStart(16)} ${`${f(ic.rttPercentiles?.asleepP50, 1)}/${f(ic.rttPercentiles?.asleepP99, 1)}`.padStart(16)}`,
    );
  }
  const full = of('icmsg', 64, 'full');
  const counters = of('icmsg', 64, 'counters');
  if (full && counters) {
    console.log(
      `full tracing at 64 B: ${full.msgsPerSec.toFixed(0)} msg/s, ${(counters.msgsPerSec / full.msgsPerSec).toFixed(1)}× slower than counters only`,
    );
  }
}

/** The figures of the previous run, for the sections this run skips. */
type Results = { schema: number; env: Record<string, unknown>; results: BenchRow[]; inline: unknown; render?: unknown };
const previous: Results | null = existsSync('bench/results.json')
  ? (JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results)
  : null;

let results: BenchRow[] = [];
let env: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? '?',
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  reps: plan.reps,
  tracing: 'ICMsg rows: counters only, unless "tracing": "full"',
};
const keptRows = (runtime: string) => {
  if (!previous) return;
  results.push(...previous.results.filter((r) => r.runtime === runtime));
  env['kept'] = [...(Array.isArray(env['kept']) ? (env['kept'] as unknown[]) : []), runtime];
  env['keptFrom'] = previous.env['date'] ?? null;
  if (runtime === 'chromium' && previous.env['chromium'] !== undefined) env['chromium'] = previous.env['chromium'];
};
let inline: unknown = previous?.inline ?? null;
let render: unknown = previous?.render ?? null;

if (!skip.has('inline')) inline = runInlineBench();
if (skip.has('node') && skip.has('chromium') && previous) {
  env = previous.env;
  results = previous.results;
}
if (!skip.has('node')) {
  console.error('\nNode worker_threads…');
  results.push(
    ...(await runTransportSuite(
      nodeBenchEnv((l) => console.error(l)),
      plan,
    )),
  );
  table(results, 'node');
  if (skip.has('chromium')) keptRows('chromium');
}
if (!skip.has('chromium')) {
  if (skip.has('node')) keptRows('node');
  console.error('\nheadless Chromium…');
  const chromiumRun = await withPreview(chromiumRows);
  env['chromium'] = chromiumRun.version;
  results.push(...chromiumRun.rows);
  table(results, 'chromium');
}
if (!skip.has('render')) {
  console.error('\ntimeline render in headless Chromium…');
  render = await withPreview(runRenderBench);
}

mkdirSync('bench', { recursive: true });
writeFileSync(
  'bench/results.json',
  `${JSON.stringify({ schema: 1, env, results, inline, ...(render === null ? {} : { render }) }, null, 2)}\n`,
);
console.log('\nwrote bench/results.json');
process.exit(0);
