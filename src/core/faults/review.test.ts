/** Regression tests for faults found by review: each failed before its fix. */
import { describe, expect, it } from 'vitest';
import * as ipc from '../ipc/ipcService';
import { buildWorld, type World } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { icbmsgScenario } from '../scenario/presets/icbmsg';
import { icmsgScenario } from '../scenario/presets/icmsg';
import type { ScenarioInput } from '../scenario/schema';
import { checkTrace } from './invariants';
import type { FaultInput } from './schema';

function world(input: ScenarioInput, faults: readonly FaultInput[] = []): World {
  const parsed = parseScenario({ ...input, faults: [...faults] });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  return built.value;
}

const PING = icmsgScenario({
  unbound: 'enable',
  dcacheAlignment: 32,
  app: { kind: 'ping', periodUs: 50, size: 16, count: 10 },
  rad: { kind: 'echo' },
  radBootAtUs: 60,
  runtime: { mode: 'inline' },
});

const stream = (o: { api?: 'copy' | 'nocopy'; cached?: boolean; blocks?: number } = {}): ScenarioInput => {
  const s = icbmsgScenario({
    dcacheAlignment: 32,
    appToRadBlocks: o.blocks ?? 8,
    radToAppBlocks: o.blocks ?? 8,
    endpoints: [
      {
        name: 'bulk',
        app: { kind: 'stream', size: 100, count: 10, retryUs: 20, api: o.api ?? 'copy', txWaitMs: 'forever' },
        rad: { kind: 'sink' },
      },
    ],
    runtime: { mode: 'inline' },
  });
  return o.cached ? { ...s, domains: s.domains.map((d) => ({ ...d, dcacheLine: 32 })) } : s;
};

