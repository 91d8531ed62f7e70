/** Run control, crashes and tracing modes of the worker runtime, on real threads. */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { icmsgScenario } from '../core';
import type { WorkerFactory } from '../runtime/workers/WorkerHandle';
import { WorkerRuntime, type WorkerRuntimeOptions } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

const streaming = icmsgScenario({
  unbound: 'enable',
  dcacheAlignment: 32,
  regionSize: 2048,
  app: { kind: 'stream', size: 32, count: 10_000_000, retryUs: 5 },
  rad: { kind: 'sink' },
});

function create(
  factory: WorkerFactory = nodeWorkerFactory,
  trace: 'full' | 'sampled' | 'counters' = 'counters',
  options: Partial<WorkerRuntimeOptions> = {},
) {
  const created = WorkerRuntime.create(streaming, { factory, trace, sampleEvery: 10, ...options });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

describe('worker run control', () => {
  it('pauses every domain, steps each by one item, and resumes', async () => {
    const rt = create();
    try {
      rt.start();
      expect(await rt.whenReady()).toBe(true);
      expect(await rt.waitUntil(() => rt.endpoint('cpurad', 0).inOrder > 1000)).toBe(true);
      rt.pause();
      expect(await rt.waitUntil(() => rt.domains.every((d) => rt.domainState(d).status === 'paused'), 2_000)).toBe(
        true,
      );
      const before = rt.endpoint('cpuapp', 0).sent;
      await new Promise((r) => setTimeout(r, 50));
      expect(rt.endpoint('cpuapp', 0).sent).toBe(before);

      // Items each domain has run (a doorbell, a work item or a task step).
      const items = (d: string) => {
        const c = rt.counters(d);
        return c.taskSteps + c.doorbellsTaken + c.workItems;
      };
      const [app, rad] = [items('cpuapp'), items('cpurad')];
      rt.step();
      // cpuapp's next item is its stream task; cpurad's is the doorbell that task rings (or one
      // already pending): each runs exactly one.
      expect(await rt.waitUntil(() => items('cpuapp') === app + 1 && items('cpurad') === rad + 1, 2_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      expect([items('cpuapp'), items('cpurad')]).toEqual([app + 1, rad + 1]);

      rt.start();
      expect(await rt.waitUntil(() => rt.endpoint('cpuapp', 0).sent > before + 1000, 5_000)).toBe(true);
    } finally {
      rt.dispose();
    }
  });

  it('reports a worker that throws as crashed with its error, and the other domain keeps running', async () => {
    const failing: WorkerFactory = (domain) => {
      if (domain !== 'cpurad') return nodeWorkerFactory(domain);
      const worker = new Worker('throw new TypeError("boom in the radio core")', { eval: true });
      return {
        postMessage: () => undefined,
        onMessage: () => undefined,
        onError: (listener) => worker.on('error', (e: Error) => listener(`${e.name}: ${e.message}`)),
        terminate: () => worker.terminate().then(() => undefined),
      };
    };
    const rt = create(failing, 'full');
    try {
      rt.start();
      expect(await rt.whenReady()).toBe(true);
      expect(rt.domainState('cpurad')).toMatchObject({ status: 'crashed', error: 'TypeError: boom in the radio core' });
      expect(await rt.waitUntil(() => rt.endpoint('cpuapp', 0).phase === 1 /* waiting for bound */, 5_000)).toBe(true);
      expect(rt.domainState('cpuapp').status).not.toBe('crashed');
      rt.drain(true);
      const crash = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)).find(
        (e) => e?.kind === 'domain' && e.status === 'crashed',
      );
      expect(crash).toMatchObject({ domain: 'host', message: 'cpurad: TypeError: boom in the radio core' });
    } finally {
      rt.dispose();
    }
  });
});

describe('worker tracing modes', () => {
  async function recorded(trace: 'full' | 'sampled' | 'counters') {
    const rt = create(nodeWorkerFactory, trace);
    try {
      rt.start();
      await rt.whenReady();
      await rt.waitUntil(() => rt.endpoint('cpurad', 0).inOrder >= 2000, 10_000);
      rt.pause();
      await rt.waitUntil(() => rt.domains.every((d) => rt.domainState(d).status === 'paused'), 2_000);
      rt.drain(true);
      const counters = rt.counters('cpuapp');
      return {
        stored: rt.store.length,
        written: counters.packetsWritten,
        records: counters.traceRecords,
        sampledOut: counters.sampledOut,
      };
    } finally {
      rt.dispose();
    }
  }

  it('records every event in full mode, about one message event in ten when sampled, and only counters otherwise', async () => {
    const full = await recorded('full');
    const sampled = await recorded('sampled');
    const counters = await recorded('counters');
    expect(full.stored).toBeGreaterThan(full.written * 3);
    expect(sampled.sampledOut).toBeGreaterThan(0);
    expect(sampled.records / sampled.written).toBeLessThan(full.records / full.written / 3);
    expect(counters.stored).toBeLessThan(10);
    expect(counters.written).toBeGreaterThan(2000);
  });

  it('counts what a full flight recorder overwrote and what a full trace ring dropped, and says so in the trace', async () => {
    // The host never drains on its own here: the rings fill while the domains run.
    const rt = create(nodeWorkerFactory, 'full', { storeCapacity: 1000, ticker: () => () => undefined });
    try {
      rt.start();
      const deadline = Date.now() + 10_000;
      while (rt.counters('cpuapp').traceDropped === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      rt.pause();
      rt.drain(true);
      const health = rt.traceHealth();
      expect(health.mode).toBe('full');
      expect(health.ringDropped).toBeGreaterThan(0);
      expect(health.kept).toBe(1000);
      expect(health.overwritten).toBeGreaterThan(0);
      const kept = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i));
      expect(kept.some((e) => e?.kind === 'trace-gap' && e.reason.includes('trace ring full'))).toBe(true);
    } finally {
      rt.dispose();
    }
  });
});
