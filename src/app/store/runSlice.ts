import type { StateCreator } from 'zustand';
import { type ConfigIssue, icmsgScenario, type ScenarioInput } from '../../core';
import { RunController, type RunView, type RuntimeMode } from '../run/RunController';
import type { AppState } from './appStore';

export type Tracing = 'full' | 'sampled' | 'counters';

/**
 * The two-core ICMsg echo demo: the application core pings, the radio core echoes. Each ping
 * waits for its echo (one in flight), so every message arrives on either runtime however the host
 * schedules the worker threads.
 */
export const DEMO_SCENARIO: ScenarioInput = icmsgScenario({
  name: 'Two-core ICMsg echo (unbound = enable)',
  unbound: 'enable',
  dcacheAlignment: 32,
  app: { kind: 'pingpong', size: 32, count: 500, pauseUs: 50 },
  rad: { kind: 'echo' },
  radBootAtUs: 120,
  runtime: { mode: 'inline' },
});

/**
 * The scenario being run and the run itself. The runtime is chosen per scenario and recorded in
 * it (`runtime.mode`); changing it starts a fresh run on the other runtime.
 */
export interface RunSlice {
  scenario: ScenarioInput;
  runView: RunView | null;
  runProblems: readonly ConfigIssue[];
  setRuntimeMode: (mode: RuntimeMode) => void;
  /** What the worker runtime records (the inline runtime always records everything). */
  setTracing: (tracing: Tracing) => void;
  runStart: () => void;
  runPause: () => void;
  runStep: () => void;
  runReset: () => void;
}

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  let controller: RunController | null = null;
  let frame = 0;

  const refresh = () => {
    if (controller) set({ runView: controller.view() });
  };
  const watch = () => {
    cancelAnimationFrame(frame);
    const loop = () => {
      refresh();
      if (controller) frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
  };
  const open = (scenario: ScenarioInput) => {
    controller?.dispose();
    controller = null;
    const created = RunController.create(scenario);
    if (!created.ok) {
      set({ scenario, runView: null, runProblems: created.error });
      return;
    }
    controller = created.value;
    set({ scenario, runProblems: [], runView: controller.view() });
    watch();
  };
  const ensure = () => {
    if (!controller) open(get().scenario);
    return controller;
  };

  return {
    scenario: DEMO_SCENARIO,
    runView: null,
    runProblems: [],
    setRuntimeMode: (mode) => {
      const current = get().scenario;
      open({ ...current, runtime: { ...current.runtime, mode } });
    },
    setTracing: (tracing) => {
      const current = get().scenario;
      open({ ...current, runtime: { ...current.runtime, tracing } });
    },
    runStart: () => {
      ensure()?.api.start();
      refresh();
    },
    runPause: () => {
      controller?.api.pause();
      refresh();
    },
    runStep: () => {
      ensure()?.api.step();
      refresh();
    },
    runReset: () => open(get().scenario),
  };
};
