/** Reset, the trace under load, limits and protocol checks of the worker runtime, on real threads. */
import { describe, expect, it } from 'vitest';
import { icmsgScenario, type ScenarioInput } from '../core';
import type { RuntimeUpdate } from '../runtime/Runtime';
import type { WorkerFactory } from '../runtime/workers/WorkerHandle';
import { WorkerRuntime, type WorkerRuntimeOptions } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

const both = icmsgScenario({
  unbound: 'enable',
  dcacheAlignment: 32,
  regionSize: 4096,
  app: { kind: 'stream', size: { min: 4, max: 64 }, count: 20_000, retryUs: 1 },
  rad: { kind: 'stream', size: { min: 4, max: 64 }, count: 20_000, retryUs: 1 },
});

function create(input: ScenarioInput, options: Partial<WorkerRuntimeOptions> = {}) {
  const created = WorkerRuntime.create(input, { factory: nodeWorkerFactory, ...options });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

const done = (rt: WorkerRuntime) => () =>
  ['cpuapp', 'cpurad'].every((d) => rt.endpoint(d, 0).inOrder >= 20_000 && rt.endpoint(d, 0).sent >= 20_000);

const events = (rt: WorkerRuntime) => Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i));

describe('the worker trace under load', () => {
  it('loses no record when the host drains a little at a time while both domains stream', async () => {
    // A tiny drain budget: the host reads a few hundred records per ring per turn and the rest
    // wait in the rings, so the merger holds many records back for a long time.
    const rt = create(both, { trace: 'full', drainBudgetMs: 0.05, ringWords: 1 << 20, storeCapacity: 2_000_000 });
    try {
      rt.start();
      expect(await rt.waitUntil(done(rt), 60_000)).toBe(true);
      rt.pause();
      const health = rt.traceHealth();
      rt.drain(true);
      expect({ neverArrived: health.neverArrived, late: health.late }).toEqual({ neverArrived: 0, late: 0 });
      const all = events(rt);
      const seqs = all.map((e) => e?.seq);
      // Records a full ring refused never took a number: every number taken is here, in order.
      expect(seqs).toEqual(seqs.map((_, i) => i));
      expect(all.filter((e) => e?.kind === 'trace-gap' && !e.reason.includes('trace ring full'))).toEqual([]);
    } finally {
      rt.dispose();
    }
  });
});

describe('worker runtime reset', () => {
  it('starts over on fresh memory with an empty trace, and runs the scenario again', async () => {
    const rt = create(both, { trace: 'full' });
    const updates: RuntimeUpdate[] = [];
    rt.subscribe((u) => updates.push(u));
    try {
      rt.start();
      expect(await rt.waitUntil(done(rt), 60_000)).toBe(true);
      const oldRam = rt.sharedRam;
      rt.reset();
      expect(updates.at(-1)?.rewoundTo).toBe(0);
      expect(rt.sharedRam).not.toBe(oldRam);
      expect([rt.store.length, rt.endpoint('cpuapp', 0).sent, rt.endpoint('cpurad', 0).inOrder]).toEqual([0, 0, 0]);
      expect(rt.domains.map((d) => rt.domainState(d).incarnation)).toEqual([0, 0]);

      rt.start();
      expect(await rt.whenReady()).toBe(true);
      expect(await rt.waitUntil(done(rt), 60_000)).toBe(true);
      rt.pause();
      rt.drain(true);
      const all = events(rt);
      expect(all[0]?.seq).toBe(0);
      // The new run's domains under their own names; the host speaks only of full rings, if at all.
      expect(new Set(all.filter((e) => e?.domain !== 'host').map((e) => e?.domain))).toEqual(
        new Set(['cpuapp', 'cpurad']),
      );
      expect(
        all.filter((e) => e?.domain === 'host' && !(e.kind === 'trace-gap' && e.reason.includes('ring full'))),
      ).toEqual([]);
      expect(rt.traceHealth().neverArrived).toBe(0);
    } finally {
      rt.dispose();
    }
  });

  it('ignores every call after dispose', () => {
    const rt = create(both);
    rt.dispose();
    rt.start();
    rt.step();
    rt.reset();
    expect(rt.status).toBe('paused');
    expect(rt.domains.map((d) => rt.domainState(d).status)).toEqual(['booting', 'booting']);
  });
});

describe('what the worker runtime refuses', () => {
  it('refuses more endpoints per domain than the control memory describes', () => {
    const input = icmsgScenario({
      unbound: 'enable',
      dcacheAlignment: 32,
      app: { kind: 'sink' },
      rad: { kind: 'sink' },
    });
    const endpoints = Array.from({ length: 9 }, (_, i) => ({
      domain: 'cpuapp',
      instance: 'ipc0',
      name: `ep${i}`,
      behaviour: { kind: 'sink' as const },
    }));
    const created = WorkerRuntime.create({ ...input, endpoints }, { factory: nodeWorkerFactory });
    expect(created.ok).toBe(false);
    if (!created.ok) expect(created.error[0]?.message).toMatch(/cpuapp has 9 endpoints; .* at most 8 per domain/);
  });

  it('reports a domain whose worker speaks another protocol version as crashed', async () => {
    const stranger: WorkerFactory = (domain) => {
      if (domain !== 'cpurad') return nodeWorkerFactory(domain);
      let listener: ((m: never) => void) | null = null;
      return {
        postMessage: () => setTimeout(() => listener?.({ v: 2, kind: 'ready', domain } as never), 1),
        onMessage: (l) => {
          listener = l;
        },
        onError: () => undefined,
        terminate: () => Promise.resolve(),
      };
    };
    const rt = create(both, { factory: stranger });
    try {
      rt.start();
      expect(await rt.whenReady()).toBe(true);
      expect(rt.domainState('cpurad')).toMatchObject({
        status: 'crashed',
        error: 'the worker speaks protocol version 2, the host 1',
      });
    } finally {
      rt.dispose();
    }
  });
});
