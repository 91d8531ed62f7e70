/**
 * The field failures of the catalogue (reference §12), each asserted as real firmware shows it,
 * with the configuration that avoids it where there is one.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { FAULT_PRESETS, type FaultPreset } from '../scenario/presets/faults';
import type { ScenarioInput } from '../scenario/schema';
import type { TraceEvent } from '../trace/events';
import { checkTrace, type Violation } from './invariants';

function run(input: ScenarioInput): World {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  built.value.sim.run({ maxSteps: 100_000, maxTimeNs: 20_000_000 });
  return built.value;
}

const preset = (id: string): FaultPreset => {
  const p = FAULT_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p;
};
const fixed = (p: FaultPreset): ScenarioInput => {
  if (!p.fixed) throw new Error(`${p.id} has no fixed variant`);
  return p.fixed.scenario;
};
const stats = (w: World, key: string) => {
  const s = w.endpoints.get(key)?.stats;
  if (!s) throw new Error(key);
  return s;
};
const violations = (w: World): Violation[] => checkTrace(w.scenario, w.sim.trace.events, w.sim.map.bytes);
const rules = (w: World): string[] => [...new Set(violations(w).map((v) => v.rule))].sort();
const of = <K extends TraceEvent['kind']>(w: World, kind: K) =>
  w.sim.trace.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
const APP = 'cpuapp/ipc0/ep0';
const RAD = 'cpurad/ipc0/ep0';

describe('field failures, as firmware has them', () => {
  it('every preset has a story and parses', () => {
    expect(FAULT_PRESETS.map((p) => p.id)).toEqual([
      'F1',
      'F3',
      'F6',
      'F8',
      'F9',
      'F10',
      'F11',
      'F12',
      'F13',
      'F15',
      'F16',
      'F26',
    ]);
    for (const p of FAULT_PRESETS) {
      expect(p.story.length, p.id).toBeGreaterThan(60);
      expect(parseScenario(p.scenario).ok, p.id).toBe(true);
      if (p.fixed) expect(parseScenario(p.fixed.scenario).ok, p.id).toBe(true);
    }
  });

  it('F1: a lost bind doorbell leaves 4.1+ ICMsg unbound for good; the 3.6 code rings again and binds', () => {
    const w = run(preset('F1').scenario);
    expect(of(w, 'fault')).toHaveLength(1);
    expect(stats(w, APP).bound).toBe(0);
    expect(stats(w, RAD).bound).toBe(0);
    for (const i of w.instances.values()) expect(i.icmsg.stateName).toBe('INITIALIZING_SID_ENABLED');
    const ok = run(fixed(preset('F1')));
    expect(of(ok, 'fault')).toHaveLength(1);
    expect(stats(ok, APP)).toMatchObject({ bound: 1, sent: 10, received: 10 });
    expect(violations(ok)).toEqual([]);
  });

  it('F3: a message over the RX read buffer asserts and is never consumed: the link stalls', () => {
    const w = run(preset('F3').scenario);
    expect(of(w, 'assert').some((e) => /does not fit the 128-byte RX buffer/.test(e.message))).toBe(true);
    expect(stats(w, RAD).received).toBe(0);
    expect(rules(w)).toContain('delivered-once');
    const ok = run(fixed(preset('F3')));
    expect(stats(ok, APP)).toMatchObject({ roundTrips: 3 });
    expect(violations(ok)).toEqual([]);
  });

  it('F3 with CONFIG_ASSERT=y: the radio core halts', () => {
    const w = run({ ...preset('F3').scenario, runtime: { mode: 'inline', assert: 'halt' } });
    expect(of(w, 'assert').some((e) => e.halted)).toBe(true);
    expect(w.sim.domain('cpurad')?.halted).toBe(true);
  });

  it('F6: after a warm reset with unbound = disable the application core never re-binds and replies are lost; with enable it recovers', () => {
    const w = run(preset('F6').scenario);
    expect(of(w, 'domain').map((e) => e.status)).toContain('restarted');
    // The application core is never told: no unbound(), no second bound().
    expect(stats(w, APP)).toMatchObject({ bound: 1, unbound: 0 });
    expect(rules(w)).toContain('delivered-once');
    const ok = run(fixed(preset('F6')));
    expect(stats(ok, APP)).toMatchObject({ bound: 2, unbound: 1 });
    expect(violations(ok)).toEqual([]);
  });

  it('F8: a session change is seen only at a doorbell: lose the close’s doorbell and the peer never learns', () => {
    const w = run(preset('F8').scenario);
    const events = w.sim.trace.events;
    const closed = events.findIndex(
      (e) =>
        e.kind === 'api' && e.domain === 'cpurad' && e.call === 'ipc_service_deregister_endpoint' && e.result === 0,
    );
    expect(closed).toBeGreaterThan(0);
    expect(of(w, 'fault')).toHaveLength(1);
    expect(stats(w, APP).unbound).toBe(0);
    const after = events
      .slice(closed)
      .filter((e) => e.kind === 'api' && e.domain === 'cpuapp' && e.call === 'ipc_service_send');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((e) => e.kind === 'api' && typeof e.result === 'number')).toBe(true); // "sent"
    expect(rules(w)).toEqual(expect.arrayContaining(['bound-agree', 'delivered-once']));
    // When the close's doorbell arrives, the application core is told at once.
    const ok = run(fixed(preset('F8')));
    expect(stats(ok, APP).unbound).toBe(1);
    expect(violations(ok)).toEqual([]);
  });

  it('F9: a handshake with dcache-alignment < 8 fails to open with -EINVAL on both cores', () => {
    const w = run(preset('F9').scenario);
    expect(stats(w, APP).errors).toContain('register: -EINVAL');
    expect(stats(w, RAD).errors).toContain('register: -EINVAL');
    expect(stats(w, APP).bound).toBe(0);
    const ok = run(fixed(preset('F9')));
    expect(stats(ok, APP).bound).toBe(1);
  });

  it('F10: flushes that miss a packet on a cached core lose it and every later message, silently', () => {
    const w = run(preset('F10').scenario);
    expect(of(w, 'fault')).toHaveLength(1);
    const app = stats(w, APP);
    expect(app.sent).toBe(10);
    expect(stats(w, RAD).received).toBeLessThan(10);
    // No error reached either application; the checker finds the lost messages.
    expect(app.sendErrors).toEqual({});
    expect([...of(w, 'anomaly'), ...of(w, 'assert')]).toEqual([]);
    expect(rules(w)).toContain('delivered-once');
    const ok = run(fixed(preset('F10')));
    expect(stats(ok, RAD).received).toBe(10);
    expect(violations(ok)).toEqual([]);
  });

  it('F11: Zephyr takes an aligned out-of-range rd_idx as it is and writes past the region; the hardened mode refuses it', () => {
    const w = run(preset('F11').scenario);
    expect(of(w, 'fault')).toHaveLength(1);
    const before = run({ ...preset('F11').scenario, faults: [] });
    // Without the poke no 300-byte message ever fits; with it, one is written past data[]'s end.
    expect(stats(before, APP).sent).toBe(0);
    expect(stats(w, APP).sent).toBeGreaterThan(0);
    const outside = of(w, 'violation').filter((e) => e.rule === 'inside-region');
    expect(outside.length).toBeGreaterThan(0);
    expect(outside[0]?.message).toMatch(
      /wrote \d+ bytes past the end of sram_app_to_rad's data area \(from offset 256\)/,
    );
    // What lies there is the next region: sram_rad_to_app starts at offset 256 (its rd_idx).
    expect(w.scenario.memory.regions.find((r) => r.offset === 256)?.name).toBe('sram_rad_to_app');
    const hardened = run(fixed(preset('F11')));
    expect(of(hardened, 'anomaly').some((e) => e.message === 'hardened mode refused rd_idx = 1000')).toBe(true);
    expect(of(hardened, 'violation').filter((e) => e.rule === 'inside-region')).toEqual([]);
    expect(stats(hardened, APP).sendErrors.EINVAL ?? 0).toBeGreaterThan(0);
  });

  it('F12: a corrupted length makes pbuf_read fail with -EAGAIN and the packet is never consumed', () => {
    const w = run(preset('F12').scenario);
    const again = of(w, 'anomaly').filter((e) => /pbuf_read\(\) returned -EAGAIN/.test(e.message));
    expect(again.length).toBeGreaterThan(1); // read again at every doorbell: never consumed
    expect(rules(w)).toContain('delivered-once');
  });

  it('F13: a misaligned rd_idx makes every later write fail with -EINVAL: the link is dead', () => {
    const w = run(preset('F13').scenario);
    const sends = of(w, 'api').filter((e) => e.domain === 'cpuapp' && e.call === 'ipc_service_send');
    const firstBad = sends.findIndex((e) => e.result === 'EINVAL');
    expect(firstBad).toBeGreaterThan(0);
    expect(sends.slice(firstBad).every((e) => e.result === 'EINVAL')).toBe(true);
    expect(rules(w)).toContain('indices');
  });

  it('F15: with aliased addresses both ICBMsg cores take the same role and no endpoint binds', () => {
    const w = run(preset('F15').scenario);
    const roles = [...w.instances.values()].map((i) => i.icbmsg?.isInitiator);
    expect(roles[0]).toBe(roles[1]);
    expect(stats(w, 'cpuapp/ipc0/hci').bound).toBe(0);
    expect(stats(w, 'cpurad/ipc0/hci').bound).toBe(0);
    const ok = run(fixed(preset('F15')));
    expect(stats(ok, 'cpuapp/ipc0/hci')).toMatchObject({ bound: 1, roundTrips: 3 });
  });

  it('F16: data for a deregistered ICBMsg endpoint leaks its blocks, flagged by the checker; hardened releases them', () => {
    const w = run(preset('F16').scenario);
    const leaks = violations(w).filter((v) => v.rule === 'blocks-leaked' && v.severity === 'error');
    expect(leaks.length).toBeGreaterThan(0);
    const app = w.instances.get('cpuapp/ipc0')?.icbmsg;
    expect(app?.allocator.free).toBeLessThan(8);
    const ok = run(fixed(preset('F16')));
    expect(ok.instances.get('cpuapp/ipc0')?.icbmsg?.allocator.free).toBe(8);
    expect(violations(ok).filter((v) => v.rule === 'blocks-leaked')).toEqual([]);
  });

  it('F26: send() inside bound() is -EBUSY with unbound = disable, and goes out with enable', () => {
    const w = run(preset('F26').scenario);
    expect(stats(w, APP).sendErrors.EBUSY).toBe(1);
    const ok = run(fixed(preset('F26')));
    expect(stats(ok, APP).sendErrors.EBUSY).toBeUndefined();
  });
});
