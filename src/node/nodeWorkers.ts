/**
 * Domain workers as Node `worker_threads`, for tests, benchmarks and command-line runs. Node 20
 * cannot start a `.ts` worker directly, so each thread starts `scripts/worker-bootstrap.mjs`,
 * which registers tsx and imports `domainThread.ts`.
 */
import { Worker } from 'node:worker_threads';
import type { DomainToHost } from '../runtime/workers/protocol';
import type { WorkerFactory } from '../runtime/workers/WorkerHandle';

const bootstrap = new URL('../../scripts/worker-bootstrap.mjs', import.meta.url);
const entry = new URL('./domainThread.ts', import.meta.url);

export const nodeWorkerFactory: WorkerFactory = (domain) => {
  const worker = new Worker(bootstrap, { argv: [entry.href], name: `domain ${domain}` });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (message: DomainToHost) => listener(message)),
    onError: (listener) => {
      worker.on('error', (error: Error) => listener(`${error.name}: ${error.message}`));
      worker.on('exit', (code) => {
        if (code !== 0) listener(`the thread exited with code ${code}`);
      });
    },
    terminate: () => worker.terminate().then(() => undefined),
  };
};