describe('faults and checks, as review found them wrong', () => {
  it('a flip-flop fault that can never act does not keep an idle run alive', () => {
    const w = world(PING, [
      {
        id: 'never',
        kind: 'corrupt-byte',
        target: { region: 'sram_app_to_rad', field: 'length' },
        schedule: { atUs: 2000, flipFlop: { onUs: 10, offUs: 10 } },
      },
    ]);
    expect(w.sim.run({ maxSteps: 100_000 })).toBe('idle');
  });

  it('no-copy sends on cores with a data cache arrive intact', () => {
    const w = world(stream({ api: 'nocopy', cached: true }));
    w.sim.run({ maxSteps: 200_000 });
    expect(w.endpoints.get('cpurad/ipc0/bulk')?.stats).toMatchObject({ received: 10, corrupted: 0 });
  });

  it('a failed ICBMsg send frees blocks the checker saw taken (no false blocks-consistent)', () => {
    const w = world(stream(), [
      {
        id: 'mbox',
        kind: 'mbox-send-fail',
        target: { channel: 'app_to_rad' },
        schedule: { afterMessages: 6, count: 2 },
      },
    ]);
    w.sim.run({ maxSteps: 200_000 });
    expect(w.sim.trace.events.filter((e) => e.kind === 'fault').length).toBeGreaterThan(0);
    expect(checkTrace(w.scenario, w.sim.trace.events).filter((v) => v.rule === 'blocks-consistent')).toEqual([]);
  });

  it('send_nocopy shrinking a granted buffer is no clash, and a request larger than every block is -ENOMEM at once', () => {
    const w = world(stream());
    w.sim.run({ maxSteps: 200_000 });
    const ept = w.endpoints.get('cpuapp/ipc0/bulk')?.ept;
    if (!ept) throw new Error('ept');
    const grant = ipc.getTxBuffer(ept, 0, 'no-wait');
    if (grant.result !== 0 || !grant.buffer) throw new Error(String(grant.result));
    grant.buffer.fill(1, 0, 10);
    expect(ipc.sendNocopy(ept, grant.buffer, 10)).toBeGreaterThan(0);
    w.sim.run({ maxSteps: 200_000 });
    expect(checkTrace(w.scenario, w.sim.trace.events).filter((v) => v.rule === 'blocks-consistent')).toEqual([]);
    expect(ipc.getTxBuffer(ept, 100_000, 'forever')).toMatchObject({ result: 'ENOMEM' });
    expect(ipc.getTxBuffer(ept, 100_000, { ms: 5 }).blockedUntil).toBeUndefined();
  });

  it('a duplicated doorbell rings again later, as an interrupt of its own', () => {
    const w = world(PING, [
      {
        id: 'dup',
        kind: 'doorbell-duplicate',
        target: { channel: 'app_to_rad' },
        delayUs: 30,
        schedule: { atUs: 300, count: 1 },
      },
    ]);
    w.sim.run({ maxSteps: 100_000 });
    const fault = w.sim.trace.events.find((e) => e.kind === 'fault');
    if (!fault) throw new Error('no fault');
    const rungAfter = w.sim.trace.events.filter(
      (e) => e.kind === 'doorbell-rung' && e.channel === 'app_to_rad' && e.t === fault.t + 30_000,
    );
    expect(rungAfter).toHaveLength(1);
  });

  it('a fault with a chance, waiting for its field, fires with about that chance', () => {
    let fired = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const w = world({ ...PING, seed }, [
        {
          id: 'half',
          kind: 'flip-bit',
          target: { region: 'sram_app_to_rad', field: 'payload' },
          probability: 0.5,
          schedule: { atUs: 200 },
        },
      ]);
      w.sim.run({ maxSteps: 100_000 });
      if (w.sim.trace.events.some((e) => e.kind === 'fault')) fired += 1;
    }
    expect(fired).toBeGreaterThan(5);
    expect(fired).toBeLessThan(25);
  });

  it('blocks taken by exhaust-blocks are not given back to a core that was reset meanwhile', () => {
    const w = world(stream({ blocks: 8 }), [
      {
        id: 'hog',
        kind: 'exhaust-blocks',
        target: { domain: 'cpuapp', instance: 'ipc0' },
        durationUs: 200,
        schedule: { atUs: 10 },
      },
      { id: 'reset', kind: 'warm-reset', target: { domain: 'cpuapp' }, schedule: { atUs: 20 } },
    ]);
    w.sim.run({ maxSteps: 200_000 });
    const failed = w.sim.trace.events.filter((e) => e.kind === 'anomaly' && /Failed to receive/.test(e.message));
    expect(failed).toEqual([]);
  });

  it('a killed core is not bound any more: both sides disagree, and the checker says so', () => {
    const w = world(PING, [{ id: 'kill', kind: 'kill', target: { domain: 'cpurad' }, schedule: { atUs: 400 } }]);
    expect(w.sim.run({ maxSteps: 100_000 })).toBe('idle');
    const rules = checkTrace(w.scenario, w.sim.trace.events, w.sim.map.bytes).map((v) => v.rule);
    expect(rules).toContain('bound-agree');
  });

  it('payload on an ICBMsg region hits the data in the blocks the next MSG_DATA names', () => {
    const w = world(stream(), [
      {
        id: 'rot',
        kind: 'flip-bit',
        target: { region: 'sram_app_to_rad', field: 'payload', offset: 20 },
        bit: 2,
        schedule: { afterMessages: 4 },
      },
    ]);
    w.sim.run({ maxSteps: 200_000 });
    const fault = w.sim.trace.events.find((e) => e.kind === 'fault');
    expect(fault?.kind === 'fault' && fault.target).toMatch(/^sram_app_to_rad\.payload byte 20 \(block \d+\)$/);
    expect(w.endpoints.get('cpurad/ipc0/bulk')?.stats.corrupted).toBe(1);
  });

  it('a fault added while its machine is already in the state it waits for acts', () => {
    const w = world(PING);
    w.sim.run({ maxSteps: 100_000 });
    w.faults.add({
      id: 'late',
      kind: 'corrupt-byte',
      armed: true,
      target: { region: 'sram_app_to_rad', field: 'rd_idx' },
      probability: 1,
      schedule: { whenState: { machine: 'cpuapp/ipc0', state: 'CONNECTED_SID_ENABLED' } },
      value: 0x40,
      delayUs: 50,
      error: 'EBUSY',
    });
    expect(w.faults.faults.find((f) => f.fault.id === 'late')?.acted).toBe(1);
  });
});

describe('a scenario’s forced decisions, as review found them lost', () => {
  it('stay part of the branch after a later fork: seeking back replays them', async () => {
    const { Timeline } = await import('../sim/Timeline');
    const { ICBMSG_THREE_ENDPOINTS } = await import('../scenario/presets/icbmsg');
    const probe = world(ICBMSG_THREE_ENDPOINTS);
    probe.sim.run({ maxSteps: 30 });
    const d18 = probe.sim.decisions[18];
    if (!d18 || d18.candidates.length < 2) throw new Error('decision 18 needs two candidates for this test');
    const other = d18.candidates.find((c) => c !== d18.pick) ?? d18.pick;
    const w = world({ ...ICBMSG_THREE_ENDPOINTS, decisions: [{ step: 18, pick: other }] });
    const timeline = new Timeline(w.sim, { decisions: w.scenario.decisions });
    timeline.run({ maxSteps: 100 });
    expect(w.sim.decisions[18]?.pick).toBe(other);
    const at57 = timeline.choicesAt(57);
    const pick = at57.ok ? at57.value[at57.value.length - 1] : undefined;
    if (pick === undefined) throw new Error('no choice at 57');
    expect(timeline.fork(57, pick).ok).toBe(true);
    timeline.seek(0);
    timeline.run({ maxSteps: 100 });
    expect(w.sim.decisions[18]?.pick).toBe(other);
    expect(timeline.forced.map((f) => f.step)).toEqual([18, 57]);
  });
});
