// Review 9, batch E: more checker negatives / positives.
import { it } from 'vitest';
import { brief, run, rx, scenario, tx } from './review9h';

it('E1 port-delay of a by-reference item: the static is rewritten before the late item is read, not flagged', () => {
  const r = run(
    scenario([rx({ handleUs: 10 }), tx({ count: 3, periodUs: 100, takeOwnership: false })], {
      faults: [{ id: 'd', kind: 'port-delay', target: { port: 'foo_port' }, delayUs: 500, schedule: { count: 1 } }],
    }),
  );
  const recv = r.ports.filter((e) => e.op === 'recv');
  // What the receiver finds in the object when it receives the late message #1: the counter (sequence) field.
  console.log('E1 recv', recv.map((e) => `#${e.msgId} at ${e.t / 1e3}us`));
  console.log('E1 writes', r.ports.filter((e) => e.op === 'write').map((e) => `#${e.msgId} at ${e.t / 1e3}us`));
  console.log('E1 violations', brief(r.violations));
});

it('E2 pool-exhaust for good: every taken entry is reported as leaked', () => {
  const r = run(scenario([rx(), tx({ count: 0 === 0 ? 1 : 1, takeOwnership: false })], {
    faults: [{ id: 'x', kind: 'pool-exhaust', schedule: { atUs: 10 } }],
  }));
  console.log('E2', r.violations.length, 'violations, rules', [...new Set(r.violations.map((v) => v.rule))], r.violations[0]?.message);
});

it('E3 port-corrupt: the receiver reads a changed member, the checker says nothing', () => {
  const r = run(
    scenario([rx({ handleUs: 2_000 }), tx({ count: 3, takeOwnership: true })], {
      faults: [{ id: 'c', kind: 'port-corrupt', target: { port: 'foo_port', member: 'level' }, value: 0xee, schedule: { atUs: 700 } }],
    }),
  );
  console.log('E3 fault', r.events.filter((e) => e.kind === 'fault').map((e) => (e.kind === 'fault' ? e.detail : '')));
  console.log('E3 violations', brief(r.violations));
});
