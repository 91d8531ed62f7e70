/**
 * Random fault schedules on hardened builds: the core never throws or halts a domain on an
 * internal error, the debugger's derived state and descriptions take every event, and every
 * message that was lost is caught by an invariant or was reported to the user code. (That
 * corrupted bytes are caught is specified where it is deterministic: invariants.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildWorld,
  checkTrace,
  CHANNEL_FAULTS,
  FAULT_KINDS,
  PORT_FAULTS,
  PORT_SEND_FAULTS,
  type FaultInput,
  ICBMSG_THREE_ENDPOINTS,
  icmsgScenario,
  parseScenario,
  type ScenarioInput,
  type TraceEvent,
} from '../../core';
import { ColumnTrace } from '../trace/TraceTable';
import { Deriver } from './derive';
import { describeEvent } from './describe';

const HARDENED = { mode: 'inline', pbuf: 'hardened', icbmsg: 'hardened' } as const;

const BASES: readonly ScenarioInput[] = [
  icmsgScenario({
    unbound: 'enable',
    dcacheAlignment: 32,
    app: { kind: 'stream', size: { min: 4, max: 100 }, count: 40, retryUs: 20 },
    rad: { kind: 'echo' },
    radBootAtUs: 60,
    runtime: HARDENED,
  }),
  { ...ICBMSG_THREE_ENDPOINTS, runtime: HARDENED },
];

const CHANNELS = ['app_to_rad', 'rad_to_app'];
const REGIONS = ['sram_app_to_rad', 'sram_rad_to_app'];
const DOMAINS = ['cpuapp', 'cpurad'];
const FIELDS = ['rd_idx', 'wr_idx', 'handshake', 'length', 'payload', 'control', 'block-header', 'offset'] as const;

const faultArb: fc.Arbitrary<Omit<FaultInput, 'id'>> = fc.record({
  // libipc and channel-task faults need a scenario with ports or channel tasks: these have none
  // (covered by ports/portFaults.test.ts and channels/channels.test.ts).
  kind: fc.constantFrom(
    ...FAULT_KINDS.filter(
      (k) =>
        k !== 'misconfigure' &&
        !(PORT_SEND_FAULTS as readonly string[]).includes(k) &&
        !(PORT_FAULTS as readonly string[]).includes(k) &&
        !(CHANNEL_FAULTS as readonly string[]).includes(k),
    ),
  ),
  target: fc.record({
    channel: fc.constantFrom(...CHANNELS),
    region: fc.constantFrom(...REGIONS),
    field: fc.constantFrom(...FIELDS),
    offset: fc.integer({ min: 0, max: 40 }),
    block: fc.integer({ min: 0, max: 20 }),
    domain: fc.constantFrom(...DOMAINS),
    instance: fc.constant('ipc0'),
  }),
  probability: fc.double({ min: 0.05, max: 1, noNaN: true }),
  schedule: fc.record(
    {
      atUs: fc.integer({ min: 0, max: 1500 }),
      afterMessages: fc.integer({ min: 0, max: 30 }),
      count: fc.integer({ min: 1, max: 4 }),
      flipFlop: fc.record({ onUs: fc.integer({ min: 5, max: 200 }), offUs: fc.integer({ min: 5, max: 200 }) }),
    },
    { requiredKeys: [] },
  ),
  value: fc.integer({ min: 0, max: 0xffff_ffff }),
  bit: fc.integer({ min: 0, max: 7 }),
  delayUs: fc.integer({ min: 0, max: 300 }),
  durationUs: fc.integer({ min: 1, max: 500 }),
});

function runWith(base: ScenarioInput, faults: readonly Omit<FaultInput, 'id'>[]) {
  const parsed = parseScenario({ ...base, faults: faults.map((f, i) => ({ ...f, id: `f${i}` })) });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  const w = built.value;
  const outcome = w.sim.run({ maxSteps: 15_000 });
  return { w, outcome };
}

describe('random faults on hardened builds', () => {
  it('never crash, and every lost message is caught or reported', () => {
    let runs = 0;
    let idle = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BASES.length - 1 }),
        fc.array(faultArb, { minLength: 1, maxLength: 4 }),
        (b, faults) => {
          const base = BASES[b];
          if (!base) return;
          const { w, outcome } = runWith(base, faults);
          const events = w.sim.trace.events;
          // The core never failed inside: no domain halted on an internal error.
          expect(events.filter((e) => e.kind === 'note' && e.text.startsWith('internal error'))).toEqual([]);
          // The debugger takes every event: derived state and descriptions.
          const table = new ColumnTrace();
          for (const e of events) {
            table.append(e);
            expect(describeEvent(e).title.length).toBeGreaterThan(0);
          }
          new Deriver().at(table, table.length);
          runs += 1;
          if (outcome !== 'idle') return; // still running (a livelock such as F12's): nothing is lost yet
          idle += 1;
          // Lost messages are caught (a violation from their send) or were reported (unbound/error).
          const violations = checkTrace(w.scenario, events, w.sim.map.bytes);
          const caught = new Set(violations.flatMap((v) => (v.rule === 'delivered-once' ? [v.firstSeq] : [])));
          const delivered = new Set(
            events.flatMap((e) =>
              e.kind === 'callback' && e.callback === 'received' && e.endpoint !== 'control' ? [e.msgId] : [],
            ),
          );
          const told = events.filter(
            (e) => e.kind === 'callback' && (e.callback === 'unbound' || e.callback === 'error'),
          );
          for (const e of events) {
            if (e.kind !== 'api' || !e.call.startsWith('ipc_service_send') || typeof e.result !== 'number') continue;
            if (e.msgId === undefined || delivered.has(e.msgId)) continue;
            const reported = told.some((t: TraceEvent) => t.seq > e.seq);
            expect(caught.has(e.seq) || reported, `message #${e.msgId} sent at event ${e.seq}`).toBe(true);
          }
        },
      ),
      { numRuns: 60, seed: 0x1ca7 },
    );
    // Most runs end quiescent, so the loss check above is not vacuous.
    expect(idle).toBeGreaterThan(runs / 2);
  });
});
