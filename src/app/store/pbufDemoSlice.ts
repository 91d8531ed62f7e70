import type { StateCreator } from 'zustand';
import { DEFAULT_DEMO_CONFIG, type DemoConfig, DemoSession } from '../panels/PbufDemo/session';
import type { AppState } from './appStore';

/**
 * View state of the pbuf demo. The session (the two cores over shared memory) is mutable; the
 * slice bumps `revision` after every call so views re-read memory.
 */
export interface PbufDemoSlice {
  demoConfig: DemoConfig;
  demoSession: DemoSession | null;
  demoConfigProblems: readonly string[];
  demoRevision: number;
  demoLastRead: Uint8Array | null;
  /** Packet under the pointer in any view (its `seq`), shared by the ring and the hex pane. */
  demoHoveredPacket: number | null;
  demoReset: (config: DemoConfig) => void;
  demoWrite: (payload: Uint8Array) => void;
  demoRead: (capacity: number) => void;
  demoPeek: () => void;
  demoInitialBuf: () => void;
  demoHover: (seq: number | null) => void;
}

export const createPbufDemoSlice: StateCreator<AppState, [], [], PbufDemoSlice> = (set, get) => {
  const touched = (extra: Partial<PbufDemoSlice> = {}) => set((s) => ({ demoRevision: s.demoRevision + 1, ...extra }));
  return {
    demoConfig: DEFAULT_DEMO_CONFIG,
    demoSession: null,
    demoConfigProblems: [],
    demoRevision: 0,
    demoLastRead: null,
    demoHoveredPacket: null,
    demoReset: (config) => {
      const status = get().sharedMemory;
      const shared = status !== 'probing' && status.kind === 'shared';
      const created = DemoSession.create(config, shared);
      if (created.ok) {
        touched({
          demoConfig: config,
          demoSession: created.value,
          demoConfigProblems: [],
          demoLastRead: null,
          demoHoveredPacket: null,
        });
      } else {
        // Keep the running session: a bad configuration loses nothing.
        set({ demoConfigProblems: created.error });
      }
    },
    demoWrite: (payload) => {
      get().demoSession?.write(payload);
      touched();
    },
    demoRead: (capacity) => {
      const session = get().demoSession;
      if (!session) return;
      const { bytes } = session.read(capacity);
      touched({ demoLastRead: bytes });
    },
    demoPeek: () => {
      get().demoSession?.peek();
      touched();
    },
    demoInitialBuf: () => {
      get().demoSession?.getInitialBuf();
      touched();
    },
    demoHover: (seq) => set({ demoHoveredPacket: seq }),
  };
};
