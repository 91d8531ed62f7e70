/**
 * The threads of a worker run, one per domain: started with the one `start` message, listened
 * to, and retired. Each thread gets a token; messages and errors from a retired thread are
 * ignored, so a late word from an old thread never touches the state of its successor.
 */
import { type Control, D_FENCE, type DomainStatusName } from './control';
import { type DomainToHost, type HostToDomain, PROTOCOL_VERSION } from './protocol';
import type { WorkerFactory, WorkerHandle } from './WorkerHandle';

export interface DomainState {
  readonly status: DomainStatusName;
  readonly incarnation: number;
  readonly error?: string;
}

export interface ThreadEvents {
  /** The domain is built and running. */
  ready(d: number): void;
  /** The thread failed to start, threw, or exited: it is gone. */
  crashed(d: number, message: string): void;
  /** Domain `d` reset itself; the host restarts it. */
  reset(d: number, reason: string): void;
}

export class DomainThreads {
  private readonly factory: WorkerFactory;
  private readonly events: ThreadEvents;
  private readonly workers: (WorkerHandle | null)[];
  /** Per domain, the token of its current thread (0: none). */
  private readonly tokens: number[];
  /** Per domain, settles when its last retired thread has exited. */
  private readonly exits: Promise<void>[];
  private lastToken = 0;

  constructor(factory: WorkerFactory, domains: number, events: ThreadEvents) {
    this.factory = factory;
    this.events = events;
    this.workers = Array.from({ length: domains }, () => null);
    this.tokens = Array.from({ length: domains }, () => 0);
    this.exits = Array.from({ length: domains }, () => Promise.resolve());
  }

  /** Whether domain `d` has a thread that has not been retired. */
  live(d: number): boolean {
    return this.workers[d] !== null && this.workers[d] !== undefined;
  }

  /** Settles once every thread domain `d` had before its current one has exited. */
  exited(d: number): Promise<void> {
    return this.exits[d] ?? Promise.resolve();
  }

  /** Starts a thread for domain `d` and hands it the `start` message. */
  spawn(d: number, start: HostToDomain): void {
    const worker = this.factory(start.domain);
    const token = ++this.lastToken;
    this.workers[d] = worker;
    this.tokens[d] = token;
    worker.onMessage((message: DomainToHost) => {
      if (this.tokens[d] !== token) return;
      if ((message.v as number) !== PROTOCOL_VERSION) {
        this.events.crashed(d, `the worker speaks protocol version ${String(message.v)}, the host ${PROTOCOL_VERSION}`);
      } else if (message.kind === 'ready') {
        this.events.ready(d);
      } else if (message.kind === 'reset') {
        this.events.reset(d, message.reason);
      } else {
        this.events.crashed(d, `failed to start: ${message.message}`);
      }
    });
    worker.onError((message) => {
      if (this.tokens[d] === token) this.events.crashed(d, message);
    });
    worker.postMessage(start);
  }

  /**
   * Ends domain `d`'s thread: terminated, told by its fence word to run no further item (in case
   * termination takes a moment), and no longer listened to.
   */
  retire(d: number, control: Control): void {
    const worker = this.workers[d];
    if (!worker) return;
    this.tokens[d] = 0;
    this.workers[d] = null;
    this.exits[d] = worker.terminate().catch(() => undefined);
    Atomics.store(control.words, control.domainWord(d, D_FENCE), 1);
    control.wake(d);
  }
}
