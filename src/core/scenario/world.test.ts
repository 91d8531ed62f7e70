import { describe, expect, it } from 'vitest';
import { buildWorld } from './build';
import { parseScenario } from './parse';
import { ICMSG_BACKPRESSURE, ICMSG_PING_ECHO, icmsgScenario } from './presets/icmsg';
import { MAX_IN_FLIGHT } from './endpointStats';
import { makePayload } from './payload';
import type { ScenarioInput } from './schema';

function world(input: ScenarioInput) {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.error.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(built.error.map((e) => e.message).join('\n'));
  return built.value;
}

describe('a scenario running in the simulation', () => {
  it('binds ping and echo over ICMsg 1.1 even though the radio core boots 120 µs late', () => {
    const w = world(ICMSG_PING_ECHO);
    w.sim.run({ maxTimeNs: 2_000_000 });
    const ping = w.endpoints.get('cpuapp/ipc0/ep0');
    const echo = w.endpoints.get('cpurad/ipc0/ep0');
    expect(ping?.stats.bound).toBe(1);
    expect(echo?.stats.bound).toBe(1);
    expect(ping?.stats.roundTrips).toBeGreaterThan(30);
    expect(ping?.stats.inOrder).toBe(ping?.stats.roundTrips);
    expect(ping?.stats.corrupted).toBe(0);
    expect(echo?.stats.received).toBe(echo?.stats.sent);
  });

  it('streams thousands of variable-size messages from a 1 KiB region, every one in order and intact', () => {
    const w = world(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 8,
        app: { kind: 'stream', size: { min: 4, max: 128 }, count: 3000 },
        rad: { kind: 'sink' },
      }),
    );
    w.sim.run({ maxTimeNs: 500_000_000 });
    const stream = w.endpoints.get('cpuapp/ipc0/ep0');
    const sink = w.endpoints.get('cpurad/ipc0/ep0');
    expect(stream?.stats.sent).toBe(3000);
    expect(stream?.stats.sendErrors['ENOMEM']).toBeGreaterThan(0); // the ring filled up at times
    expect(sink?.stats.inOrder).toBe(3000);
    expect([sink?.stats.gaps, sink?.stats.repeats, sink?.stats.corrupted]).toEqual([0, 0, 0]);
  });

  it('measures closed-loop round trips with pingpong against an echo, pausing between rounds', () => {
    const w = world(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 8,
        app: { kind: 'pingpong', size: 16, count: 20, pauseUs: 100 },
        rad: { kind: 'echo' },
      }),
    );
    w.sim.run({ maxTimeNs: 100_000_000 });
    const s = w.endpoints.get('cpuapp/ipc0/ep0')?.stats;
    expect([s?.sent, s?.roundTrips, s?.inOrder]).toEqual([20, 20, 20]);
    expect(s?.rttMinNs).toBeGreaterThan(0);
    // Rounds start 100 µs after the previous echo, so 20 rounds take at least 1.9 ms.
    expect(w.sim.now).toBeGreaterThan(1_900_000);
  });

  it('forgets pings whose echo was lost, and remembers at most MAX_IN_FLIGHT pings in flight', () => {
    const w = world(
      icmsgScenario({
        unbound: 'enable',
        dcacheAlignment: 8,
        app: { kind: 'ping', periodUs: 1, size: 16, count: 600 },
        rad: { kind: 'manual' },
      }),
    );
    w.sim.run({ maxTimeNs: 100_000_000 });
    const ping = w.endpoints.get('cpuapp/ipc0/ep0');
    const remote = w.endpoints.get('cpurad/ipc0/ep0');
    if (!ping || !remote) throw new Error('endpoints');
    expect([ping.stats.sent, remote.stats.received]).toEqual([600, 600]);
    const echo = (seq: number) => {
      remote.command({ kind: 'send', data: makePayload(seq, 16) });
      w.sim.run({ maxTimeNs: w.sim.now + 1_000_000 });
    };
    // Ping 600 - MAX_IN_FLIGHT - 1 is no longer remembered: its echo arrives, but times nothing.
    echo(600 - MAX_IN_FLIGHT - 1);
    expect([ping.stats.received, ping.stats.roundTrips]).toEqual([1, 0]);
    // An echo of a later ping: the ones before it were lost, this one is a round trip.
    echo(500);
    echo(501);
    expect([ping.stats.received, ping.stats.roundTrips, ping.stats.inOrder]).toEqual([3, 2, 1]);
    // Two jumps in the sequence: 0..342 and 344..499 never came back.
    expect(ping.stats.gaps).toBe(2);
  });

  it('rejects a scenario with broken references, each problem by path', () => {
    const input = icmsgScenario({ app: { kind: 'sink' }, rad: { kind: 'sink' }, unbound: 'detect' });
    const broken = {
      ...input,
      instances: input.instances?.map((n, i) => (i === 0 ? { ...n, 'tx-region': 'nowhere' } : n)),
    };
    const parsed = parseScenario(broken);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toEqual(
      expect.arrayContaining([
        { path: 'instances[0].tx-region', message: 'no region "nowhere"' },
        {
          path: 'instances[1].tx-region',
          message:
            'PBUF_DEFINE build assert on "sram_rad_to_app": Data cache alignment must be at least 8 if compatibility is enabled.',
        },
      ]),
    );
  });

  it('refuses unbound = enable with dcache-alignment below 8, naming the path and the rule', () => {
    const parsed = parseScenario(icmsgScenario({ app: { kind: 'sink' }, rad: { kind: 'sink' }, unbound: 'enable' }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error[0]).toEqual({
      path: 'instances[0].dcache-alignment',
      message:
        "unbound = enable needs dcache-alignment ≥ 8 (the handshake word's pbuf refuses less: open would fail with -EINVAL)",
    });
  });

  it('reports schema errors with their path instead of throwing', () => {
    const parsed = parseScenario({ version: 1, name: 'x', seed: -1, memory: { size: 0, regions: [] } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.error.map((e) => e.path)).toEqual(expect.arrayContaining(['seed', 'memory.size', 'domains']));
    expect(parseScenario('not a scenario').ok).toBe(false);
    const newer = parseScenario({ version: 2, name: 'from the future' });
    expect(newer.ok ? null : newer.error).toEqual([
      {
        path: 'version',
        message: 'scenario version 2 was written by a newer IPC Scope; this one reads versions up to 1',
      },
    ]);
    expect(parseScenario(null).ok).toBe(false);
  });
});

describe('the backpressure preset', () => {
  it('fills the ring: send() answers -ENOMEM, and every message still arrives in order', () => {
    const parsed = parseScenario(ICMSG_BACKPRESSURE);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const built = buildWorld(parsed.value);
    if (!built.ok) throw new Error('build');
    expect(built.value.sim.run({ maxSteps: 200_000 })).toBe('idle');
    const app = built.value.endpoints.get('cpuapp/ipc0/ep0')?.stats;
    expect(app?.sendErrors.ENOMEM ?? 0).toBeGreaterThan(10);
    expect(built.value.endpoints.get('cpurad/ipc0/ep0')?.stats).toMatchObject({ received: 60, inOrder: 60, gaps: 0 });
  });
});
