import { describe, expect, it } from 'vitest';
import { buildWorld } from './build';
import { parseScenario } from './parse';
import { ICBMSG_NOCOPY_HOLD, ICBMSG_THREE_ENDPOINTS, icbmsgScenario } from './presets/icbmsg';
import type { ScenarioInput } from './schema';

function world(input: ScenarioInput) {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  return built.value;
}

describe('an ICBMsg scenario', () => {
  it('binds three endpoints on one instance and every round trip comes back intact', () => {
    const w = world(ICBMSG_THREE_ENDPOINTS);
    expect(w.sim.run({ maxSteps: 200_000 })).toBe('idle');
    for (const [key, runner] of w.endpoints) {
      expect(runner.stats.bound, key).toBe(1);
      expect(runner.stats.corrupted, key).toBe(0);
    }
    const ping = (key: string) => w.endpoints.get(key)?.stats;
    expect(ping('cpuapp/ipc0/hci')).toMatchObject({ sent: 5, roundTrips: 5, inOrder: 5, gaps: 0 });
    expect(ping('cpuapp/ipc0/app')).toMatchObject({ sent: 5, roundTrips: 5, inOrder: 5, gaps: 0 });
    expect(ping('cpurad/ipc0/log')).toMatchObject({ sent: 5, roundTrips: 5, inOrder: 5, gaps: 0 });
    // Each core opens its instance once (the first endpoint's application does): no call fails.
    const failed = w.sim.trace.events.filter((e) => e.kind === 'api' && typeof e.result === 'string');
    expect(failed).toEqual([]);
    // At quiescence every block is free on both sides.
    for (const instance of w.instances.values()) expect(instance.icbmsg?.allocator.free).toBe(16);
  });

  it("traces the endpoints' callbacks under their names, and names the control link apart", () => {
    const w = world(ICBMSG_THREE_ENDPOINTS);
    w.sim.run({ maxSteps: 200_000 });
    const bound = w.sim.trace.events.filter((e) => e.kind === 'callback' && e.callback === 'bound');
    expect(bound.map((e) => (e.kind === 'callback' ? `${e.domain}/${e.endpoint}` : '')).sort()).toEqual([
      'cpuapp/app',
      'cpuapp/control',
      'cpuapp/hci',
      'cpuapp/log',
      'cpurad/app',
      'cpurad/control',
      'cpurad/hci',
      'cpurad/log',
    ]);
  });

  it('runs the instance machine: opened, then bound with its control link, before any endpoint binds', () => {
    const w = world(ICBMSG_THREE_ENDPOINTS);
    w.sim.run({ maxSteps: 200_000 });
    const events = w.sim.trace.events;
    for (const domain of ['cpuapp', 'cpurad']) {
      const life = events.filter((e) => e.kind === 'transition' && e.machine === 'icbmsg' && e.domain === domain);
      expect(life.map((e) => (e.kind === 'transition' ? `${e.instance}: ${e.from} → ${e.to}` : ''))).toEqual([
        'ipc0: INITIALIZED → OPENING',
        'ipc0: OPENING → CONTROL_BOUNDED',
      ]);
      // The control link's own handshake is traced under <node>/control.
      const control = events.filter((e) => e.kind === 'transition' && e.machine === 'icmsg' && e.domain === domain);
      expect(control.every((e) => e.kind === 'transition' && e.instance === 'ipc0/control')).toBe(true);
      const bound = events.findIndex(
        (e) => e.kind === 'transition' && e.domain === domain && e.to === 'CONTROL_BOUNDED',
      );
      const firstEpt = events.findIndex(
        (e) =>
          e.kind === 'transition' && e.domain === domain && e.machine === 'icbmsg-ept' && e.to !== 'EPT_CONFIGURED',
      );
      expect(bound).toBeLessThan(firstEpt);
    }
  });

  it("runs each endpoint's binding machine: the initiator through EPT_BOUNDING, the follower straight to EPT_READY", () => {
    const w = world(ICBMSG_THREE_ENDPOINTS);
    w.sim.run({ maxSteps: 200_000 });
    const path = (domain: string) =>
      w.sim.trace.events
        .filter(
          (e) =>
            e.kind === 'transition' && e.machine === 'icbmsg-ept' && e.domain === domain && e.instance === 'ipc0/hci',
        )
        .map((e) => (e.kind === 'transition' ? `${e.to} (${e.event})` : ''));
    // cpurad's RX blocks (in sram_app_to_rad, at offset 0) lie lower: it is the initiator.
    expect(path('cpurad')).toEqual([
      'EPT_CONFIGURED (REGISTER)',
      'EPT_BOUNDING (SEND_BOUND)',
      'EPT_READY (PEER_TRAFFIC)',
    ]);
    expect(path('cpuapp')).toEqual(['EPT_CONFIGURED (REGISTER)', 'EPT_READY (MATCHED)']);
  });

  it('refuses block counts the two sides do not mirror, and regions too small for their blocks', () => {
    const input = ICBMSG_THREE_ENDPOINTS;
    const skewed = { ...input, instances: input.instances.map((n, i) => (i === 0 ? { ...n, 'tx-blocks': 8 } : n)) };
    const parsed = parseScenario(skewed);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error[0]?.message).toMatch(/must mirror/);
    const tiny = parseScenario(
      icbmsgScenario({
        regionSize: 256,
        appToRadBlocks: 64,
        endpoints: [{ name: 'a', app: { kind: 'sink' }, rad: { kind: 'sink' } }],
      }),
    );
    expect(tiny.ok).toBe(false);
    if (!tiny.ok) expect(tiny.error.map((e) => e.message).join('\n')).toMatch(/ICBMsg build assert/);
  });
});

