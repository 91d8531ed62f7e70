// Review 9, batch B: fault targeting, counts, resets.
import { it } from 'vitest';
import { faultSchema } from '../faults/schema';
import { LIBIPC_POWER_OFF_RESET, LIBIPC_TWO_CORES } from '../scenario/presets/libipc';
import { brief, run, rx, scenario, tx, world } from './review9h';

it('H3 port-drop with target.domain cpuapp acts on cpurad sends (domain ignored), parse accepts it', () => {
  const r = run({
    ...LIBIPC_TWO_CORES,
    faults: [{ id: 'f1', kind: 'port-drop', target: { domain: 'cpuapp', port: 'ui_port' }, schedule: { count: 1 } }],
  }, 400_000);
  const faults = r.events.filter((e) => e.kind === 'fault');
  console.log('H3 fault events', faults.map((e) => `${e.domain} ${e.kind === 'fault' ? e.target + ' ' + e.detail : ''}`));
});

it('H4 port-drop count:1 acts once per sending domain (twice in all)', () => {
  const r = run({
    ...LIBIPC_TWO_CORES,
    faults: [{ id: 'f1', kind: 'port-drop', schedule: { count: 1 } }],
  }, 400_000);
  const faults = r.events.filter((e) => e.kind === 'fault');
  console.log('H4 fault events', faults.map((e) => `${e.domain} ${e.kind === 'fault' ? e.target : ''}`));
});

it('H5a a port fault with count 1 acts again after every device reset', () => {
  const r = run({
    ...LIBIPC_POWER_OFF_RESET,
    faults: [{ id: 'f1', kind: 'port-drop', target: { port: 'sysinfo_port' }, schedule: { count: 1 } }],
  }, 60_000, 1_200_000_000);
  const faults = r.events.filter((e) => e.kind === 'fault');
  const resets = r.events.filter((e) => e.kind === 'domain' && e.status === 'reset');
  console.log('H5a resets', resets.length, 'fault actions', faults.length, 'injector acted', r.w.faults.faults.find((f) => f.fault.id === 'f1')?.acted);
});

it('H5b a port fault added by hand is forgotten by a device reset', () => {
  const w = world(LIBIPC_POWER_OFF_RESET);
  w.sim.run({ maxTimeNs: 10_000_000 });
  w.faults.add(faultSchema.parse({ id: 'hand', kind: 'port-duplicate', target: { port: 'sysinfo_port' } }));
  w.sim.run({ maxSteps: 60_000, maxTimeNs: 1_000_000_000 });
  const ev = w.sim.trace.events;
  const firstReset = ev.find((e) => e.kind === 'domain' && e.status === 'reset');
  const before = ev.filter((e) => e.kind === 'fault' && e.seq < (firstReset?.seq ?? Infinity)).length;
  const after = ev.filter((e) => e.kind === 'fault' && e.seq > (firstReset?.seq ?? Infinity)).length;
  const sendsAfter = ev.filter((e) => e.kind === 'port' && e.op === 'send' && e.seq > (firstReset?.seq ?? Infinity)).length;
  console.log('H5b reset at', firstReset?.t, 'drops before', before, 'drops after', after, 'sends after reset', sendsAfter,
    'injector still lists it:', w.faults.faults.some((f) => f.fault.id === 'hand'));
});

it('H6 pool-exhaust with durationUs across a warm reset frees entries the new life allocated', () => {
  const r = run(
    scenario([rx({ handleUs: 1_000 }), tx({ count: 20, periodUs: 100, takeOwnership: true }, { startAtUs: 500 })], {
      faults: [
        { id: 'ex', kind: 'pool-exhaust', durationUs: 2_000, schedule: { atUs: 10 } },
        { id: 'rst', kind: 'warm-reset', target: { domain: 'mcu' }, schedule: { atUs: 300 } },
      ],
    }),
  );
  const pool = r.events.filter((e) => e.kind === 'pool' && e.task === 'fault');
  console.log('H6 frees by the fault', pool.length);
  const asserts = r.events.filter((e) => e.kind === 'assert');
  console.log('H6 asserts', asserts.map((e) => (e.kind === 'assert' ? e.message : '')));
  console.log('H6 violations', brief(r.violations).slice(0, 5));
});
