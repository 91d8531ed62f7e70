// Review 9, batch C: semantics vs libipc / FreeRTOS / lib/mempool, and validation gaps.
import { it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { brief, run, rx, scenario, tx } from './review9h';

it('C1 mempool: a full first-fit region falls through to a larger one (lib/mempool asserts)', () => {
  const base = scenario([rx({ handleUs: 10_000 }), tx({ count: 3, periodUs: 10, takeOwnership: true, values: {} })]);
  const lib = base.libipc;
  if (!lib) throw new Error();
  const r = run({ ...base, libipc: { ...lib, pool: [{ name: 'msgs', size: 24, count: 1 }, { name: 'big', size: 64, count: 4 }] } });
  console.log('C1 pool', r.events.filter((e) => e.kind === 'pool').map((e) => (e.kind === 'pool' ? `${e.op} ${e.pool}[${e.entry}] ${e.size}` : '')));
  console.log('C1 asserts', r.events.filter((e) => e.kind === 'assert').length);
});

it('C2 equal-priority senders: the one declared first gets the slot, not the one that waited longest', () => {
  const filler = tx({ count: 2, periodUs: 50, takeOwnership: false, values: {} }, { name: 'filler', startAtUs: 100, priority: 1 });
  const b = tx({ count: 1, periodUs: 50, values: {} }, { name: 'b_waits_first', startAtUs: 200, priority: 3 });
  const a = tx({ count: 1, periodUs: 50, values: {} }, { name: 'a_waits_second', startAtUs: 300, priority: 3 });
  // a is declared before b.
  const r = run(scenario([rx({ handleUs: 10_000 }), filler, a, b], {}, 1));
  console.log('C2', r.ports.filter((e) => ['send', 'send-blocked'].includes(e.op) && e.task !== 'filler').map((e) => `${(e.t / 1e6).toFixed(3)}ms ${e.op} ${e.task}`));
});

it('C3 a uint64_t value that is not an integer passes validation and crashes the task step', () => {
  const input = scenario([rx(), tx({ count: 1, values: { big: 1.5 } })]);
  console.log('C3 parse ok', parseScenario(input).ok);
  const r = run(input);
  console.log('C3 notes', r.events.filter((e) => e.kind === 'note').map((e) => (e.kind === 'note' ? `${e.domain}: ${e.text}` : '')));
  console.log('C3 halted', r.w.sim.domain('mcu')?.halted);
});

it('C4 a string for a numeric field (or a number for char[]) is accepted and silently not written', () => {
  const input = scenario([rx(), tx({ count: 1, counter: undefined, values: { sequence: 'seven', text: 12345 } })]);
  const p = parseScenario(input);
  console.log('C4 parse ok', p.ok, p.ok ? '' : brief(p.error.map((e) => ({ rule: e.path, message: e.message }))));
  const r = run(input);
  const send = r.ports.find((e) => e.op === 'send');
  const at = (send?.object ?? 0) - r.w.sim.map.base;
  console.log('C4 bytes of the sent object', [...r.w.sim.map.bytes.subarray(at, at + 24)].map((b) => b.toString(16)).join(' '));
});
