import { describe, expect, it } from 'vitest';
import { icmsgScenario } from '../core';
import { WorkerRuntime } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

describe('worker runtime in Node worker_threads', () => {
  it('binds two domains over ICMsg 1.1 and echoes pings', async () => {
    const created = WorkerRuntime.create(
      icmsgScenario({ unbound: 'enable', dcacheAlignment: 32, app: { kind: 'ping', periodUs: 200, size: 32, count: 50 }, rad: { kind: 'echo' } }),
      { factory: nodeWorkerFactory },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const rt = created.value;
    try {
      rt.start();
      expect(await rt.whenReady()).toBe(true);
      const done = await rt.waitUntil(() => rt.endpoint('cpuapp', 0).roundTrips >= 50, 20_000);
      const app = rt.endpoint('cpuapp', 0);
      expect(done).toBe(true);
      expect(app.inOrder).toBe(50);
      expect([app.gaps, app.repeats, app.corrupted]).toEqual([0, 0, 0]);
      rt.drain(true);
      const kinds = new Set(Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)?.kind));
      expect(kinds).toContain('transition');
      expect(kinds).toContain('packet-read');
    } finally {
      rt.dispose();
    }
  });
});
