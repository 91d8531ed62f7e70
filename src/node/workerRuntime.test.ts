/**
 * The worker runtime on real threads (Node worker_threads) over a real SharedArrayBuffer: the
 * same ICMsg, pbuf and endpoint code as the inline runtime, now truly concurrent.
 */
import { describe, expect, it } from 'vitest';
import { icmsgScenario, type ScenarioInput } from '../core';
import { WorkerRuntime } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

async function withRuntime(
  input: ScenarioInput,
  body: (rt: WorkerRuntime) => Promise<void>,
  trace: 'full' | 'sampled' | 'counters' = 'full',
) {
  const created = WorkerRuntime.create(input, { factory: nodeWorkerFactory, trace });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const rt = created.value;
  try {
    rt.start();
    expect(await rt.whenReady()).toBe(true);
    await body(rt);
  } finally {
    rt.dispose();
  }
}

describe('worker runtime in Node worker_threads', () => {
  it('binds two domains over ICMsg 1.1 and echoes pings, with a complete merged trace', async () => {
    await withRuntime(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 32,
        app: { kind: 'ping', periodUs: 200, size: 32, count: 50 },
        rad: { kind: 'echo' },
      }),
      async (rt) => {
        expect(await rt.waitUntil(() => rt.endpoint('cpuapp', 0).roundTrips >= 50, 20_000)).toBe(true);
        const app = rt.endpoint('cpuapp', 0);
        expect(app.inOrder).toBe(50);
        expect([app.gaps, app.repeats, app.corrupted]).toEqual([0, 0, 0]);
        rt.drain(true);
        const events = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i));
        // One global order, no gaps, and every message followed from its write to its read.
        expect(events.map((e) => e?.seq)).toEqual(events.map((_, i) => i));
        const written = events
          .filter((e) => e?.kind === 'packet-written')
          .map((e) => (e?.kind === 'packet-written' ? e.msgId : 0));
        const read = events
          .filter((e) => e?.kind === 'packet-read')
          .map((e) => (e?.kind === 'packet-read' ? e.msgId : 0));
        expect(read.length).toBeGreaterThanOrEqual(100);
        for (const id of read) expect(written).toContain(id);
        expect(events.some((e) => e?.kind === 'transition' && e.to === 'CONNECTED_SID_ENABLED')).toBe(true);
      },
    );
  });

  it('exchanges 100k messages of random sizes in both directions at once, every one in order and intact', async () => {
    await withRuntime(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 32,
        regionSize: 4096,
        app: { kind: 'stream', size: { min: 4, max: 128 }, count: 100_000, retryUs: 1 },
        rad: { kind: 'stream', size: { min: 4, max: 128 }, count: 100_000, retryUs: 1 },
      }),
      async (rt) => {
        const done = await rt.waitUntil(
          () =>
            ['cpuapp', 'cpurad'].every(
              (d) => rt.endpoint(d, 0).inOrder >= 100_000 && rt.endpoint(d, 0).sent >= 100_000,
            ),
          120_000,
        );
        const [app, rad] = [rt.endpoint('cpuapp', 0), rt.endpoint('cpurad', 0)];
        expect({ done, app: app.inOrder, rad: rad.inOrder }).toEqual({ done: true, app: 100_000, rad: 100_000 });
        for (const e of [app, rad]) expect([e.sent, e.gaps, e.repeats, e.corrupted]).toEqual([100_000, 0, 0, 0]);
        expect(rt.counters('cpuapp').asserts + rt.counters('cpurad').asserts).toBe(0);
      },
      'counters',
    );
  });

  it('keeps running when a domain is killed, and re-binds after a warm restart through the session handshake', async () => {
    await withRuntime(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 32,
        regionSize: 2048,
        app: { kind: 'stream', size: { min: 4, max: 64 }, count: 1_000_000, retryUs: 5 },
        rad: { kind: 'stream', size: { min: 4, max: 64 }, count: 1_000_000, retryUs: 5 },
      }),
      async (rt) => {
        expect(
          await rt.waitUntil(
            () => rt.endpoint('cpurad', 0).inOrder > 5_000 && rt.endpoint('cpuapp', 0).inOrder > 5_000,
            30_000,
          ),
        ).toBe(true);
        rt.kill('cpurad');
        expect(rt.domainState('cpurad')).toMatchObject({ status: 'crashed', error: 'killed by the user' });
        // The application core keeps running on its own: its task keeps trying to send.
        const stepsBefore = rt.counters('cpuapp').taskSteps;
        expect(await rt.waitUntil(() => rt.counters('cpuapp').taskSteps > stepsBefore + 100, 5_000)).toBe(true);
        expect(rt.domainState('cpuapp').status).not.toBe('crashed');
        const appBefore = rt.endpoint('cpuapp', 0);

        await rt.restart('cpurad');
        expect(await rt.whenReady()).toBe(true);
        expect(rt.domainState('cpurad').incarnation).toBe(1);
        // Traffic resumes both ways: the new radio core receives thousands, and sends to the
        // application core again (its received count grows past where it stood).
        const resumed = await rt.waitUntil(() => {
          const app = rt.endpoint('cpuapp', 0);
          const rad = rt.endpoint('cpurad', 0);
          return app.bound >= 2 && rad.bound >= 1 && rad.inOrder > 5_000 && app.received > appBefore.received + 5_000;
        }, 30_000);
        const [app, rad] = [rt.endpoint('cpuapp', 0), rt.endpoint('cpurad', 0)];
        expect(resumed).toBe(true);
        expect(app.unbound).toBe(1);
        expect([rad.gaps, rad.repeats, rad.corrupted]).toEqual([0, 0, 0]);
        expect(app.corrupted).toBe(0);
        rt.drain(true);
        const statuses = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)).filter(
          (e) => e?.kind === 'domain',
        );
        expect(statuses.map((e) => (e?.kind === 'domain' ? e.status : ''))).toEqual(
          expect.arrayContaining(['crashed', 'restarted']),
        );
      },
      'sampled',
    );
  });
});
