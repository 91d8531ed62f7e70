/**
 * The Node entry of a domain worker (`worker_threads`): the same `runDomain` as in the browser.
 * Started through `scripts/worker-bootstrap.mjs`, which lets Node load TypeScript.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import type { HostToDomain } from '../runtime/workers/protocol';
import { runDomain } from '../runtime/workers/WorkerDomain';

const port = parentPort;
if (port) {
  port.once('message', (start: HostToDomain) => {
    const origin = performance.timeOrigin;
    runDomain(start, {
      post: (message) => port.postMessage(message),
      clock: () => origin + performance.now(),
    });
  });
}
