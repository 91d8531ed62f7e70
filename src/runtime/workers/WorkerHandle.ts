/**
 * What the worker runtime needs from a thread, so one runtime drives Web Workers in the browser
 * and `worker_threads` in Node (tests, bench, CLI) alike.
 */
import type { DomainToHost, HostToDomain } from './protocol';

export interface WorkerHandle {
  postMessage(message: HostToDomain): void;
  onMessage(listener: (message: DomainToHost) => void): void;
  /** The thread died with an uncaught error (or could not start). */
  onError(listener: (message: string) => void): void;
  /** Ends the thread; settles once it has exited (at once where the platform cannot tell). */
  terminate(): Promise<void>;
}

/** Starts the thread for one domain. */
export type WorkerFactory = (domain: string) => WorkerHandle;
