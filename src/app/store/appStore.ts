/**
 * One vanilla Zustand store built from slices (DESIGN.md §5). It holds view state; behaviour lives
 * in core and runtime. React reads it through `useAppStore`.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createIsolationSlice, type IsolationSlice } from './isolationSlice';
import { createPbufDemoSlice, type PbufDemoSlice } from './pbufDemoSlice';
import { createRunSlice, type RunSlice } from './runSlice';
import { createSelectionSlice, type SelectionSlice } from './selectionSlice';
import { createViewSlice, type ViewSlice } from './viewSlice';

export type AppState = IsolationSlice & PbufDemoSlice & RunSlice & SelectionSlice & ViewSlice;

export function createAppStore(): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createIsolationSlice(...a),
    ...createPbufDemoSlice(...a),
    ...createRunSlice(...a),
    ...createSelectionSlice(...a),
    ...createViewSlice(...a),
  }));
}

export const appStore = createAppStore();

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
