/**
 * What task bodies share: the result that ends a task, sleeping until a time (or waiting for
 * `wake` when it is Infinity), and a base for a body whose state is one plain object, so
 * snapshots copy it.
 */
import { type TaskBody, type TaskNext, WAIT, YIELD } from './Domain';

/** The task has finished. */
export const DONE: TaskNext = Object.freeze({ kind: 'done' });

/** Run again at `at` (ns): at once when it has passed, when woken when it is Infinity. */
export const sleepUntil = (now: number, at: number): TaskNext =>
  at === Infinity ? WAIT : at <= now ? YIELD : { kind: 'sleep', ns: at - now };

/** A task body whose whole state is the plain object `s` (snapshots copy it). */
export abstract class StateTask<S extends object> implements TaskBody {
  protected s: S;

  protected constructor(initial: S) {
    this.s = { ...initial };
  }

  abstract step(): TaskNext;

  snapshot(): S {
    return { ...this.s };
  }

  restore(state: unknown): void {
    this.s = { ...(state as S) };
  }
}
