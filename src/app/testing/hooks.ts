/**
 * Hooks for end-to-end tests, installed only under `?testing=1`, so tests wait on real conditions
 * (`waitForIdle`) and read real state, never sleep (DESIGN.md §5).
 */
import type { StoreApi } from 'zustand/vanilla';
import { toHex, type TraceEvent } from '../../core';
import type { SharedMemoryStatus } from '../../runtime';
import { derivedAt } from '../debug/useDerived';
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
  /** The debugger at the time cursor: what topology, statechart and playback show. */
  debug(): DebugState | null;
  /** The trace events of one kind held by the debugger, with their table index. */
  events(kind: string): (TraceEvent & { readonly index: number })[];
  /** Resolves when `instance` (`domain/node`) is in `state` at the cursor, or rejects after `timeoutMs`. */
  waitForState(instance: string, state: string, timeoutMs?: number): Promise<void>;
}

export interface DebugState {
  readonly mode: 'inline' | 'workers';
  readonly status: string;
  readonly step: number | null;
  readonly horizon: number | null;
  readonly cursor: number;
  readonly events: number;
  readonly cursorTimeNs: number;
  /** By instance key: the handshake state at the cursor. */
  readonly instances: Record<string, string>;
  /** By endpoint key: bound / unbound / registered. */
  readonly endpoints: Record<string, string>;
  readonly selection: unknown;
  /** The open scenario's name and seed. */
  readonly scenario: string;
  readonly seed: number;
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
    debug: () => debugState(store),
    events: (kind) => {
      const session = store.getState().session;
      if (!session) return [];
      const out: (TraceEvent & { index: number })[] = [];
      for (let i = 0; i < session.table.length; i++) {
        const e = session.table.event(i);
        if (e?.kind === kind) out.push({ ...e, index: i });
      }
      return out;
    },
    waitForState: (instance, state, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const started = performance.now();
        const poll = () => {
          if (debugState(store)?.instances[instance] === state) resolve();
          else if (performance.now() - started > timeoutMs) reject(new Error(`${instance} never reached ${state}`));
          else requestAnimationFrame(poll);
        };
        poll();
      }),
  };
}

function debugState(store: StoreApi<AppState>): DebugState | null {
  const { session, runView, selection } = store.getState();
  if (!session) return null;
  session.sync();
  const derived = derivedAt(session);
  return {
    mode: session.mode,
    status: runView?.status ?? 'paused',
    step: session.decisions,
    horizon: session.horizon,
    cursor: session.cursor,
    events: session.table.length,
    cursorTimeNs: session.cursorTimeNs,
    instances: Object.fromEntries(derived.instanceState),
    endpoints: Object.fromEntries([...derived.endpoints].map(([k, v]) => [k, v.state])),
    selection,
    scenario: session.scenario.name,
    seed: session.scenario.seed,
  };
}
