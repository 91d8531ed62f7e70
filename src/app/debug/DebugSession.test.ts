import { describe, expect, it } from 'vitest';
import { ICMSG_HELLO, icmsgScenario, type ScenarioInput } from '../../core';
import { DebugSession } from './DebugSession';
import { Deriver } from './derive';

/** Slices the runtime asked to run, run by `drain`. */
const ticks: (() => void)[] = [];
const queue = (tick: () => void) => {
  ticks.push(tick);
  return () => {
    const i = ticks.indexOf(tick);
    if (i >= 0) ticks.splice(i, 1);
  };
};

function session(input: ScenarioInput = ICMSG_HELLO): DebugSession {
  const created = DebugSession.create(input, queue);
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

/** Steps until the session stops making decisions. */
function runToEnd(s: DebugSession): void {
  const rt = s.inline;
  if (!rt) throw new Error('inline only');
  rt.runUntil(() => false, { maxSteps: 100_000 });
  s.sync();
}

/** Runs the runtime's pending slices (it was built with a ticker that queues them here). */
function drain(s: DebugSession): void {
  for (let i = 0; i < 10_000 && s.inline?.status === 'running'; i++) {
    const tick = ticks.shift();
    if (!tick) break;
    tick();
  }
}

const stateAt = (s: DebugSession, instance: string) => new Deriver().at(s.table, s.cursor).instanceState.get(instance);

describe('a debug session on the inline runtime', () => {
  it('holds the whole recorded branch, and its cursor is the runtime present', () => {
    const s = session();
    runToEnd(s);
    const total = s.table.length;
    expect(s.cursor).toBe(total);
    expect(stateAt(s, 'cpuapp/ipc0')).toBe('CONNECTED_SID_ENABLED');
    expect(s.stepBack(5).ok).toBe(true);
    s.sync();
    expect(s.table.length).toBe(total);
    expect(s.cursor).toBeLessThan(total);
  });

  it('moves the cursor to just after an event: the state is the one that event left', () => {
    const s = session();
    runToEnd(s);
    const bind = [...Array(s.table.length).keys()].find((i) => {
      const e = s.table.event(i);
      return e?.kind === 'transition' && e.domain === 'cpuapp' && e.to === 'CONNECTED_SID_ENABLED';
    });
    expect(bind).toBeDefined();
    expect(s.seekEvent(bind ?? 0).ok).toBe(true);
    s.sync();
    expect(s.cursor).toBeGreaterThan(bind ?? 0);
    expect(stateAt(s, 'cpuapp/ipc0')).toBe('CONNECTED_SID_ENABLED');
    expect(s.stepBack().ok).toBe(true);
    s.sync();
    expect(stateAt(s, 'cpuapp/ipc0')).toBe('INITIALIZING_SID_ENABLED');
  });

  it('runs until the next state change, and says so when the run goes idle first', () => {
    const s = session();
    const outcomes: string[] = [];
    expect(s.runUntil({ kind: 'state' }, (o) => outcomes.push(o)).ok).toBe(true);
    drain(s);
    expect(outcomes).toEqual(['until']);
    s.sync();
    // It stops at the end of the decision that made the transition.
    const lastDecision = [...Array(s.cursor).keys()].reverse().find((i) => s.table.event(i)?.kind === 'decision') ?? 0;
    const kinds = [...Array(s.cursor - lastDecision).keys()].map((k) => s.table.event(lastDecision + k)?.kind);
    expect(kinds).toContain('transition');
    const earlier = [...Array(lastDecision).keys()].map((i) => s.table.event(i)?.kind);
    expect(earlier).not.toContain('transition');
    expect(s.runUntil({ kind: 'event', eventKind: 'assert' }, (o) => outcomes.push(o)).ok).toBe(true);
    drain(s);
    expect(outcomes).toEqual(['until', 'idle']);
    expect(s.runUntil({ kind: 'state' }, (o) => outcomes.push(o))).toEqual({
      ok: false,
      error: 'the run is finished: nothing more will happen',
    });
  });

  it('a send by hand in the past forgets the recorded future and is echoed in the new one', () => {
    const s = session();
    runToEnd(s);
    const before = s.table.length;
    expect(s.seekStep(20).ok).toBe(true);
    s.sync();
    const at = s.cursor;
    expect(s.act({ kind: 'send', endpoint: 'cpuapp/ipc0/ep0', data: [0x68, 0x69] }).ok).toBe(true);
    expect(s.table.length).toBe(at + 1); // the future is gone; the user's note is the newest event
    expect(s.table.event(at)).toMatchObject({ kind: 'note', domain: 'cpuapp' });
    runToEnd(s);
    const echoed = [...Array(s.table.length).keys()]
      .map((i) => s.table.event(i))
      .filter((e) => e?.kind === 'callback' && e.callback === 'received' && e.length === 2);
    expect(echoed.map((e) => e?.domain)).toEqual(['cpurad', 'cpuapp']);
    expect(s.table.length).not.toBe(before);
  });

  it('lets the user pick what runs next among what could run', () => {
    // Two busy cores (a stream and its echo) often compete for the same instant.
    const s = session(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 8,
        regionSize: 256,
        app: { kind: 'stream', size: 16, count: 50 },
        rad: { kind: 'echo' },
      }),
    );
    let choices = s.choices();
    // Step until two domains compete for the same instant.
    for (let i = 0; i < 200 && choices.length < 2; i++) {
      s.step();
      choices = s.choices();
    }
    expect(choices.length).toBeGreaterThanOrEqual(2);
    const other = choices[1];
    if (!other) throw new Error('no second choice');
    expect(s.pick(other.pick).ok).toBe(true);
    const last = s.table.event(s.table.length - 1);
    const decision = [...Array(s.table.length).keys()]
      .map((i) => s.table.event(i))
      .filter((e) => e?.kind === 'decision')
      .at(-1);
    expect(decision).toMatchObject({ pick: other.pick, ran: other.ran });
    expect(last).not.toMatchObject({ kind: 'decision' });
  });

  it('picking what the recorded future picks anyway steps along the branch and keeps its future', () => {
    const s = session();
    runToEnd(s);
    const horizon = s.horizon;
    const length = s.table.length;
    expect(s.seekStep(10).ok).toBe(true);
    s.sync();
    const next = [...Array(s.table.length - s.cursor).keys()]
      .map((k) => s.table.event(s.cursor + k))
      .find((e) => e?.kind === 'decision');
    if (next?.kind !== 'decision') throw new Error('no recorded decision');
    expect(s.pick(next.pick).ok).toBe(true);
    expect(s.decisions).toBe(11);
    expect(s.horizon).toBe(horizon);
    expect(s.table.length).toBe(length);
  });

  it('refuses a scenario that does not validate, naming the problem', () => {
    const created = DebugSession.create({ ...ICMSG_HELLO, seed: -1 });
    expect(created.ok).toBe(false);
  });
});
