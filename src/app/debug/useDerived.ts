/**
 * The derived state at the time cursor, shared by every view of a frame: one Deriver per
 * session, re-read when the frame's revision changes.
 */
import { useMemo } from 'react';
import { useAppStore } from '../store/appStore';
import type { DebugSession } from './DebugSession';
import { type DerivedState, Deriver } from './derive';

const derivers = new WeakMap<DebugSession, Deriver>();

export function derivedAt(session: DebugSession): DerivedState {
  let deriver = derivers.get(session);
  if (!deriver) {
    deriver = new Deriver();
    derivers.set(session, deriver);
  }
  return deriver.at(session.table, session.cursor);
}

export function useDerived(): DerivedState | null {
  const session = useAppStore((s) => s.session);
  const revision = useAppStore((s) => s.frame?.revision ?? 0);
  // The revision stands for the session's mutable trace and cursor.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => (session ? derivedAt(session) : null), [session, revision]);
}
