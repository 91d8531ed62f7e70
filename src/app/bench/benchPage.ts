/**
 * The browser half of `npm run bench`: `bench.html` runs the transport suite with two Web
 * Workers (domains, or postMessage peers) and leaves the rows in `window.__bench` for the script
 * driving headless Chromium. Query: `?reps=5&sizes=16,64,256,4096`.
 */
import type { PmReport, PmRole } from '../../runtime/bench/pmPeer';
import { DEFAULT_PLAN, type BenchEnv, type BenchRow, runTransportSuite } from '../../runtime/bench/suite';
import { browserWorkerFactory } from '../../runtime/workers/browserWorkers';

declare global {
  interface Window {
    __bench?: { done: boolean; rows: BenchRow[]; error?: string; log: string[] };
  }
}

const state: NonNullable<Window['__bench']> = { done: false, rows: [], log: [] };
window.__bench = state;
const out = document.getElementById('log');
const log = (line: string) => {
  state.log.push(line);
  if (out) out.textContent += `${line}\n`;
};

function pmWorker(): Worker {
  return new Worker(new URL('../../runtime/bench/pm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'postMessage peer',
  });
}

const origin = performance.timeOrigin;
const env: BenchEnv = {
  runtime: 'chromium',
  factory: browserWorkerFactory,
  clock: () => origin + performance.now(),
  log,
  postMessage: (a: PmRole, b: PmRole) =>
    new Promise<PmReport>((resolve, reject) => {
      const channel = new MessageChannel();
      const workers = [pmWorker(), pmWorker()];
      workers.forEach((w, i) => {
        w.onmessage = (e: MessageEvent<PmReport>) => {
          for (const x of workers) x.terminate();
          resolve(e.data);
        };
        w.onerror = (e) => reject(new Error(e.message));
        const port = i === 0 ? channel.port1 : channel.port2;
        w.postMessage({ spec: i === 0 ? a : b, port }, [port]);
      });
    }),
};

const params = new URLSearchParams(location.search);
const reps = Number(params.get('reps') ?? DEFAULT_PLAN.reps);
const sizes = (params.get('sizes') ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
log(`crossOriginIsolated: ${String(crossOriginIsolated)}`);
runTransportSuite(env, {
  ...DEFAULT_PLAN,
  reps: reps > 0 ? reps : DEFAULT_PLAN.reps,
  sizes: sizes.length > 0 ? sizes : DEFAULT_PLAN.sizes,
})
  .then((rows) => {
    state.rows = rows;
    state.done = true;
    log('done');
  })
  .catch((error: unknown) => {
    state.error = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    state.done = true;
    log(`failed: ${state.error}`);
  });
