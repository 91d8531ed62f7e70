/**
 * libipc ports between worker threads: the queues, the mempool and the proto response buffer
 * live in the SharedArrayBuffer both cores map; queue words change under lock words
 * (Atomics.compareExchange) and a doorbell wakes the other core's waiting task. The same scenario
 * runs on the inline runtime for comparison of what must hold on both.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld, checkTrace, LIBIPC_TWO_CORES, parseScenario, type ScenarioInput, type TraceEvent } from '../core';
import { WorkerRuntime } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

type PortEvent = Extract<TraceEvent, { kind: 'port' }>;

const portEvents = (events: readonly (TraceEvent | undefined)[]): PortEvent[] =>
  events.filter((e): e is TraceEvent & PortEvent => e?.kind === 'port');

/** What must hold whichever runtime ran it: every report received once, in order; every proto answered. */
function expectComplete(events: readonly TraceEvent[]) {
  const ports = portEvents(events);
  const reports = ports.filter((e) => e.op === 'recv' && e.port === 'ui_port');
  expect(reports).toHaveLength(400);
  const sent = ports.filter((e) => e.op === 'send' && e.port === 'ui_port').map((e) => e.msgId);
  expect(reports.map((e) => e.msgId)).toEqual(sent);
  expect(ports.filter((e) => e.op === 'done' && e.task === 'nfc_task')).toHaveLength(20);
  expect(Math.max(...ports.filter((e) => e.op === 'send').map((e) => e.fill ?? 0))).toBeLessThanOrEqual(10);
}

describe('libipc ports across two cores', () => {
  it('inline: 400 reports and 20 proto round trips, nothing lost or leaked', () => {
    const parsed = parseScenario(LIBIPC_TWO_CORES);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const built = buildWorld(parsed.value);
    if (!built.ok) throw new Error(JSON.stringify(built.error));
    const w = built.value;
    expect(w.sim.run({ maxSteps: 200_000 })).toBe('idle');
    expectComplete(w.sim.trace.events);
    expect(checkTrace(w.scenario, w.sim.trace.events, w.sim.map.bytes)).toEqual([]);
  });

  it('workers: the same over real threads, with the queue and pool in shared memory', async () => {
    const input: ScenarioInput = { ...LIBIPC_TWO_CORES, runtime: { ...LIBIPC_TWO_CORES.runtime, mode: 'workers' } };
    const created = WorkerRuntime.create(input, { factory: nodeWorkerFactory, trace: 'full' });
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const rt = created.value;
    try {
      rt.start();
      expect(await rt.whenReady()).toBe(true);
      let reports = 0;
      let answered = 0;
      const done = await rt.waitUntil(() => {
        rt.drain();
        const ports = portEvents(Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)));
        reports = ports.filter((e) => e.op === 'recv' && e.port === 'ui_port').length;
        answered = ports.filter((e) => e.op === 'done' && e.task === 'nfc_task').length;
        return reports >= 400 && answered >= 20;
      }, 30_000);
      expect({ done, reports, answered }).toEqual({ done: true, reports: 400, answered: 20 });
      rt.drain(true);
      const events = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)).filter(
        (e): e is TraceEvent => e !== undefined,
      );
      expectComplete(events);
      const parsed = parseScenario(input);
      if (!parsed.ok) throw new Error('scenario');
      // Real threads: the pool entries were all given back, nothing was delivered twice or out of order.
      expect(checkTrace(parsed.value, events).filter((v) => v.rule !== 'bound-agree')).toEqual([]);
      expect(events.some((e) => e.kind === 'assert' || e.kind === 'anomaly')).toBe(false);
    } finally {
      rt.dispose();
    }
  });
});
