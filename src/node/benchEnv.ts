/** The transport benchmark's environment in Node: worker_threads for domains and for postMessage peers. */
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { PmReport, PmRole } from '../runtime/bench/pmPeer';
import type { BenchEnv } from '../runtime/bench/suite';
import { nodeWorkerFactory } from './nodeWorkers';

const bootstrap = new URL('../../scripts/worker-bootstrap.mjs', import.meta.url);
const pmEntry = new URL('./pmThread.ts', import.meta.url);

function peer(spec: PmRole, port: MessagePort): Worker {
  return new Worker(bootstrap, { argv: [pmEntry.href], workerData: { spec, port }, transferList: [port] });
}

export function nodeBenchEnv(log?: (line: string) => void): BenchEnv {
  const origin = performance.timeOrigin;
  return {
    runtime: 'node',
    factory: nodeWorkerFactory,
    clock: () => origin + performance.now(),
    ...(log ? { log } : {}),
    postMessage: (a, b) =>
      new Promise<PmReport>((resolve, reject) => {
        const channel = new MessageChannel();
        const workers = [peer(a, channel.port1), peer(b, channel.port2)];
        const finish = (report: PmReport) => {
          for (const w of workers) void w.terminate();
          resolve(report);
        };
        for (const w of workers) {
          w.on('message', (m: PmReport) => finish(m));
          w.on('error', reject);
        }
      }),
  };
}
