/**
 * Replays an ICMsg scenario config (`H_…`) through our ICMsg and the inline runtime, with the
 * script as the scheduler: `open`/`close`/`send` call the side's ICMsg, `doorbell` delivers one
 * pending doorbell to a side and runs what it triggers there (interrupt, then the work queue until
 * it stops asking to re-run), `doorbell_lost` throws one away. Doorbells are counted, not
 * coalesced, and a ring to a side that is OFF stays pending until the script drops it.
 *
 * After every step it compares the return value, both sides' observable state, both regions byte
 * for byte, the payloads handed to the application or dropped, and the cache maintenance.
 */
import type { Result } from '../errno';
import { fromHex, toHex } from '../hex';
import type { Icmsg, IcmsgCallbacks } from '../backends/icmsg/Icmsg';
import { createIcmsgPair, type IcmsgPair } from '../backends/icmsg/icmsgPair';
import { ICMSG_STATES, type IcmsgState, type UnboundMode } from '../backends/icmsg/icmsgWire';
import type { CacheOp } from '../shm/MemoryView';
import { expectedResult } from './pbufVectors';
import { type ConfigReport, describeFieldDifference, describeImageDifference } from './report';
import type { IcmsgScenario, IcmsgSideState, IcmsgStep } from './vectorFile';

type Side = 'A' | 'B';

/** More work items than this in one `doorbell` step means the receiver re-runs forever. */
const MAX_PASSES_PER_DOORBELL = 1000;

const isIcmsgState = (s: string): s is IcmsgState => (ICMSG_STATES as readonly string[]).includes(s);

