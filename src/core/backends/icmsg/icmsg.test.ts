import { describe, expect, it } from 'vitest';
import { toHex } from '../../hex';
import { createIcmsgPair, type IcmsgPairSpec } from './icmsgPair';

/** Two sides, stepped by hand: doorbells counted, never lost on the way unless a test drops them. */
function pair(spec: Partial<IcmsgPairSpec> = {}) {
  const created = createIcmsgPair({
    regionSize: 64,
    dcacheAlignment: 8,
    unbound: 'ENABLE',
    mailbox: { latencyNs: 0, jitterNs: 0, coalesce: false, loseWhenDisabled: false },
    ...spec,
  });
  if (!created.ok) throw new Error(created.error);
  const { sim, A, B } = created.value;
  const log: string[] = [];
  const callbacks = (side: string) => ({
    bound: () => log.push(`${side}:bound`),
    unbound: () => log.push(`${side}:unbound`),
    received: (d: Uint8Array) => log.push(`${side}:received:${toHex(d)}`),
  });
  const doorbell = (side: 'A' | 'B') => {
    expect(sim.deliverDoorbell(side)).toBe(true);
  };
  const word = (offset: number) => new DataView(sim.map.buffer).getUint32(offset, true);
  /** The handshake word of the A->B region (written by B) and of the B->A region (by A). */
  const hs = () => [word(4), word(64 + 4)].map((w) => `0x${w.toString(16).padStart(8, '0')}`);
  return { sim, A, B, log, callbacks, doorbell, hs };
}

describe('ICMsg 1.1 (unbound = enable): the session handshake', () => {
  it('exchanges session ids 1 and 2 in three doorbells and binds both sides', () => {
    const { A, B, log, callbacks, doorbell, hs, sim } = pair();
    expect(A.open(callbacks('A'))).toBe(0);
    expect(A.state).toBe('INITIALIZING_SID_ENABLED');
    expect(hs()).toEqual(['0x00000000', '0x00000001']); // A requests session 1
    expect(sim.discardDoorbell('B')).toBe(true); // B was not listening yet

    expect(B.open(callbacks('B'))).toBe(0);
    expect(hs()).toEqual(['0x00000002', '0x00000001']); // B requests 2 (after A's 1)

    doorbell('A'); // A accepts 2, acknowledges it; its own session is not acknowledged yet
    expect(hs()).toEqual(['0x00000002', '0x00020001']);
    expect(A.state).toBe('INITIALIZING_SID_ENABLED');

    doorbell('B'); // B accepts 1; A already acknowledged 2: B is bound
    expect(hs()).toEqual(['0x00010002', '0x00020001']);
    expect(B.state).toBe('CONNECTED_SID_ENABLED');

    doorbell('A'); // A sees its session acknowledged: bound
    expect(A.state).toBe('CONNECTED_SID_ENABLED');
    expect([A.localSid, A.remoteSid, B.localSid, B.remoteSid]).toEqual([1, 2, 2, 1]);
    expect(log).toEqual(['B:bound', 'A:bound']);

    doorbell('B'); // nothing left to do
    expect(sim.pendingDoorbells('A') + sim.pendingDoorbells('B')).toBe(0);
  });

  function bound() {
    const p = pair();
    p.A.open(p.callbacks('A'));
    p.sim.discardDoorbell('B');
    p.B.open(p.callbacks('B'));
    p.doorbell('A');
    p.doorbell('B');
    p.doorbell('A');
    p.doorbell('B');
    p.log.length = 0;
    return p;
  }

  it('carries data both ways once bound', () => {
    const { A, B, log, doorbell } = bound();
    expect(A.send(Uint8Array.of(1, 2, 3))).toBe(3);
    doorbell('B');
    expect(B.send(Uint8Array.of(9))).toBe(1);
    doorbell('A');
    expect(log).toEqual(['B:received:010203', 'A:received:09']);
  });

  it('reports unbound when the peer closes, drops the packet read in that pass, and lets send() drop data', () => {
    const { A, B, log, doorbell, hs, sim } = bound();
    A.send(Uint8Array.of(0xaa));
    expect(A.close()).toBe(0);
    expect(hs()[1]).toBe('0x00000000');
    doorbell('B'); // B reads A's packet, then sees session 0: DISCONNECTED, the packet is dropped
    expect(B.state).toBe('DISCONNECTED');
    expect(log).toEqual(['B:unbound']);
    expect(sim.trace.events.filter((e) => e.kind === 'packet-dropped')).toHaveLength(1);
    expect(B.send(Uint8Array.of(1, 2, 3, 4))).toBe(4); // returns len, writes nothing
    expect(sim.pendingDoorbells('A')).toBe(0);
  });

  it('re-binds after both sides reopen, with session ids 3 and 4', () => {
    const { A, B, log, callbacks, doorbell, hs } = bound();
    A.close();
    doorbell('B');
    expect(A.open(callbacks('A'))).toBe(0); // ack 1 and base 2 from the A->B word: session 3
    expect(hs()[1]).toBe('0x00000003');
    doorbell('B'); // B is DISCONNECTED: ignored
    expect(B.open(callbacks('B'))).toBe(0); // base 3 from the B->A word: session 4
    expect(hs()[0]).toBe('0x00000004');
    doorbell('A');
    doorbell('B');
    doorbell('A');
    expect([A.state, B.state]).toEqual(['CONNECTED_SID_ENABLED', 'CONNECTED_SID_ENABLED']);
    expect(log).toEqual(['B:unbound', 'B:bound', 'A:bound']);
  });

  it('refuses a handshake word with dcache-alignment below 8: open returns -EINVAL and stays OFF', () => {
    const { A, sim } = pair({ dcacheAlignment: 0 });
    expect(A.open({})).toBe('EINVAL');
    expect(A.state).toBe('OFF');
    expect(sim.trace.events.some((e) => e.kind === 'assert' && e.message === 'Incorrect Rx configuration')).toBe(true);
  });
});

