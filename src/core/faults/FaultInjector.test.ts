import { describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { icmsgScenario } from '../scenario/presets/icmsg';
import type { ScenarioInput } from '../scenario/schema';
import { applyUserAction, type UserAction } from '../scenario/userAction';
import { Timeline } from '../sim/Timeline';
import type { FaultInput } from './schema';

const BASE: ScenarioInput = icmsgScenario({
  unbound: 'enable',
  dcacheAlignment: 32,
  app: { kind: 'ping', periodUs: 40, size: 16, count: 30 },
  rad: { kind: 'echo' },
  radBootAtUs: 60,
  runtime: { mode: 'inline' },
});

function world(faults: readonly FaultInput[] = []): World {
  const parsed = parseScenario({ ...BASE, faults: [...faults] });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  return built.value;
}

const lossy: FaultInput = {
  id: 'lossy',
  kind: 'doorbell-drop',
  target: { channel: 'rad_to_app' },
  probability: 0.3,
  schedule: { atUs: 200 },
};

describe('the fault injector', () => {
  it('replays a faulty run exactly: the same seed draws the same faults, event for event', () => {
    const a = world([lossy]);
    const b = world([lossy]);
    a.sim.run({ maxSteps: 50_000 });
    b.sim.run({ maxSteps: 50_000 });
    const faults = a.sim.trace.events.filter((e) => e.kind === 'fault');
    expect(faults.length).toBeGreaterThan(1);
    expect(JSON.stringify(b.sim.trace.events)).toBe(JSON.stringify(a.sim.trace.events));
  });

  it('acts a fault added by hand at once when its schedule holds', () => {
    const w = world();
    w.sim.run({ maxSteps: 50_000 });
    const at = 0; // rd_idx of sram_app_to_rad, the region at offset 0
    const before = w.sim.map.bytes[at];
    applyUserAction(w, {
      kind: 'fault',
      fault: { id: 'poke', kind: 'corrupt-byte', target: { region: 'sram_app_to_rad', field: 'rd_idx' }, value: 0x55 },
    });
    expect(before).not.toBe(0x55);
    expect(w.sim.map.bytes[at]).toBe(0x55);
    expect(w.faults.faults.find((f) => f.fault.id === 'poke')?.acted).toBe(1);
  });

  it('forgets a fault added by hand when the timeline goes back before it, and replays it when it goes forward', () => {
    const w = world();
    const timeline = new Timeline<UserAction>(w.sim, { snapshotEvery: 20, apply: (a) => applyUserAction(w, a) });
    for (let i = 0; i < 100; i++) timeline.stepForward();
    const added = timeline.inject({
      kind: 'fault',
      fault: { id: 'stall', kind: 'stall', target: { domain: 'cpurad' }, durationUs: 300 },
    });
    expect(added.ok).toBe(true);
    for (let i = 0; i < 50; i++) timeline.stepForward();
    const trace = JSON.stringify(w.sim.trace.events);
    expect(w.faults.faults.map((f) => f.fault.id)).toEqual(['stall']);
    timeline.seek(50);
    expect(w.faults.faults).toEqual([]);
    timeline.seek(150);
    expect(w.faults.faults.map((f) => f.fault.id)).toEqual(['stall']);
    expect(JSON.stringify(w.sim.trace.events)).toBe(trace);
  });

  it('stalls a core for the time it says, then lets it run again', () => {
    const w = world([
      { id: 'nap', kind: 'stall', target: { domain: 'cpurad' }, durationUs: 200, schedule: { atUs: 300 } },
    ]);
    w.sim.run({ maxSteps: 50_000 });
    const rad = w.sim.trace.events.filter((e) => e.domain === 'cpurad' && e.kind === 'decision');
    const during = rad.filter((e) => e.t > 300_000 && e.t < 500_000);
    expect(during).toEqual([]);
    expect(rad.some((e) => e.t >= 500_000)).toBe(true);
    expect(w.endpoints.get('cpuapp/ipc0/ep0')?.stats.received).toBe(30);
  });
});
