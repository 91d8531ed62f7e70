import type { StateCreator } from 'zustand';
import type { ConfigIssue, ScenarioInput, UserAction } from '../../core';
import { type Choice, DebugSession, type RunUntil } from '../debug/DebugSession';
import { DEMO_SCENARIO } from '../debug/demos';
import type { RunView, RuntimeMode } from '../run/RunController';
import type { AppState } from './appStore';

export type Tracing = 'full' | 'sampled' | 'counters';

/** The debugger's present, refreshed every frame the session changed: what views subscribe to. */
export interface DebugFrame {
  /** Bumps on every change of the trace or the cursor. */
  readonly revision: number;
  readonly cursor: number;
  readonly cursorTimeNs: number;
  readonly length: number;
  readonly step: number | null;
  readonly horizon: number | null;
  /** What could run next (the user as the scheduler): inline and paused only. */
  readonly choices: readonly Choice[];
}

/**
 * The scenario being run and the run itself (a DebugSession). The runtime is chosen per scenario
 * and recorded in it (`runtime.mode`); changing it starts a fresh run on the other runtime.
 */
export interface RunSlice {
  scenario: ScenarioInput;
  session: DebugSession | null;
  runView: RunView | null;
  frame: DebugFrame | null;
  runProblems: readonly ConfigIssue[];
  /** What the last command could not do (time travel on workers, a run-until limit…). */
  runNotice: string | null;
  /** About the share link the page was opened with: a notice (another app version) or why it failed. */
  linkMessage: { readonly kind: 'notice' | 'error'; readonly text: string } | null;
  setLinkMessage: (message: { readonly kind: 'notice' | 'error'; readonly text: string } | null) => void;
  openScenario: (scenario: ScenarioInput) => void;
  setRuntimeMode: (mode: RuntimeMode) => void;
  /** What the worker runtime records (the inline runtime always records everything). */
  setTracing: (tracing: Tracing) => void;
  setSpeed: (speed: number | 'max') => void;
  runStart: () => void;
  runPause: () => void;
  runStep: () => void;
  runStepBack: () => void;
  runUntil: (until: RunUntil) => void;
  runReset: () => void;
  /** Moves the time cursor just after the event at table index `index`. */
  seekEvent: (index: number) => void;
  seekStep: (step: number) => void;
  /** Goes to decision `step`, running forward to it if needed (a deep link). */
  goToStep: (step: number) => void;
  /** The user as the scheduler: the next decision runs `domain`. */
  pickNext: (domain: string) => void;
  act: (action: UserAction) => void;
}

export const createRunSlice: StateCreator<AppState, [], [], RunSlice> = (set, get) => {
  let session: DebugSession | null = null;
  let frameId = 0;
  let revision = 0;

  const frameOf = (s: DebugSession): DebugFrame => ({
    revision,
    cursor: s.cursor,
    cursorTimeNs: s.cursorTimeNs,
    length: s.table.length,
    step: s.decisions,
    horizon: s.horizon,
    // Trial runs on snapshots: worked out once per frame that changed, never while drawing.
    choices: s.choices(),
  });
  /** What the last published frame showed: a change of either makes a new frame. */
  let shown = { revision: -1, cursor: -1, session: null as DebugSession | null };
  let shownView = '';
  const refresh = (force = false) => {
    if (!session) return;
    session.sync();
    const changed =
      force ||
      shown.session !== session ||
      shown.revision !== session.table.revision ||
      shown.cursor !== session.cursor;
    const view = session.controller.view();
    // The figures are a fresh object each frame: publish them only when they differ, or every
    // panel that reads them would draw again at 60 frames a second for nothing.
    const viewText = JSON.stringify(view);
    const viewChanged = viewText !== shownView;
    shownView = viewText;
    if (!changed) {
      if (viewChanged) set({ runView: view });
      return;
    }
    shown = { revision: session.table.revision, cursor: session.cursor, session };
    revision += 1;
    set({ runView: view, frame: frameOf(session) });
  };
  const watch = () => {
    cancelAnimationFrame(frameId);
    const loop = () => {
      refresh();
      if (session) frameId = requestAnimationFrame(loop);
    };
    frameId = requestAnimationFrame(loop);
  };
  const open = (scenario: ScenarioInput) => {
    session?.dispose();
    session = null;
    const created = DebugSession.create(scenario);
    if (!created.ok) {
      set({ scenario, session: null, runView: null, frame: null, runProblems: created.error, runNotice: null });
      return;
    }
    session = created.value;
    revision += 1;
    set({
      scenario,
      session,
      runProblems: [],
      runNotice: null,
      runView: session.controller.view(),
      frame: frameOf(session),
      selection: null,
      hover: null,
      viewport: null,
    });
    watch();
  };
  /** Runs a command on the session and shows what it refused, if anything. */
  const command = (run: (s: DebugSession) => string | null) => {
    if (!session) open(get().scenario);
    if (!session) return;
    set({ runNotice: run(session) });
    refresh(true);
  };

  return {
    scenario: DEMO_SCENARIO,
    session: null,
    runView: null,
    frame: null,
    runProblems: [],
    runNotice: null,
    linkMessage: null,
    setLinkMessage: (linkMessage) => set({ linkMessage }),
    openScenario: (scenario) => open(scenario),
    setRuntimeMode: (mode) => {
      const current = get().scenario;
      open({ ...current, runtime: { ...current.runtime, mode } });
    },
    setTracing: (tracing) => {
      const current = get().scenario;
      open({ ...current, runtime: { ...current.runtime, tracing } });
    },
    setSpeed: (speed) => command((s) => ((s.speed = speed), null)),
    runStart: () => command((s) => (s.start(), null)),
    runPause: () => command((s) => (s.pause(), null)),
    runStep: () => command((s) => (s.step(), null)),
    runStepBack: () =>
      command((s) => {
        const back = s.stepBack();
        return back.ok ? null : back.error;
      }),
    runUntil: (until) =>
      command((s) => {
        const started = s.runUntil(until, (outcome) => {
          if (outcome === 'idle') set({ runNotice: 'the run finished before that happened' });
        });
        return started.ok ? null : started.error;
      }),
    runReset: () => {
      if (session) command((s) => (s.reset(), null));
      else open(get().scenario);
    },
    seekEvent: (index) =>
      command((s) => {
        const moved = s.seekEvent(index);
        return moved.ok ? null : moved.error;
      }),
    goToStep: (step) =>
      command((s) => {
        const moved = s.goToStep(step);
        return moved.ok ? null : moved.error;
      }),
    seekStep: (step) =>
      command((s) => {
        const moved = s.seekStep(step);
        return moved.ok ? null : moved.error;
      }),
    pickNext: (domain) =>
      command((s) => {
        const picked = s.pick(domain);
        return picked.ok ? null : picked.error;
      }),
    act: (action) =>
      command((s) => {
        const done = s.act(action);
        return done.ok ? null : done.error;
      }),
  };
};