describe('ICMsg 1.0 (unbound = disable)', () => {
  it('returns -EALREADY for a second open', () => {
    const { A } = pair({ unbound: 'DISABLE', dcacheAlignment: 0 });
    expect(A.open({})).toBe(0);
    expect(A.open({})).toBe('EALREADY');
  });

  it('calls bound() before the state changes, so a send from inside bound() gets -EBUSY', () => {
    const { A, B, doorbell, sim } = pair({ unbound: 'DISABLE', dcacheAlignment: 0 });
    const results: unknown[] = [];
    A.open({ bound: () => results.push(A.send(Uint8Array.of(1))) });
    sim.discardDoorbell('B');
    B.open({ bound: () => results.push(B.send(Uint8Array.of(2))) });
    doorbell('A');
    expect(results).toEqual(['EBUSY']);
    expect(A.state).toBe('CONNECTED_SID_DISABLED');
  });

  it('never consumes a packet larger than the 128-byte RX buffer: an assert, and the FIFO stalls', () => {
    const { A, B, doorbell, sim, log, callbacks } = pair({ unbound: 'DISABLE', dcacheAlignment: 0, regionSize: 512 });
    A.open(callbacks('A'));
    sim.discardDoorbell('B');
    B.open(callbacks('B'));
    doorbell('A');
    doorbell('B');
    doorbell('A');
    expect(A.send(new Uint8Array(129))).toBe(129);
    expect(A.send(Uint8Array.of(7))).toBe(1);
    doorbell('B');
    doorbell('B');
    expect(log.filter((l) => l.startsWith('B:received'))).toEqual([]);
    expect(sim.trace.events.filter((e) => e.kind === 'assert')).toHaveLength(2);
  });

  it('halts the receiving core at that assert when built with CONFIG_ASSERT=y (assertMode: halt)', () => {
    const { A, B, doorbell, sim, callbacks } = pair({
      unbound: 'DISABLE',
      dcacheAlignment: 0,
      regionSize: 512,
      assertMode: 'halt',
    });
    A.open(callbacks('A'));
    sim.discardDoorbell('B');
    B.open(callbacks('B'));
    doorbell('A');
    doorbell('B');
    doorbell('A');
    A.send(new Uint8Array(129));
    doorbell('B');
    expect(sim.domain('B')?.halted).toBe(true);
    expect(sim.trace.events.filter((e) => e.kind === 'assert').map((e) => e.kind === 'assert' && e.halted)).toEqual([
      true,
    ]);
    A.send(Uint8Array.of(1));
    expect(sim.deliverDoorbell('B')).toBe(true); // taken, but a halted core runs nothing
    expect(B.counters.received).toBe(0);
  });

  it('truncates a send above 65535 bytes to 16 bits: -EBADMSG, published without a doorbell', () => {
    const { A, B, doorbell, sim } = pair({ unbound: 'DISABLE', dcacheAlignment: 0, regionSize: 256 });
    A.open({});
    sim.discardDoorbell('B');
    B.open({});
    doorbell('A');
    doorbell('B');
    doorbell('A');
    expect(A.send(new Uint8Array(65537))).toBe('EBADMSG');
    expect(sim.pendingDoorbells('B')).toBe(0);
    expect(B.rx.read(null)).toBe(1);
  });
});

describe('ICMsg detect mode', () => {
  it('talks 1.0 to a peer whose first packet is exactly the magic', () => {
    const { A, B, doorbell, sim } = pair({ unbound: { A: 'DETECT', B: 'DISABLE' } });
    A.open({});
    sim.discardDoorbell('B');
    B.open({}); // writes the magic into B->A
    doorbell('A'); // A sees the magic, resets its TX, writes its own; the re-run pass reads B's: bound
    expect(A.state).toBe('CONNECTED_SID_DISABLED');
    expect(
      sim.trace.events
        .filter((e) => e.kind === 'transition' && e.instance === 'icmsg-A')
        .map((e) => e.kind === 'transition' && e.to),
    ).toEqual(['INITIALIZING_SID_DETECT', 'INITIALIZING_SID_DISABLED', 'CONNECTED_SID_DISABLED']);
    doorbell('B');
    expect([A.state, B.state]).toEqual(['CONNECTED_SID_DISABLED', 'CONNECTED_SID_DISABLED']);
  });

  it('talks 1.1 to a session-aware peer', () => {
    const { A, B, doorbell, sim } = pair({ unbound: { A: 'DETECT', B: 'ENABLE' } });
    A.open({});
    sim.discardDoorbell('B');
    B.open({});
    doorbell('A');
    doorbell('B');
    doorbell('A');
    expect([A.state, B.state]).toEqual(['CONNECTED_SID_ENABLED', 'CONNECTED_SID_ENABLED']);
  });
});
