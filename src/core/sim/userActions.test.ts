import { describe, expect, it } from 'vitest';
import { buildWorld } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { icmsgScenario } from '../scenario/presets/icmsg';
import { applyUserAction, type UserAction } from '../scenario/userAction';
import { Timeline } from './Timeline';

/** Two cores bind over ICMsg 1.1; the application endpoint sends only what the user tells it. */
function world() {
  const parsed = parseScenario(
    icmsgScenario({
      unbound: 'enable',
      dcacheAlignment: 8,
      regionSize: 256,
      app: { kind: 'manual' },
      rad: { kind: 'echo' },
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  const w = built.value;
  const timeline = new Timeline<UserAction>(w.sim, { snapshotEvery: 7, apply: (a) => applyUserAction(w, a) });
  return { w, timeline };
}

const hello: UserAction = { kind: 'send', endpoint: 'cpuapp/ipc0/ep0', data: [0x68, 0x69] };
/** The recorded events after the cursor, as text. */
const futureOf = (t: Timeline<UserAction>) => {
  const log = t.sim.trace;
  return JSON.stringify(Array.from({ length: log.recorded - log.length }, (_, k) => log.recordedEvent(log.length + k)));
};
const traceOf = (t: Timeline<UserAction>) => JSON.stringify(t.sim.trace.events);
const echoes = (t: Timeline<UserAction>) =>
  t.sim.trace.events.filter((e) => e.kind === 'callback' && e.callback === 'received' && e.domain === 'cpuapp').length;

describe('user actions on the timeline', () => {
  it('a message sent by hand after the bind comes back from the echo side', () => {
    const { timeline } = world();
    expect(timeline.run()).toBe('idle');
    expect(timeline.inject(hello)).toEqual({ ok: true, value: timeline.step });
    expect(timeline.run()).toBe('idle');
    expect(echoes(timeline)).toBe(1);
    expect(timeline.sim.trace.events.some((e) => e.kind === 'note' && e.text.startsWith('user: send 2 bytes'))).toBe(
      true,
    );
  });

  it('a seek back before the send and forward again replays the send at the same decision', () => {
    const { timeline } = world();
    timeline.run();
    const at = timeline.step;
    timeline.inject(hello);
    timeline.run();
    const end = timeline.step;
    const original = traceOf(timeline);
    expect(timeline.seek(at - 3).ok).toBe(true);
    expect(echoes(timeline)).toBe(0);
    expect(timeline.seek(end).ok).toBe(true);
    expect(traceOf(timeline)).toBe(original);
    expect(timeline.recordedActions).toEqual([{ step: at, action: hello }]);
  });

  it('an action taken in the past forgets the old future, actions after it included', () => {
    const { timeline } = world();
    timeline.run();
    const late = timeline.step;
    timeline.inject(hello);
    timeline.run();
    timeline.seek(late - 2);
    const other: UserAction = { ...hello, data: [1, 2, 3] };
    timeline.inject(other);
    expect(timeline.end).toBe(late - 2);
    expect(timeline.recordedActions).toEqual([{ step: late - 2, action: other }]);
    timeline.run();
    expect(echoes(timeline)).toBe(1);
  });

  it('a timeline without an apply function refuses actions', () => {
    const { w } = world();
    expect(new Timeline<UserAction>(w.sim).inject(hello)).toEqual({
      ok: false,
      error: 'this timeline takes no user actions',
    });
  });

  it('lists what each domain would run next, and leaves the run and its recorded future untouched', () => {
    const { timeline } = world();
    timeline.run({ maxSteps: 12 });
    const end = timeline.step;
    timeline.seek(4);
    const before = JSON.stringify(timeline.sim.snapshot().memory);
    const futureBefore = futureOf(timeline);
    const choices = timeline.nextChoices();
    expect(choices.length).toBeGreaterThan(0);
    for (const c of choices) expect(c.ran).toMatch(/^(irq|work|task):/);
    expect(JSON.stringify(timeline.sim.snapshot().memory)).toBe(before);
    expect(futureOf(timeline)).toBe(futureBefore);
    expect(timeline.sim.trace.recorded).toBeGreaterThan(timeline.sim.trace.length);
    expect(timeline.step).toBe(4);
    expect(timeline.end).toBe(end);
  });
});

describe('forcing a decision', () => {
  it('forcing the pick the scheduler makes anyway leaves the whole run unchanged', () => {
    // A stream and its echo keep both cores busy, so decisions have several candidates.
    const parsed = parseScenario(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 8,
        regionSize: 256,
        app: { kind: 'stream', size: { min: 4, max: 40 }, count: 40 },
        rad: { kind: 'echo' },
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const built = buildWorld(parsed.value);
    if (!built.ok) throw new Error(JSON.stringify(built.error));
    const sim = built.value.sim;
    const timeline = new Timeline(sim, { snapshotEvery: 16 });
    timeline.run();
    const original = JSON.stringify(sim.trace.events);
    const contested = sim.decisions.find((d) => d.step > 20 && d.candidates.length > 1);
    if (!contested) throw new Error('no decision with two candidates');
    expect(timeline.fork(contested.step, contested.pick).ok).toBe(true);
    timeline.run();
    expect(JSON.stringify(sim.trace.events)).toBe(original);
  });
});
