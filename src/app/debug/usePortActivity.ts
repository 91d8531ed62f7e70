/**
 * The libipc activity of the open session at the time cursor, for React views: one PortActivity
 * per session, synced when the frame's revision changes, and a `count` that reads it at the
 * cursor.
 */
import { useMemo } from 'react';
import { useAppStore } from '../store/appStore';
import type { DebugSession } from './DebugSession';
import { type ActivityCount, PortActivity } from './portActivity';

const activities = new WeakMap<DebugSession, PortActivity>();

export function portActivityOf(session: DebugSession): PortActivity {
  let activity = activities.get(session);
  if (!activity) {
    activity = new PortActivity();
    activities.set(session, activity);
  }
  return activity.sync(session.table);
}

export type ActivityCounter = (task: string, what: ActivityCount) => number;

export function usePortActivity(): ActivityCounter {
  const session = useAppStore((s) => s.session);
  const revision = useAppStore((s) => s.frame?.revision ?? 0);
  return useMemo(() => {
    if (!session) return () => 0;
    const activity = portActivityOf(session);
    const cursor = session.cursor;
    return (task: string, what: ActivityCount) => activity.count(task, what, cursor);
    // The revision stands for the session's mutable trace and cursor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, revision]);
}
