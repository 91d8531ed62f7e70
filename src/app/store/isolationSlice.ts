import type { StateCreator } from 'zustand';
import type { SharedMemoryStatus } from '../../runtime';
import type { AppState } from './appStore';

/** Whether this tab has real shared memory (see src/runtime/isolation.ts). */
export interface IsolationSlice {
  sharedMemory: SharedMemoryStatus | 'probing';
  bannerDismissed: boolean;
  setSharedMemory: (status: SharedMemoryStatus) => void;
  dismissBanner: () => void;
}

export const createIsolationSlice: StateCreator<AppState, [], [], IsolationSlice> = (set) => ({
  sharedMemory: 'probing',
  bannerDismissed: false,
  setSharedMemory: (status) => set({ sharedMemory: status }),
  dismissBanner: () => set({ bannerDismissed: true }),
});
