/**
 * One interface for both ways of running a scenario (DESIGN.md §3.5): the inline runtime (every
 * domain on this thread, seeded and replayable) and, later, the worker runtime (a Web Worker per
 * domain over one SharedArrayBuffer). The UI drives either through this.
 */
import type { TraceEvent } from '../core';

export type RuntimeStatus = 'paused' | 'running' | 'finished';

export interface RuntimeUpdate {
  readonly status: RuntimeStatus;
  /** Decisions made so far. */
  readonly step: number;
  /** Simulated time, ns. */
  readonly timeNs: number;
  /**
   * Set when the run went back (step back, seek, fork, reset): trace events from this sequence
   * number on are no longer valid and `events` restarts there.
   */
  readonly rewoundTo: number | null;
  /** Trace events since the previous update, in order. */
  readonly events: readonly TraceEvent[];
}

export interface Runtime {
  readonly mode: 'inline' | 'workers';
  readonly status: RuntimeStatus;
  /** Runs continuously until paused or finished. */
  start(): void;
  pause(): void;
  /** Exactly one scheduling decision. */
  step(): void;
  /** Back to the scenario's start. */
  reset(): void;
  /** Receives an update after every batch of work; returns the unsubscribe function. */
  subscribe(listener: (update: RuntimeUpdate) => void): () => void;
  dispose(): void;
}

/** Runs `callback` soon, off the current call stack; returns a cancel function. */
export type Ticker = (callback: () => void) => () => void;

/** The browser's and Node's macrotask ticker. */
export const timeoutTicker: Ticker = (callback) => {
  const id = setTimeout(callback, 0);
  return () => clearTimeout(id);
};
