import type { StateCreator } from 'zustand';
import type { AppState } from './appStore';

/**
 * The one selection every view shares (DESIGN.md §5): selecting a message, a state or a byte in
 * any view highlights it in all of them. Events are named by their trace `seq` (stable when old
 * events are evicted), instances by `domain/node`, endpoints by `domain/node/name`, and bytes by
 * region name and offset from the region's first byte, libipc ports and tasks by name.
 */
export type Selection =
  | { readonly kind: 'event'; readonly seq: number }
  | { readonly kind: 'message'; readonly msgId: number }
  | { readonly kind: 'state'; readonly instance: string; readonly state: string }
  | { readonly kind: 'bytes'; readonly region: string; readonly offset: number; readonly length: number }
  | { readonly kind: 'instance'; readonly key: string }
  | { readonly kind: 'endpoint'; readonly key: string }
  | { readonly kind: 'domain'; readonly name: string }
  /** A libipc port, by its `port_name`. */
  | { readonly kind: 'port'; readonly name: string }
  /** A libipc task, by its name in the scenario. */
  | { readonly kind: 'task'; readonly name: string };

export interface SelectionSlice {
  selection: Selection | null;
  /** What the pointer is over, highlighted like the selection but lighter; null when nothing. */
  hover: Selection | null;
  select: (selection: Selection | null) => void;
  setHover: (hover: Selection | null) => void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selection: null,
  hover: null,
  select: (selection) => set({ selection }),
  setHover: (hover) => set({ hover }),
});

/** Two selections name the same thing. */
export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  if (a === null || b === null) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The message a selection points at, if any: a selected message, or an event that carries a
 * message id (a send, a packet, a `received()` callback). Views highlight it everywhere.
 */
export function selectedMessage(
  selection: Selection | null,
  table: { indexOfSeq(seq: number): number; readonly msgId: Float64Array } | null,
): number | null {
  if (!selection) return null;
  if (selection.kind === 'message') return selection.msgId;
  if (selection.kind === 'event' && table) {
    const i = table.indexOfSeq(selection.seq);
    const id = i >= 0 ? (table.msgId[i] ?? NaN) : NaN;
    return Number.isNaN(id) ? null : id;
  }
  return null;
}
