/**
 * Hooks for end-to-end tests, installed only under `?testing=1`, so tests wait on real conditions
 * (`waitForIdle`) and read real state, never sleep (DESIGN.md §5).
 */
import type { StoreApi } from 'zustand/vanilla';
import { toHex } from '../../core';
import type { SharedMemoryStatus } from '../../runtime';
import type { RunView } from '../run/RunController';
import type { AppState } from '../store/appStore';

export interface TestingHooks {
  /** Resolves once start-up work (the shared-memory probe) has finished. */
  waitForIdle(): Promise<void>;
  sharedMemory(): SharedMemoryStatus | 'probing';
  /** The pbuf demo's whole region as hex, read straight from shared memory. */
  demoRegionHex(): string | null;
  /** Whether the demo's memory is a SharedArrayBuffer. */
  demoMemoryIsShared(): boolean | null;
  /** Runs the two-worker shared-memory check again and reports what the reader worker saw. */
  probeAgain(): Promise<SharedMemoryStatus>;
  /** The current scenario run as the run panel shows it. */
  run(): RunView | null;
}

declare global {
  interface Window {
    __ipcScope?: TestingHooks;
  }
}

export function installTestingHooks(
  store: StoreApi<AppState>,
  probed: Promise<SharedMemoryStatus>,
  probeAgain: () => Promise<SharedMemoryStatus>,
): void {
  window.__ipcScope = {
    waitForIdle: async () => {
      await probed;
    },
    sharedMemory: () => store.getState().sharedMemory,
    demoRegionHex: () => {
      const session = store.getState().demoSession;
      if (!session) return null;
      return toHex(session.pair.map.bytes.subarray(0, session.config.regionSize));
    },
    demoMemoryIsShared: () => store.getState().demoSession?.pair.map.isShared ?? null,
    probeAgain,
    run: () => store.getState().runView,
  };
}
