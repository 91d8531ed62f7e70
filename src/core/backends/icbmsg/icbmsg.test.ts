import { describe, expect, it } from 'vitest';
import * as ipc from '../../ipc/ipcService';
import type { IpcEndpoint } from '../../ipc/types';
import type { Simulation } from '../../sim/Simulation';
import { encodeUtf8 } from '../../utf8';
import { endpoint, type Log, rig } from './rig';

const text = (s: string) => encodeUtf8(s);
const newLog = (): Log => ({ bound: 0, received: [] });
const run = (sim: Simulation) => sim.run({ maxSteps: 20_000 });

/** A rig with one endpoint "ep" registered and bound on each side; `log` is B's. */
function boundPair(blocks = 8, onReceived?: (data: Uint8Array) => void, mode: 'faithful' | 'hardened' = 'faithful') {
  const r = rig(blocks, mode);
  const log = newLog();
  const a = endpoint(r.A.instance, 'ep', newLog());
  const b = endpoint(r.B.instance, 'ep', log, onReceived);
  ipc.openInstance(r.A.instance);
  ipc.openInstance(r.B.instance);
  a.register();
  b.register();
  run(r.sim);
  return { ...r, a, b, log };
}

describe('ICBMsg (legacy) between two cores', () => {
  it('chooses the initiator by address: the side whose RX blocks lie lower', () => {
    const { A, B } = rig();
    expect(B.backend.isInitiator).toBe(true);
    expect(A.backend.isInitiator).toBe(false);
    expect(A.backend.tx.blockSize).toBe(108);
  });

  it('binds endpoints by name whichever side registers first, then carries data both ways', () => {
    for (const followerFirst of [true, false]) {
      const { sim, A, B } = rig();
      const logs = { a1: newLog(), a2: newLog(), b1: newLog(), b2: newLog() };
      const a1 = endpoint(A.instance, 'hci', logs.a1);
      const a2 = endpoint(A.instance, 'app', logs.a2);
      const b1 = endpoint(B.instance, 'hci', logs.b1);
      const b2 = endpoint(B.instance, 'app', logs.b2);
      ipc.openInstance(A.instance);
      ipc.openInstance(B.instance);
      if (followerFirst) {
        a2.register();
        a1.register();
        run(sim);
        b1.register();
        b2.register();
      } else {
        b1.register();
        b2.register();
        run(sim);
        a1.register();
        a2.register();
      }
      run(sim);
      for (const log of Object.values(logs)) expect(log.bound).toBe(1);
      expect(A.backend.endpoints.map((e) => e.state).slice(0, 2)).toEqual(['EPT_READY', 'EPT_READY']);

      expect(ipc.send(a1.ept, text('to hci'))).toBe(6);
      expect(ipc.send(b2.ept, text('to app'))).toBe(6);
      run(sim);
      expect(logs.b1.received).toEqual(['to hci']);
      expect(logs.a2.received).toEqual(['to app']);
      expect(logs.b2.received).toEqual([]);
      // Every block came back: the receivers released them, the names were released at bind.
      expect(A.backend.allocator.free).toBe(8);
      expect(B.backend.allocator.free).toBe(8);
    }
  });

  it('writes the block header (size, little-endian) and the data where the layout says', () => {
    const { sim, map, A, B } = rig();
    const a = endpoint(A.instance, 'ep', newLog());
    const b = endpoint(B.instance, 'ep', newLog());
    ipc.openInstance(A.instance);
    ipc.openInstance(B.instance);
    a.register();
    b.register();
    run(sim);
    expect(ipc.send(a.ept, text('hello'))).toBe(5);
    // Block 0 of A's TX region: after the ICMsg area (K = 1024 - 8 * 108 = 160).
    const block0 = A.backend.txBlocks;
    expect(block0).toBe(160);
    expect(Array.from(map.bytes.subarray(block0, block0 + 9))).toEqual([5, 0, 0, 0, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
  });

  it('answers -ENOMEM when no run of blocks is free, and the blocks return once the peer releases', () => {
    const { sim, A, a, log } = boundPair(4);
    const max = A.backend.getTxBufferSize();
    if (typeof max !== 'number') throw new Error(`get_tx_buffer_size: -${max}`);
    expect(max).toBe(A.backend.tx.blockSize * 4 - 4);
    expect(ipc.send(a.ept, new Uint8Array(max))).toBe(max);
    expect(ipc.send(a.ept, new Uint8Array(1))).toBe('ENOMEM');
    run(sim);
    expect(log.received).toHaveLength(1);
    expect(ipc.send(a.ept, new Uint8Array(1))).toBe(1);
  });

  it('no-copy: get a TX buffer, fill it in place, send a shorter message; the rest of the blocks return', () => {
    const { sim, A, a, log } = boundPair();
    const grant = ipc.getTxBuffer(a.ept, 300, 'no-wait');
    expect(grant.result).toBe(0);
    expect(grant.size).toBe(3 * 108 - 4);
    grant.buffer?.set(text('in place'));
    expect(A.backend.allocator.free).toBe(5);
    ipc.sendNocopy(a.ept, grant.buffer ?? new Uint8Array(0), 8);
    expect(A.backend.allocator.free).toBe(7);
    run(sim);
    expect(log.received).toEqual(['in place']);
    expect(A.backend.allocator.free).toBe(8);
  });

  it('a held RX buffer keeps its blocks until released', () => {
    const { sim, A, B } = rig();
    let held: Uint8Array | null = null;
    let bEpt: IpcEndpoint | null = null;
    const a = endpoint(A.instance, 'ep', newLog());
    const b = endpoint(B.instance, 'ep', newLog(), (data) => {
      held = data;
      ipc.holdRxBuffer(bEpt, data);
    });
    bEpt = b.ept;
    ipc.openInstance(A.instance);
    ipc.openInstance(B.instance);
    a.register();
    b.register();
    run(sim);
    ipc.send(a.ept, text('keep me'));
    run(sim);
    expect(A.backend.allocator.free).toBe(7);
    expect(B.backend.heldRxBlocks).toEqual([0]);
    expect(ipc.releaseRxBuffer(b.ept, held)).toBe(0);
    run(sim);
    expect(A.backend.allocator.free).toBe(8);
  });

  it('data for a deregistered endpoint is refused and its blocks leak, as in Zephyr', () => {
    const { sim, A, a, b, log } = boundPair();
    expect(ipc.deregisterEndpoint(b.ept)).toBe(0);
    ipc.send(a.ept, text('lost'));
    run(sim);
    expect(log.received).toEqual([]);
    expect(A.backend.allocator.free).toBe(7);
    expect(sim.trace.events.some((e) => e.kind === 'anomaly' && e.message.includes('never released: the sender'))).toBe(
      true,
    );
  });

  it('the hardened mode releases refused data, so the sender gets its blocks back', () => {
    const { sim, A, a, b, log } = boundPair(8, undefined, 'hardened');
    expect(ipc.deregisterEndpoint(b.ept)).toBe(0);
    ipc.send(a.ept, text('refused'));
    run(sim);
    expect(log.received).toEqual([]);
    expect(A.backend.allocator.free).toBe(8);
  });

  it('knows what each block holds: a message of an endpoint until released, and leaked ones', () => {
    const { sim, A, B, a, b } = boundPair();
    expect(A.backend.blockOwners.every((o) => o === null)).toBe(true); // names were released at bind
    ipc.send(a.ept, new Uint8Array(200));
    const first = A.backend.blockOwners[0];
    expect(first).toMatchObject({ use: 'data', endpoint: 'ep', first: 0, blocks: 2 });
    expect(first?.msgId).toBe(A.backend.lastSentMsgId);
    expect(A.backend.blockOwners[1]).toBe(first);
    run(sim);
    expect(A.backend.blockOwners.every((o) => o === null)).toBe(true);
    // Refused after deregistering: B records the leak of A's block.
    expect(ipc.deregisterEndpoint(b.ept)).toBe(0);
    ipc.send(a.ept, new Uint8Array(8));
    run(sim);
    expect(B.backend.leakedRxBlocks).toEqual([0]);
    expect(A.backend.blockOwners[0]).toMatchObject({ use: 'data', endpoint: 'ep' });
  });
});
