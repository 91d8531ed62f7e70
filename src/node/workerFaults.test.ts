/** Faults on the worker runtime, on real threads: doorbell faults inside the domains, memory and reset faults from the host. */
import { describe, expect, it } from 'vitest';
import { FAULT_PRESETS, icmsgScenario, type ScenarioInput, type TraceEvent } from '../core';
import { WorkerRuntime } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

function create(input: ScenarioInput) {
  const created = WorkerRuntime.create(input, { factory: nodeWorkerFactory, trace: 'full' });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}
const events = (rt: WorkerRuntime): TraceEvent[] =>
  Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)).filter((e): e is TraceEvent => e !== undefined);

const pingpong = icmsgScenario({
  unbound: 'enable',
  dcacheAlignment: 32,
  app: { kind: 'pingpong', size: 16, count: 200, pauseUs: 20 },
  rad: { kind: 'echo' },
  runtime: { mode: 'workers' },
});

describe('faults on the worker runtime', () => {
  it('drops a doorbell inside the domain that rings it, as the scenario says', async () => {
    const rt = create({
      ...pingpong,
      faults: [
        {
          id: 'drop',
          kind: 'doorbell-drop',
          target: { channel: 'rad_to_app' },
          schedule: { afterMessages: 5, count: 1 },
        },
      ],
    });
    try {
      rt.start();
      expect(await rt.waitUntil(() => events(rt).some((e) => e.kind === 'fault'), 20_000)).toBe(true);
      // One in flight at a time: the echo whose doorbell was lost waits in the ring, unless the
      // application core was still draining its ring when it arrived (real threads race there).
      await new Promise((resolve) => setTimeout(resolve, 200));
      rt.pause();
      rt.drain(true);
      const all = events(rt);
      const faults = all.filter((e) => e.kind === 'fault');
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatchObject({ what: 'doorbell-drop', domain: 'cpurad', target: 'rad_to_app' });
      expect(all.filter((e) => e.kind === 'doorbell-lost' && e.reason === 'dropped')).toHaveLength(1);
      // It was the ring of the radio core's fifth packet (afterMessages counts packets written).
      const writtenBefore = all.filter(
        (e) => e.kind === 'packet-written' && e.domain === 'cpurad' && e.seq < (faults[0]?.seq ?? 0),
      );
      expect(writtenBefore).toHaveLength(5);
    } finally {
      rt.dispose();
    }
  });

  it('refuses, before starting, a fault the worker runtime cannot make happen', () => {
    const created = WorkerRuntime.create(
      { ...pingpong, faults: [{ id: 'stall', kind: 'stall', target: { domain: 'cpurad' }, schedule: { atUs: 10 } }] },
      { factory: nodeWorkerFactory },
    );
    expect(created.ok).toBe(false);
    if (!created.ok) expect(created.error[0]?.message).toMatch(/stall: stalling one core needs the inline runtime/);
  });

  it('pokes rd_idx from the host into the running cores: the application core gets -EINVAL from then on (F13)', async () => {
    const endless = {
      ...pingpong,
      endpoints: pingpong.endpoints.map((e) =>
        e.domain === 'cpuapp'
          ? { ...e, behaviour: { kind: 'pingpong' as const, size: 16, count: 1_000_000, pauseUs: 20 } }
          : e,
      ),
    };
    const rt = create(endless);
    try {
      rt.start();
      expect(await rt.waitUntil(() => rt.endpoint('cpuapp', 0).inOrder >= 5, 20_000)).toBe(true);
      // A poke that lands while a ping is unread is healed by the reader's next rd_idx store (on
      // real threads that is a matter of timing); one that lands between pings kills the link.
      const dead = () => events(rt).some((e) => e.kind === 'api' && e.result === 'EINVAL');
      for (let i = 0; i < 200 && !dead(); i++) {
        const why = rt.injectFault({
          id: `odd${i}`,
          kind: 'poke32',
          target: { region: 'sram_app_to_rad', field: 'rd_idx' },
          value: 13,
        });
        expect(why).toBeNull();
        await rt.waitUntil(dead, 50);
      }
      expect(dead()).toBe(true);
      rt.pause();
      rt.drain(true);
      const fault = events(rt).find((e) => e.kind === 'fault');
      expect(fault?.kind === 'fault' && fault.detail.endsWith('→ 0x0000000d')).toBe(true);
    } finally {
      rt.dispose();
    }
  });

  it('warm-resets a core on the user’s command; unbound = enable recovers (F6 on real threads)', async () => {
    const f6 = FAULT_PRESETS.find((p) => p.id === 'F6')?.fixed?.scenario;
    if (!f6) throw new Error('F6');
    const rt = create({ ...f6, faults: [], runtime: { mode: 'workers' }, endpoints: pingpong.endpoints });
    try {
      rt.start();
      expect(await rt.waitUntil(() => rt.endpoint('cpuapp', 0).inOrder >= 5, 20_000)).toBe(true);
      expect(rt.injectFault({ id: 'reset', kind: 'warm-reset', target: { domain: 'cpurad' } })).toBeNull();
      expect(await rt.waitUntil(() => rt.domainState('cpurad').incarnation === 1, 20_000)).toBe(true);
      // The application core is told (unbound) and binds again with the restarted radio core.
      expect(
        await rt.waitUntil(() => {
          const cb = events(rt).filter((e) => e.kind === 'callback' && e.domain === 'cpuapp');
          return (
            cb.some((e) => e.kind === 'callback' && e.callback === 'unbound') &&
            cb.filter((e) => e.kind === 'callback' && e.callback === 'bound').length >= 2
          );
        }, 20_000),
      ).toBe(true);
    } finally {
      rt.dispose();
    }
  });

  it('says why a fault added while running cannot act on workers', () => {
    const rt = create(pingpong);
    try {
      expect(rt.injectFault({ id: 'd', kind: 'doorbell-drop', target: { channel: 'app_to_rad' } })).toMatch(
        /inside the worker threads/,
      );
      expect(rt.injectFault({ id: 'bad', kind: 'poke32', probability: 3 })).toMatch(/^probability: /);
    } finally {
      rt.dispose();
    }
  });
});
