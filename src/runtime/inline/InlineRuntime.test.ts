import { describe, expect, it } from 'vitest';
import { icmsgScenario, type TraceEvent } from '../../core';
import type { RuntimeUpdate } from '../Runtime';
import { InlineRuntime } from './InlineRuntime';

/** A ticker the test turns by hand, and a host clock that advances `msPerReading` per reading. */
function harness(speed: number | 'max' = 'max', msPerReading = 1) {
  const queue: (() => void)[] = [];
  let clock = 0;
  const created = InlineRuntime.create(
    icmsgScenario({
      unbound: 'enable',
      dcacheAlignment: 8,
      regionSize: 256,
      app: { kind: 'stream', size: 24, count: 200 },
      rad: { kind: 'sink' },
    }),
    {
      ticker: (cb) => {
        queue.push(cb);
        return () => queue.splice(queue.indexOf(cb), 1);
      },
      hostNow: () => (clock += msPerReading),
      sliceMs: 20,
      speed,
      snapshotEvery: 50,
    },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const runtime = created.value;
  const updates: RuntimeUpdate[] = [];
  const events: TraceEvent[] = [];
  runtime.subscribe((u) => {
    updates.push(u);
    if (u.rewoundTo !== null) events.length = u.rewoundTo;
    events.push(...u.events);
  });
  const turn = (times = 1) => {
    for (let i = 0; i < times && queue.length > 0; i++) queue.shift()?.();
  };
  return { runtime, updates, events, turn, queue };
}

describe('InlineRuntime', () => {
  it('runs in slices until the scenario goes idle, handing every trace event over once', () => {
    const { runtime, updates, events, turn, queue } = harness();
    runtime.start();
    while (queue.length > 0) turn();
    expect(runtime.status).toBe('finished');
    expect(updates.length).toBeGreaterThan(2);
    expect(events.map((e) => e.seq)).toEqual(runtime.sim.trace.events.map((e) => e.seq));
    expect(runtime.world.endpoints.get('cpurad/ipc0/ep0')?.stats.inOrder).toBe(200);
  });

  it('pauses, steps one decision at a time, and resumes', () => {
    const { runtime, turn } = harness();
    runtime.start();
    turn();
    runtime.pause();
    const at = runtime.sim.steps;
    turn(5);
    expect(runtime.sim.steps).toBe(at);
    runtime.step();
    runtime.step();
    expect(runtime.sim.steps).toBe(at + 2);
    expect(runtime.status).toBe('paused');
  });

  it('limits virtual time per slice at a set speed', () => {
    const { runtime, turn } = harness(10, 0.01); // 10 virtual µs per host ms, 20 ms slices: 200 µs each
    runtime.start();
    turn();
    expect(runtime.sim.now).toBeLessThanOrEqual(200_000);
    turn();
    expect(runtime.sim.now).toBeLessThanOrEqual(400_000);
    expect(runtime.sim.now).toBeGreaterThan(200_000);
  });

  it('steps back and tells subscribers which events are no longer valid', () => {
    const { runtime, events } = harness();
    runtime.runUntil((sim) => sim.steps >= 300);
    const seen = events.length;
    expect(runtime.stepBack(100).ok).toBe(true);
    expect(runtime.sim.steps).toBe(200);
    expect(events.length).toBe(runtime.sim.trace.length);
    expect(events.length).toBeLessThan(seen);
    expect(runtime.seek(300).ok).toBe(true);
    expect(events.length).toBe(seen);
    expect(events.map((e) => JSON.stringify(e))).toEqual(runtime.sim.trace.events.map((e) => JSON.stringify(e)));
  });

  it('resets to the start of the scenario', () => {
    const { runtime, events } = harness();
    runtime.runUntil((sim) => sim.steps >= 100);
    runtime.reset();
    expect(runtime.sim.steps).toBe(0);
    expect(events).toHaveLength(0);
  });

  it('reports a broken scenario instead of throwing', () => {
    expect(InlineRuntime.create({ version: 2 }).ok).toBe(false);
  });
});