export function runIcmsgScenario(
  config: IcmsgScenario,
  errnoNames: Readonly<Record<string, number>> = {},
): ConfigReport {
  const name = config.name;
  const fail = (step: number | null, message: string): ConfigReport => ({ name, status: 'fail', step, message });
  const size = config.region_size;

  const modeOf = (side: Side): UnboundMode => {
    const explicit = config.unbound_mode?.[side];
    if (explicit) return explicit;
    const handshake = config.use_handshake_by_side?.[side] ?? config.use_handshake;
    return handshake ? 'ENABLE' : 'DISABLE';
  };
  const created = createIcmsgPair({
    regionSize: size,
    dcacheAlignment: config.dcache_alignment,
    unbound: { A: modeOf('A'), B: modeOf('B') },
    fill: config.initial_fill,
    mailbox: { latencyNs: 0, jitterNs: 0, coalesce: false, loseWhenDisabled: false },
  });
  if (!created.ok) return fail(null, created.error);
  const pair: IcmsgPair = created.value;
  const { sim } = pair;
  const map = sim.map;

  let cacheOps: (readonly ['F' | 'I', number, number, number])[] = [];
  let received: string[] = [];
  let dropped: string[] = [];
  for (const side of ['A', 'B'] as const) {
    const mem = pair[side].kernel.domain.mem;
    const previous = mem.observer;
    mem.observer = {
      ...previous,
      cacheOp: (op: CacheOp, offset: number, length: number) =>
        cacheOps.push([
          op === 'flush' ? 'F' : 'I',
          offset < size ? 0 : 1,
          offset < size ? offset : offset - size,
          length,
        ]),
    };
    pair[side].onDropped = (data) => dropped.push(toHex(data));
  }
  const callbacks = (): IcmsgCallbacks => ({ received: (data) => received.push(toHex(data)) });

  if (config.initial_image) {
    for (const [hex, offset] of [
      [config.initial_image.AtoB_hex, 0],
      [config.initial_image.BtoA_hex, size],
    ] as const) {
      const bytes = fromHex(hex);
      if (!bytes.ok || bytes.value.length !== size)
        return fail(null, `initial_image: ${bytes.ok ? 'wrong length' : bytes.error}`);
      map.bytes.set(bytes.value, offset);
    }
  }
  if (config.initial_state) {
    for (const side of ['A', 'B'] as const) {
      const s = config.initial_state[side];
      if (!isIcmsgState(s.state)) return fail(null, `initial_state.${side}.state: unknown state ${s.state}`);
      const icmsg = pair[side];
      icmsg.counters.bound = s.bound_calls;
      icmsg.counters.unbound = s.unbound_calls;
      icmsg.counters.received = s.received;
      if (s.state !== 'OFF' || s.local_sid !== 0 || s.remote_sid !== 0) {
        icmsg.adopt(
          {
            state: s.state,
            localSid: s.local_sid,
            remoteSid: s.remote_sid,
            txLocalWrIdx: s.tx_local_wr_idx,
            rxLocalRdIdx: s.rx_local_rd_idx,
          },
          callbacks(),
        );
      } else {
        icmsg.tx.data.wrIdx = s.tx_local_wr_idx;
        icmsg.rx.data.rdIdx = s.rx_local_rd_idx;
      }
      const channel = sim.mailbox.channel(side === 'A' ? 'B->A' : 'A->B');
      if (channel && s.pending_doorbells > 0) {
        channel.pending = s.pending_doorbells;
        channel.deliverAt = 0;
      }
    }
  }

  /** What a step returned, or why it could not be performed. */
  const perform = (step: IcmsgStep): { ret: Result } | { error: string } => {
    const icmsg: Icmsg = pair[step.side];
    switch (step.op) {
      case 'open':
        return { ret: icmsg.open(callbacks()) };
      case 'close':
        return { ret: icmsg.close() };
      case 'send': {
        const data = fromHex(step.data_hex ?? '');
        if (!data.ok) return { error: `send: bad data_hex: ${data.error}` };
        const len = typeof step['len'] === 'number' ? step['len'] : data.value.length;
        return { ret: icmsg.send(data.value, len) };
      }
      case 'doorbell': {
        const domain = icmsg.kernel.domain;
        if (!sim.deliverDoorbell(step.side, 0)) return { error: 'doorbell: none pending' };
        const passes = sim.drainWork(domain, MAX_PASSES_PER_DOORBELL);
        if (domain.hasWork) return { error: `doorbell: the receiver still asks to re-run after ${passes} passes` };
        return { ret: 0 };
      }
      case 'doorbell_lost':
        return sim.discardDoorbell(step.side) ? { ret: 0 } : { error: 'doorbell_lost: none pending' };
      default:
        return { error: `unknown op "${step.op}"` };
    }
  };

  const sideDiff = (side: Side, expected: IcmsgSideState): string | null => {
    const icmsg = pair[side];
    return describeFieldDifference([
      [`${side}.state`, expected.state, icmsg.state],
      [`${side}.machine`, expected.state, icmsg.machineState],
      [`${side}.local_sid`, expected.local_sid, icmsg.localSid],
      [`${side}.remote_sid`, expected.remote_sid, icmsg.remoteSid],
      [`${side}.bound_calls`, expected.bound_calls, icmsg.counters.bound],
      [`${side}.unbound_calls`, expected.unbound_calls, icmsg.counters.unbound],
      [`${side}.received`, expected.received, icmsg.counters.received],
      [`${side}.pending_doorbells`, expected.pending_doorbells, sim.pendingDoorbells(side)],
    ]);
  };

  for (const step of config.steps) {
    cacheOps = [];
    received = [];
    dropped = [];
    const outcome = perform(step);
    const failAt = (message: string) => fail(step.i, `(${step.op} ${step.side}) ${message}`);
    if ('error' in outcome) return failAt(outcome.error);
    const actual = outcome.ret;
    const expected = expectedResult(step.ret, step.ret_name, errnoNames);
    if (expected !== actual) return failAt(`ret: expected ${String(expected)}, got ${String(actual)}`);
    const diff =
      sideDiff('A', step.A) ??
      sideDiff('B', step.B) ??
      describeImageDifference('region_AtoB_hex', step.region_AtoB_hex, toHex(map.bytes.subarray(0, size))) ??
      describeImageDifference('region_BtoA_hex', step.region_BtoA_hex, toHex(map.bytes.subarray(size, 2 * size))) ??
      (step.received_hex === undefined ? null : listDifference('received_hex', step.received_hex, received)) ??
      (step.dropped_hex === undefined ? null : listDifference('dropped_hex', step.dropped_hex, dropped)) ??
      (step.cache_ops === undefined
        ? null
        : listDifference('cache_ops', step.cache_ops.map(String), cacheOps.map(String)));
    if (diff !== null) return failAt(diff);
  }
  return { name, status: 'pass', steps: config.steps.length };
}

function listDifference(label: string, expected: readonly string[], actual: readonly string[]): string | null {
  if (expected.length === actual.length && expected.every((e, i) => e === actual[i])) return null;
  return `${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
