/**
 * The playback bar: run, pause, step (one scheduling decision), step back, reset, run until (the
 * next message, the next state change, or a breakpoint on an event kind), the speed on a log
 * scale, and a scrubber over the history of decisions. When paused in the inline runtime it lists
 * what could run next, so the user can be the scheduler (DSLabs).
 */
import { useState } from 'react';
import { KINDS } from '../../../core';
import type { RunUntil } from '../../debug/DebugSession';
import { formatNs } from '../../format';
import { useAppStore } from '../../store/appStore';

/** Speed slider positions: 10^(pos/10) virtual µs per host ms; the last position is "max". */
const SPEED_MIN = -20;
const SPEED_MAX = 40;
const speedOf = (pos: number): number | 'max' => (pos > SPEED_MAX ? 'max' : Math.pow(10, pos / 10));
const posOf = (speed: number | 'max'): number =>
  speed === 'max' ? SPEED_MAX + 1 : Math.round(10 * Math.log10(Math.max(1e-3, speed)));

export function speedLabel(speed: number | 'max'): string {
  if (speed === 'max') return 'max';
  const v = speed >= 10 ? speed.toFixed(0) : speed >= 1 ? speed.toFixed(1) : speed.toPrecision(2);
  return `${v} µs/ms`;
}

const UNTIL: readonly { id: string; label: string; until: RunUntil }[] = [
  { id: 'message', label: 'next message', until: { kind: 'message' } },
  { id: 'state', label: 'next state change', until: { kind: 'state' } },
  ...KINDS.filter((k) => k !== 'decision').map((k) => ({
    id: `kind:${k}`,
    label: `breakpoint: ${k}`,
    until: { kind: 'event', eventKind: k } as const,
  })),
];

export function PlaybackBar() {
  const session = useAppStore((s) => s.session);
  const view = useAppStore((s) => s.runView);
  const frame = useAppStore((s) => s.frame);
  const notice = useAppStore((s) => s.runNotice);
  const start = useAppStore((s) => s.runStart);
  const pause = useAppStore((s) => s.runPause);
  const step = useAppStore((s) => s.runStep);
  const stepBack = useAppStore((s) => s.runStepBack);
  const reset = useAppStore((s) => s.runReset);
  const runUntil = useAppStore((s) => s.runUntil);
  const seekStep = useAppStore((s) => s.seekStep);
  const setSpeed = useAppStore((s) => s.setSpeed);
  const pickNext = useAppStore((s) => s.pickNext);
  const setHelpOpen = useAppStore((s) => s.setHelpOpen);
  const [untilId, setUntilId] = useState('message');
  const status = view?.status ?? 'paused';
  const running = status === 'running';
  const travel = session?.travelRefusal ?? null;
  const speed = session?.speed ?? 'max';
  const choices = frame?.choices ?? [];

  return (
    <div className="playback" role="toolbar" aria-label="Playback">
      <div className="pb-row">
        <button
          type="button"
          className="pb-main"
          aria-label="Run"
          title="Run (space)"
          onClick={start}
          disabled={running || status === 'finished'}
        >
          <span aria-hidden="true">▶</span> Run
        </button>
        <button type="button" aria-label="Pause" title="Pause (space)" onClick={pause} disabled={!running}>
          <span aria-hidden="true">❚❚</span> Pause
        </button>
        <button type="button" onClick={step} disabled={status === 'finished'} title="One scheduling decision (.)">
          Step
        </button>
        <button
          type="button"
          onClick={stepBack}
          disabled={travel !== null || (frame?.step ?? 0) === 0}
          title={travel ?? 'Back one decision (,)'}
        >
          Step back
        </button>
        <button type="button" onClick={reset} title="Back to the scenario's start (r)">
          Reset
        </button>
        <span className="pb-sep" />
        <label>
          <span className="sr-only">Run until what</span>
          <select aria-label="Run until what" value={untilId} onChange={(e) => setUntilId(e.target.value)}>
            {UNTIL.map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={travel !== null || status === 'finished'}
          title={travel ?? 'Run until it happens (n: next message)'}
          onClick={() => {
            const u = UNTIL.find((x) => x.id === untilId);
            if (u) runUntil(u.until);
          }}
        >
          Run until
        </button>
        <span className="pb-sep" />
        <label className="pb-speed" title="Virtual time per host millisecond (inline runtime)">
          Speed
          <input
            type="range"
            aria-label="Speed"
            aria-valuetext={speedLabel(speed)}
            min={SPEED_MIN}
            max={SPEED_MAX + 1}
            step={1}
            value={posOf(speed)}
            disabled={travel !== null}
            onChange={(e) => setSpeed(speedOf(Number(e.target.value)))}
          />
          <output>{speedLabel(speed)}</output>
        </label>
        <span className="pb-readout" data-testid="playback-readout">
          <span className={`pb-status ${status}`}>{status}</span>
          {frame?.step !== null && frame?.step !== undefined && (
            <span>
              decision <strong>{frame.step}</strong>
              {frame.horizon !== null && frame.horizon > frame.step ? ` of ${frame.horizon}` : ''}
            </span>
          )}
          <span>{formatNs(frame?.cursorTimeNs ?? 0)}</span>
          <span>{frame?.length ?? 0} events</span>
        </span>
        <button type="button" className="pb-help" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
          ?
        </button>
      </div>
      <div className="pb-row">
        <label className="pb-scrub" title={travel ?? 'Scrub through the decisions of this branch'}>
          History
          <input
            type="range"
            aria-label="History"
            min={0}
            max={Math.max(0, frame?.horizon ?? 0)}
            value={frame?.step ?? 0}
            disabled={travel !== null || running}
            onChange={(e) => seekStep(Number(e.target.value))}
          />
        </label>
        <div className="pb-choices" role="group" aria-label="Next decision">
          {travel !== null ? (
            <span className="pb-dim">{session?.mode === 'workers' ? 'worker threads schedule themselves' : ''}</span>
          ) : running ? (
            <span className="pb-dim">running…</span>
          ) : choices.length === 0 ? (
            <span className="pb-dim">nothing can run: the run is idle</span>
          ) : (
            <>
              <span className="pb-dim">Next decision:</span>
              {choices.map((c) => (
                <button
                  key={c.pick}
                  type="button"
                  className="pb-choice"
                  aria-label={`Run next ${c.pick}: ${c.ran}`}
                  onClick={() => pickNext(c.pick)}
                >
                  {c.pick} · {c.ran}
                </button>
              ))}
            </>
          )}
        </div>
      </div>
      {notice && (
        <p className="pb-notice" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}
