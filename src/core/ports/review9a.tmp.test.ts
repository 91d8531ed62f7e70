// Review 9, batch A: checker false positives / negatives under port faults.
import { it } from 'vitest';
import { brief, run, rx, scenario, tx } from './review9h';

it('H1 port-duplicate: after the doubled item, the next in-order receive is flagged in-order', () => {
  const r = run(
    scenario([rx({ handleUs: 1_000 }), tx({ count: 3, takeOwnership: false })], {
      faults: [{ id: 'f1', kind: 'port-duplicate', target: { port: 'foo_port' }, schedule: { count: 1 } }],
    }),
  );
  console.log('H1 recv order', r.ports.filter((e) => e.op === 'recv').map((e) => e.msgId));
  console.log('H1 violations', brief(r.violations));
});

it('H2 port-drop of a by-reference message: flagged as reference-overwritten, not delivered-once', () => {
  const r = run(
    scenario([rx({ handleUs: 100 }), tx({ count: 3, takeOwnership: false })], {
      faults: [{ id: 'f1', kind: 'port-drop', target: { port: 'foo_port' }, schedule: { count: 1 } }],
    }),
  );
  console.log('H2 recv', r.ports.filter((e) => e.op === 'recv').map((e) => e.msgId));
  console.log('H2 violations', brief(r.violations));
});

it('H2b port-drop of the LAST by-reference message: delivered-once (control)', () => {
  const r = run(
    scenario([rx({ handleUs: 100 }), tx({ count: 1, takeOwnership: false })], {
      faults: [{ id: 'f1', kind: 'port-drop', target: { port: 'foo_port' }, schedule: { count: 1 } }],
    }),
  );
  console.log('H2b violations', brief(r.violations));
});
