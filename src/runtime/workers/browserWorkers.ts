/** Domain workers as Web Workers, bundled by Vite from `domain.worker.ts`. */
import type { WorkerFactory } from './WorkerHandle';

export const browserWorkerFactory: WorkerFactory = (domain) => {
  const worker = new Worker(new URL('./domain.worker.ts', import.meta.url), {
    type: 'module',
    name: `domain ${domain}`,
  });
  return {
    postMessage: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (event: MessageEvent) => listener(event.data as never)),
    onError: (listener) =>
      worker.addEventListener('error', (event: ErrorEvent) => {
        event.preventDefault();
        listener(event.message || 'the worker failed (no message: blocked or failed to load?)');
      }),
    // A terminated worker's script is aborted at once (HTML: "terminate a worker"), and the
    // fence word stops it before its next item in any case; there is no exit event to wait for.
    terminate: () => {
      worker.terminate();
      return Promise.resolve();
    },
  };
};
