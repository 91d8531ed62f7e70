/**
 * For random seeds, layouts, unbound modes, doorbell timings, boot orders and message sizes:
 * every message sent after bound is delivered exactly once, in order and intact, or its sender
 * got an error (and sent it again). Checked end to end through the IPC service, ICMsg, pbuf, the
 * mailbox and the seeded scheduler.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pbufCfgInit } from '../shm/pbuf';
import { buildWorld } from './build';
import { parseScenario } from './parse';
import { icmsgScenario } from './presets/icmsg';

const configArb = fc
  .record({
    seed: fc.nat(),
    flavour: fc.constantFrom('4.1/disable', '4.1/enable', '4.1/detect', '3.6/disable'),
    regionSize: fc.constantFrom(128, 256, 512, 1024, 4096),
    dcache: fc.constantFrom(8, 32),
    jitterUs: fc.integer({ min: 0, max: 4 }),
    coalesce: fc.boolean(),
    radBootAtUs: fc.integer({ min: 0, max: 300 }),
    count: fc.integer({ min: 20, max: 150 }),
    sizeA: fc.integer({ min: 4, max: 128 }),
    sizeB: fc.integer({ min: 4, max: 128 }),
  })
  .map((c) => {
    // A message must fit the ring (data[] - 8) and the receiver's 128-byte RX buffer.
    const dataLen = pbufCfgInit(
      0,
      c.regionSize,
      c.dcache,
      c.flavour !== '4.1/disable' && c.flavour !== '3.6/disable',
    ).len;
    const max = Math.min(128, dataLen - 8);
    const [min, hi] = [Math.min(c.sizeA, c.sizeB, max), Math.min(Math.max(c.sizeA, c.sizeB), max)];
    return { ...c, sizes: { min, max: hi } };
  });

type Config = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function run(c: Config, rad: 'sink' | 'echo') {
  const [zephyr, unbound] = c.flavour.split('/') as ['4.1' | '3.6', 'disable' | 'enable' | 'detect'];
  const parsed = parseScenario(
    icmsgScenario({
      seed: c.seed,
      zephyr,
      unbound,
      regionSize: c.regionSize,
      dcacheAlignment: c.dcache,
      radBootAtUs: c.radBootAtUs,
      app: { kind: 'stream', size: c.sizes, count: c.count },
      rad: { kind: rad },
      runtime: { mailbox: { jitterUs: c.jitterUs, coalesce: c.coalesce } },
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  const w = built.value;
  expect(w.sim.run({ maxTimeNs: 2_000_000_000 })).toBe('idle');
  const app = w.endpoints.get('cpuapp/ipc0/ep0');
  const remote = w.endpoints.get('cpurad/ipc0/ep0');
  if (!app || !remote) throw new Error('endpoints');
  return { app: app.stats, remote: remote.stats, sim: w.sim };
}

describe('message delivery over ICMsg', () => {
  it('delivers every message sent after bound exactly once, in order and intact', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const { app, remote, sim } = run(c, 'sink');
        expect(app.sent).toBe(c.count);
        expect(remote.inOrder).toBe(c.count);
        expect([remote.gaps, remote.repeats, remote.corrupted]).toEqual([0, 0, 0]);
        // The only refusals are a full ring; nothing else went wrong on the way.
        expect(Object.keys(app.sendErrors).filter((e) => e !== 'ENOMEM')).toEqual([]);
        expect(sim.trace.events.filter((e) => e.kind === 'assert' || e.kind === 'anomaly')).toEqual([]);
      }),
      { numRuns: 60, seed: 0x5eed },
    );
  });

  it('delivers every echo the remote sent back once and in order; the ones it could not send are missing, nothing else', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const { app, remote } = run(c, 'echo');
        expect(remote.received).toBe(c.count);
        expect(app.received).toBe(remote.sent);
        expect(remote.sent + (remote.sendErrors['ENOMEM'] ?? 0)).toBe(c.count);
        expect([app.repeats, app.corrupted]).toEqual([0, 0]);
      }),
      { numRuns: 40, seed: 0xec40 },
    );
  });
});
