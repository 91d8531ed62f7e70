/**
 * The invariant checker (core `faults/invariants.ts`) run over the debugger's trace up to the time
 * cursor: what the run broke so far, and, once an inline run is finished (nothing left to run),
 * what must hold at quiescence (every message delivered or reported, no block leaked, both sides
 * agreeing on bound, indices in range in the memory at the cursor).
 *
 * Moving the cursor forward feeds the new events; moving it back, or a rewritten trace, starts
 * again from the first event.
 */
import { useMemo } from 'react';
import { InvariantChecker, type Violation } from '../../core';
import { useAppStore } from '../store/appStore';
import type { DebugSession } from './DebugSession';

export interface ViolationView {
  /** Seen while the run went, each with the event where it was seen (`seq`). */
  readonly live: readonly Violation[];
  /** At quiescence, when the inline run is finished and the cursor at its end; null otherwise. */
  readonly atQuiescence: readonly Violation[] | null;
}

class ViolationTracker {
  private checker: InvariantChecker;
  private epoch = -1;
  private position = 0;
  private live: Violation[] = [];
  private readonly session: DebugSession;

  constructor(session: DebugSession) {
    this.session = session;
    this.checker = new InvariantChecker(session.scenario);
  }

  at(): ViolationView {
    const s = this.session;
    const table = s.table;
    const to = Math.min(s.cursor, table.length);
    if (table.epoch !== this.epoch || to < this.position) {
      this.checker = new InvariantChecker(s.scenario);
      this.epoch = table.epoch;
      this.position = 0;
      this.live = [];
    }
    for (; this.position < to; this.position++) {
      const e = table.event(this.position);
      if (e) this.live.push(...this.checker.feed(e));
    }
    const inline = s.inline;
    const quiescent = inline !== null && inline.status === 'finished' && to === table.length;
    return { live: this.live, atQuiescence: quiescent ? this.checker.finish(s.memory()) : null };
  }
}

const trackers = new WeakMap<DebugSession, ViolationTracker>();

export function violationsAt(session: DebugSession): ViolationView {
  let tracker = trackers.get(session);
  if (!tracker) {
    tracker = new ViolationTracker(session);
    trackers.set(session, tracker);
  }
  return tracker.at();
}

/** The violations at the cursor, recomputed when the frame changes. */
export function useViolations(): ViolationView | null {
  const session = useAppStore((s) => s.session);
  const revision = useAppStore((s) => s.frame?.revision ?? 0);
  // The revision stands for the session's mutable trace and cursor.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => (session ? violationsAt(session) : null), [session, revision]);
}
