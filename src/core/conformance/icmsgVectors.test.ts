/**
 * The ICMsg scenario runner on scenarios that start from memory: side A was left running by an
 * earlier session while side B warm-reset (reference F6/F7). The expected region images are laid
 * out here by hand, from the pbuf format rules, not by the project's pbuf.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../hex';
import { formatReport, runVectorDocument } from './runVectors';

const MAGIC = '456d316c314b30726e336c6934';
const SIZE = 64;

/** A 64-byte region, dcache 0, no handshake: rd_idx@0, wr_idx@4, data[56]@8; `fill` elsewhere. */
function region(
  rd: number,
  wr: number,
  packets: readonly (readonly [number, string])[],
  fill = 0,
  handshake?: number,
): string {
  const bytes = new Uint8Array(SIZE).fill(fill);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, rd, true);
  const wrAt = handshake === undefined ? 4 : 8;
  if (handshake !== undefined) view.setUint32(4, handshake, true);
  view.setUint32(wrAt, wr, true);
  for (const [at, payloadHex] of packets) {
    const len = payloadHex.length / 2;
    const data = wrAt + 4;
    bytes[data + at] = len >> 8;
    bytes[data + at + 1] = len & 0xff;
    bytes[data + at + 2] = 0;
    bytes[data + at + 3] = 0;
    for (let i = 0; i < len; i++) bytes[data + at + 4 + i] = parseInt(payloadHex.slice(2 * i, 2 * i + 2), 16);
  }
  return toHex(bytes);
}

const side = (
  state: string,
  o: Partial<
    Record<'local_sid' | 'remote_sid' | 'bound_calls' | 'unbound_calls' | 'received' | 'pending_doorbells', number>
  > = {},
) => ({
  state,
  local_sid: 0,
  remote_sid: 0,
  bound_calls: 0,
  unbound_calls: 0,
  received: 0,
  pending_doorbells: 0,
  ...o,
});

/** ICMsg 1.0: A kept running, B rebooted and opens again over the old session's memory. */
function warmResetV10() {
  const oldSession = region(20, 20, [[0, MAGIC]]);
  return {
    name: 'H_self_warm_reset_v10',
    region_size: SIZE,
    dcache_alignment: 0,
    use_handshake: false,
    initial_fill: 0,
    initial_image: { AtoB_hex: oldSession, BtoA_hex: oldSession },
    initial_state: {
      A: { ...side('CONNECTED_SID_DISABLED', { bound_calls: 1 }), tx_local_wr_idx: 20, rx_local_rd_idx: 20 },
      B: { ...side('OFF'), tx_local_wr_idx: 0, rx_local_rd_idx: 0 },
    },
    steps: [
      {
        i: 0,
        op: 'open',
        side: 'B',
        ret: 0,
        note: 'B resets its TX FIFO and writes the same magic again at data[0]: wr_idx 20, the old value',
        A: side('CONNECTED_SID_DISABLED', { bound_calls: 1, pending_doorbells: 1 }),
        B: side('INITIALIZING_SID_DISABLED'),
        region_AtoB_hex: oldSession,
        region_BtoA_hex: region(0, 20, [[0, MAGIC]]),
      },
      {
        i: 1,
        op: 'doorbell',
        side: 'A',
        ret: 0,
        note: "A's read index is already 20: it never sees B's magic, and rings nobody",
        A: side('CONNECTED_SID_DISABLED', { bound_calls: 1 }),
        B: side('INITIALIZING_SID_DISABLED'),
        region_AtoB_hex: oldSession,
        region_BtoA_hex: region(0, 20, [[0, MAGIC]]),
        received_hex: [],
      },
      {
        i: 2,
        op: 'send',
        side: 'A',
        data_hex: '68692121',
        ret: 4,
        A: side('CONNECTED_SID_DISABLED', { bound_calls: 1 }),
        B: side('INITIALIZING_SID_DISABLED', { pending_doorbells: 1 }),
        region_AtoB_hex: region(20, 28, [
          [0, MAGIC],
          [20, '68692121'],
        ]),
        region_BtoA_hex: region(0, 20, [[0, MAGIC]]),
      },
      {
        i: 3,
        op: 'doorbell',
        side: 'B',
        ret: 0,
        note: "B reads the stale magic from the old session as A's: bound; then A's data",
        A: side('CONNECTED_SID_DISABLED', { bound_calls: 1, pending_doorbells: 1 }),
        B: side('CONNECTED_SID_DISABLED', { bound_calls: 1, received: 1 }),
        region_AtoB_hex: region(28, 28, [
          [0, MAGIC],
          [20, '68692121'],
        ]),
        region_BtoA_hex: region(0, 20, [[0, MAGIC]]),
        received_hex: ['68692121'],
      },
    ],
  };
}