describe('ICBMsg no-copy traffic: get_tx_buffer waiting for blocks, held RX buffers', () => {
  /** A no-copy stream into a sink that holds each buffer for `holdUs`, over 8 blocks each way. */
  const noCopy = (txWaitMs: number | 'forever' | undefined, holdUs: number) =>
    world(
      icbmsgScenario({
        appToRadBlocks: 8,
        radToAppBlocks: 8,
        endpoints: [
          {
            name: 'bulk',
            app: {
              kind: 'stream',
              size: 300,
              count: 20,
              api: 'nocopy',
              retryUs: 50,
              ...(txWaitMs === undefined ? {} : { txWaitMs }),
            },
            rad: { kind: 'sink', holdUs },
          },
        ],
      }),
    );

  it('K_FOREVER: the sender blocks until the receiver releases, then every message arrives in order', () => {
    const w = noCopy('forever', 200);
    expect(w.sim.run({ maxSteps: 500_000 })).toBe('idle');
    const sender = w.endpoints.get('cpuapp/ipc0/bulk')?.stats;
    const sink = w.endpoints.get('cpurad/ipc0/bulk')?.stats;
    expect(sender).toMatchObject({ sent: 20, sendErrors: {} });
    expect(sink).toMatchObject({ received: 20, inOrder: 20, gaps: 0, corrupted: 0 });
    // It did block: once sending, its task waited in get_tx_buffer until a release woke it.
    const events = w.sim.trace.events;
    const firstSend = events.findIndex((e) => e.kind === 'api' && e.call === 'ipc_service_send_nocopy');
    const blocked = events
      .slice(firstSend)
      .filter((e) => e.kind === 'task' && e.task === 'ipc0/bulk' && e.domain === 'cpuapp' && e.phase === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    const holds = w.sim.trace.events.filter((e) => e.kind === 'api' && e.call === 'ipc_service_hold_rx_buffer');
    expect(holds.length).toBe(20);
    for (const instance of w.instances.values()) expect(instance.icbmsg?.allocator.free).toBe(8);
  });

  it('a timeout shorter than the hold: get_tx_buffer answers -EAGAIN, as k_sem_take does', () => {
    const w = noCopy(0.02, 400);
    w.sim.run({ maxSteps: 500_000 });
    const sender = w.endpoints.get('cpuapp/ipc0/bulk')?.stats;
    expect(sender?.sendErrors.EAGAIN ?? 0).toBeGreaterThan(0);
    expect(sender?.sendErrors.ENOMEM).toBeUndefined();
    expect(w.endpoints.get('cpurad/ipc0/bulk')?.stats).toMatchObject({ received: 20, inOrder: 20, gaps: 0 });
  });

  it('K_NO_WAIT: no room is -ENOMEM at once', () => {
    const w = noCopy(undefined, 400);
    w.sim.run({ maxSteps: 500_000 });
    const sender = w.endpoints.get('cpuapp/ipc0/bulk')?.stats;
    expect(sender?.sendErrors.ENOMEM ?? 0).toBeGreaterThan(0);
    expect(sender?.sendErrors.EAGAIN).toBeUndefined();
  });
});

describe('the no-copy preset', () => {
  it('delivers all 40 messages in order, the sender blocking on full blocks, every block free at the end', () => {
    const w = world(ICBMSG_NOCOPY_HOLD);
    expect(w.sim.run({ maxSteps: 500_000 })).toBe('idle');
    expect(w.endpoints.get('cpuapp/ipc0/bulk')?.stats).toMatchObject({ sent: 40, sendErrors: {} });
    expect(w.endpoints.get('cpurad/ipc0/bulk')?.stats).toMatchObject({ received: 40, inOrder: 40, corrupted: 0 });
    const held = w.sim.trace.events.filter((e) => e.kind === 'blocks' && e.use === 'held');
    expect(held).toHaveLength(40);
    for (const instance of w.instances.values()) expect(instance.icbmsg?.allocator.free).toBe(8);
  });
});
