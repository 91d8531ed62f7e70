/**
 * Synchronous channels on a worker thread: the same kernel and tasks as inline, on real time;
 * with every task blocked the domain sleeps in Atomics.wait until a timer or a control change.
 */
import { describe, expect, it } from 'vitest';
import {
  CHANNELS_CLIENT_SERVER,
  CHANNELS_DEADLOCK,
  checkTrace,
  parseScenario,
  type ScenarioInput,
  type TraceEvent,
} from '../core';
import { WorkerRuntime } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

async function events(input: ScenarioInput, done: (events: readonly TraceEvent[]) => boolean): Promise<TraceEvent[]> {
  const created = WorkerRuntime.create(
    { ...input, runtime: { ...input.runtime, mode: 'workers' } },
    { factory: nodeWorkerFactory, trace: 'full' },
  );
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const rt = created.value;
  try {
    rt.start();
    expect(await rt.whenReady()).toBe(true);
    let all: TraceEvent[] = [];
    const finished = await rt.waitUntil(() => {
      rt.drain();
      all = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)).filter(
        (e): e is TraceEvent => e !== undefined,
      );
      return done(all);
    }, 20_000);
    expect(finished).toBe(true);
    return all;
  } finally {
    rt.dispose();
  }
}

const replies = (all: readonly TraceEvent[]) => all.filter((e) => e.kind === 'channel' && e.op === 'reply').length;

describe('synchronous channels on a worker thread', () => {
  it('serves 20 calls, fast path and shared memory, and delivers the notifications', async () => {
    const all = await events(CHANNELS_CLIENT_SERVER, (a) => replies(a) >= 20);
    const sends = all.filter((e) => e.kind === 'channel' && e.op === 'send');
    expect(new Set(sends.map((e) => (e.kind === 'channel' ? `${e.task}:${e.path ?? ''}` : '')))).toEqual(
      new Set(['ui:register', 'log:shared-memory']),
    );
    expect(all.filter((e) => e.kind === 'channel' && e.op === 'receive' && e.bits === 1)).toHaveLength(3);
    // The core's owner is traced here too: the file server (fs) runs each call it takes.
    const running = all.filter((e) => e.kind === 'channel' && e.op === 'state' && e.state === 'RUNNING');
    expect(running.filter((e) => e.kind === 'channel' && e.task === 'fs').length).toBeGreaterThanOrEqual(20);
  });

  it('the deadlock is the same on real time, and the checker names it', async () => {
    const all = await events(
      CHANNELS_DEADLOCK,
      (a) => a.filter((e) => e.kind === 'channel' && e.op === 'state' && e.state === 'SEND_BLOCKED').length >= 2,
    );
    const parsed = parseScenario(CHANNELS_DEADLOCK);
    if (!parsed.ok) throw new Error('scenario');
    expect(checkTrace(parsed.value, all).map((v) => v.rule)).toEqual(['deadlock']);
  });
});