/** ICMsg 1.1: A was bound in session (1, 2); B rebooted and requests a new session. */
function warmResetV11() {
  const handshakeRegion = (rd: number, wr: number, hs: number) => {
    const bytes = new Uint8Array(SIZE);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, rd, true);
    view.setUint32(4, hs, true);
    view.setUint32(8, wr, true);
    return toHex(bytes);
  };
  return {
    name: 'H_self_warm_reset_v11',
    region_size: SIZE,
    dcache_alignment: 8,
    use_handshake: true,
    initial_fill: 0,
    // A->B: B (the reader) had written MAKE_RX(2, 1); B->A: A had written MAKE_RX(1, 2).
    initial_image: { AtoB_hex: handshakeRegion(8, 8, 0x0001_0002), BtoA_hex: handshakeRegion(12, 12, 0x0002_0001) },
    initial_state: {
      A: {
        ...side('CONNECTED_SID_ENABLED', { local_sid: 1, remote_sid: 2, bound_calls: 1 }),
        tx_local_wr_idx: 8,
        rx_local_rd_idx: 12,
      },
      B: { ...side('OFF'), tx_local_wr_idx: 0, rx_local_rd_idx: 0 },
    },
    steps: [
      {
        i: 0,
        op: 'open',
        side: 'B',
        ret: 0,
        note: 'B reads its TX word 0x00020001: ack 2, base 1, so it requests session 3 (skipping 2)',
        A: side('CONNECTED_SID_ENABLED', { local_sid: 1, remote_sid: 2, bound_calls: 1, pending_doorbells: 1 }),
        B: side('INITIALIZING_SID_ENABLED', { local_sid: 3 }),
        region_AtoB_hex: handshakeRegion(8, 8, 0x0000_0003),
        region_BtoA_hex: handshakeRegion(12, 12, 0x0002_0001),
      },
      {
        i: 1,
        op: 'doorbell',
        side: 'A',
        ret: 0,
        note: "A's peer now requests 3, not 2: the session changed, unbound()",
        A: side('DISCONNECTED', { local_sid: 1, remote_sid: 2, bound_calls: 1, unbound_calls: 1 }),
        B: side('INITIALIZING_SID_ENABLED', { local_sid: 3 }),
        region_AtoB_hex: handshakeRegion(8, 8, 0x0000_0003),
        region_BtoA_hex: handshakeRegion(12, 12, 0x0002_0001),
        received_hex: [],
        dropped_hex: [],
      },
    ],
  };
}

const file = (configs: unknown[]) => ({ format: 'zephyr-pbuf-golden/1', errno: {}, configs });

describe('ICMsg scenarios that start from memory', () => {
  it('replays a 1.0 warm reset: the stale magic binds the rebooted side, the running one never notices', () => {
    expect(runVectorDocument('self', file([warmResetV10()])).map(formatReport)).toEqual([
      'PASS H_self_warm_reset_v10 (4 steps)',
    ]);
  });

  it('replays a 1.1 warm reset: the running side sees the new session request and reports unbound', () => {
    expect(runVectorDocument('self', file([warmResetV11()])).map(formatReport)).toEqual([
      'PASS H_self_warm_reset_v11 (2 steps)',
    ]);
  });

  it('fails a step whose expected side state differs, naming the field', () => {
    const scenario = warmResetV11();
    const step = scenario.steps[1];
    if (!step) throw new Error('fixture');
    step.A = side('CONNECTED_SID_ENABLED', { local_sid: 1, remote_sid: 2, bound_calls: 1 });
    expect(runVectorDocument('self', file([scenario])).map(formatReport)).toEqual([
      'FAIL H_self_warm_reset_v11 step 1: (doorbell A) A.state: expected "CONNECTED_SID_ENABLED", got "DISCONNECTED"',
    ]);
  });

  it('fails a step whose payloads differ', () => {
    const scenario = warmResetV10();
    const step = scenario.steps[3];
    if (!step) throw new Error('fixture');
    step.received_hex = ['68692122'];
    expect(runVectorDocument('self', file([scenario])).map(formatReport)[0]).toMatch(
      /^FAIL H_self_warm_reset_v10 step 3: \(doorbell B\) received_hex/,
    );
  });

  it('rejects a scenario with an unknown state instead of throwing', () => {
    const scenario = warmResetV10();
    scenario.initial_state.A = { ...scenario.initial_state.A, state: 'SLEEPING' };
    expect(runVectorDocument('self', file([scenario])).map(formatReport)).toEqual([
      'FAIL H_self_warm_reset_v10: initial_state.A.state: unknown state SLEEPING',
    ]);
  });
});
