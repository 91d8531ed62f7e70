/// <reference lib="webworker" />
/**
 * The browser entry of a domain worker: one `start` message, then the domain runs in this thread
 * until stopped (it blocks this worker's event loop on purpose: control travels through shared
 * memory, not messages).
 */
import type { HostToDomain } from './protocol';
import { runDomain } from './WorkerDomain';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<HostToDomain>) => {
  // timeOrigin is read once: the getter is slow and the value never changes.
  const origin = performance.timeOrigin;
  runDomain(event.data, {
    post: (message) => self.postMessage(message),
    clock: () => origin + performance.now(),
  });
};
