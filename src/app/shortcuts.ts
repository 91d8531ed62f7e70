/**
 * Keyboard shortcuts of the debugger (Perfetto's and RaftScope's vocabulary): one table, used both
 * to handle keys and to draw the `?` overlay, so the two never disagree. Keys typed into a text
 * field, keys a focused view already handled, and Space on a focused control are left alone; the
 * timeline's own keys (zoom, pan) act when it has focus.
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from './store/appStore';

export interface Shortcut {
  readonly keys: string;
  readonly does: string;
  /** Handles the key; absent for keys another view handles (listed for the overlay only). */
  readonly run?: (state: AppState) => void;
  readonly match?: (e: KeyboardEvent) => boolean;
}

const key = (k: string) => (e: KeyboardEvent) => e.key === k;

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: 'Space',
    does: 'Run / pause',
    match: key(' '),
    run: (s) => (s.runView?.status === 'running' ? s.runPause() : s.runStart()),
  },
  { keys: '.', does: 'Step: one scheduling decision', match: key('.'), run: (s) => s.runStep() },
  { keys: ',', does: 'Step back one decision (inline)', match: key(','), run: (s) => s.runStepBack() },
  { keys: 'n', does: 'Run until the next message', match: key('n'), run: (s) => s.runUntil({ kind: 'message' }) },
  {
    keys: 'm',
    does: 'Run until the next state change',
    match: key('m'),
    run: (s) => s.runUntil({ kind: 'state' }),
  },
  { keys: 'r', does: 'Reset to the scenario start', match: key('r'), run: (s) => s.runReset() },
  {
    keys: 'Esc',
    does: 'Clear the selection, close this overlay',
    match: key('Escape'),
    run: (s) => (s.helpOpen ? s.setHelpOpen(false) : s.select(null)),
  },
  { keys: '?', does: 'Show these shortcuts', match: key('?'), run: (s) => s.setHelpOpen(!s.helpOpen) },
  { keys: 'w / s, + / −', does: 'Timeline: zoom in / out (when focused)' },
  { keys: 'a / d, ← / →', does: 'Timeline: pan (when focused)' },
  { keys: '0', does: 'Timeline: fit the whole trace (when focused)' },
  { keys: 'wheel, drag, double-click', does: 'Timeline: zoom at the pointer, pan, fit' },
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Space and Enter belong to a focused control (they press it), not to the page. */
const CONTROLS =
  'button, a[href], summary, [role="button"], [role="radio"], [role="option"], [role="treeitem"], [role="tab"]';

/** Installs the global shortcuts while the debugger is shown. */
export function useShortcuts(store: StoreApi<AppState>, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === ' ' && e.target instanceof HTMLElement && e.target.closest(CONTROLS)) return;
      const hit = SHORTCUTS.find((s) => s.match?.(e));
      if (!hit?.run) return;
      e.preventDefault();
      hit.run(store.getState());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, enabled]);
}
