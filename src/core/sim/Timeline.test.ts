import { describe, expect, it } from 'vitest';
import { buildWorld } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { icmsgScenario } from '../scenario/presets/icmsg';
import type { ScenarioInput } from '../scenario/schema';
import { Timeline } from './Timeline';

const streaming = (seed: number): ScenarioInput =>
  icmsgScenario({
    seed,
    unbound: 'enable',
    dcacheAlignment: 8,
    regionSize: 256,
    app: { kind: 'stream', size: { min: 4, max: 60 }, count: 300 },
    rad: { kind: 'echo' },
  });

function timeline(input: ScenarioInput, snapshotEvery = 50) {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  return { world: built.value, timeline: new Timeline(built.value.sim, { snapshotEvery }) };
}

const traceOf = (t: Timeline) => JSON.stringify(t.sim.trace.events);

describe('deterministic replay', () => {
  it('gives identical traces for two runs of one scenario and seed', () => {
    const a = timeline(streaming(7));
    const b = timeline(streaming(7));
    expect(a.timeline.run()).toBe('idle');
    b.timeline.run();
    expect(a.timeline.step).toBeGreaterThan(1000);
    expect(traceOf(a.timeline)).toBe(traceOf(b.timeline));
  });

  it('gives another interleaving for another seed, and it is still valid', () => {
    const a = timeline(streaming(7));
    const b = timeline(streaming(8));
    a.timeline.run();
    b.timeline.run();
    const picks = (t: Timeline) => t.sim.decisions.map((d) => d.pick).join(',');
    expect(picks(a.timeline)).not.toBe(picks(b.timeline));
    for (const { world } of [a, b]) {
      expect(world.endpoints.get('cpuapp/ipc0/ep0')?.stats.inOrder).toBe(300);
    }
  });
});

describe('time travel', () => {
  it('steps back to any decision and replays forward to the same trace and memory', () => {
    const { timeline: t } = timeline(streaming(3), 40);
    t.run({ maxSteps: 1000 });
    const trace = traceOf(t);
    const memory = t.sim.map.bytes.slice();
    const events = t.sim.trace.length;
    expect(t.stepBack(517).ok).toBe(true);
    expect(t.step).toBe(483);
    expect(t.sim.trace.length).toBeLessThan(events);
    expect(t.seek(1000).ok).toBe(true);
    expect(traceOf(t)).toBe(trace);
    expect(t.sim.map.bytes).toEqual(memory);
  });

  it('forks: a different pick at a past decision gives a new future, and seeks replay the new branch', () => {
    const { timeline: t } = timeline(streaming(5), 25);
    t.run({ maxSteps: 600 });
    // Find a decision where both cores could run, and take the other one.
    const contested = t.sim.decisions.find((d) => d.step > 100 && d.candidates.length > 1);
    expect(contested).toBeDefined();
    if (!contested) return;
    const other = contested.candidates.find((c) => c !== contested.pick) as string;
    const forked = t.fork(contested.step, other);
    expect(forked.ok).toBe(true);
    expect(t.sim.decisions[contested.step]?.pick).toBe(other);
    t.run({ maxSteps: 300 });
    const branch = traceOf(t);
    const at = t.step;
    t.seek(contested.step - 10);
    t.seek(at);
    expect(traceOf(t)).toBe(branch);
    expect(t.forced).toEqual([{ step: contested.step, pick: other }]);
  });

  it('refuses a fork to a domain that could not run then', () => {
    const { timeline: t } = timeline(streaming(5));
    t.run({ maxSteps: 50 });
    const forked = t.fork(10, 'cpu-none');
    expect(forked.ok).toBe(false);
  });

  it('replays a forked branch from a scenario that records the forced decision', () => {
    const a = timeline(streaming(11), 30);
    a.timeline.run({ maxSteps: 400 });
    const contested = a.timeline.sim.decisions.find((d) => d.step > 50 && d.candidates.length > 1);
    if (!contested) throw new Error('no contested decision');
    const other = contested.candidates.find((c) => c !== contested.pick) as string;
    a.timeline.fork(contested.step, other);
    a.timeline.run({ maxSteps: 200 });
    const b = timeline({ ...streaming(11), decisions: [...a.timeline.forced] });
    b.timeline.run({ maxSteps: a.timeline.step });
    expect(traceOf(b.timeline)).toBe(traceOf(a.timeline));
  });
});
