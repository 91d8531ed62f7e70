/**
 * The backend contract: what every IPC backend must do, from Zephyr's own two-core suites
 * (reference §10.2, `ipc_service_api` and `ipc_sessions`). Each backend configuration declares
 * its capabilities; the cases that need one run only where it exists. ICMsg runs it in each
 * unbound mode and in its 3.6–4.0 form; later backends join the table.
 */
import { describe, expect, it } from 'vitest';
import * as ipc from '../../ipc/ipcService';
import { icbmsgScenario } from '../../scenario/presets/icbmsg';
import { icmsgScenario } from '../../scenario/presets/icmsg';
import { checkPayload, makePayload } from '../../scenario/payload';
import { type BackendUnderTest, createHarness, type Harness, isError } from './harness';

const BACKENDS: readonly BackendUnderTest[] = [
  {
    name: 'ICMsg 1.1, unbound = enable',
    scenario: icmsgScenario({ unbound: 'enable', dcacheAlignment: 32 }),
    capabilities: { unbound: true, maxMessage: 128 },
  },
  {
    name: 'ICMsg 1.1, unbound = detect on both sides',
    scenario: icmsgScenario({ unbound: 'detect', dcacheAlignment: 8 }),
    capabilities: { unbound: true, maxMessage: 128 },
  },
  {
    name: 'ICMsg 1.0, unbound = disable',
    scenario: icmsgScenario({ unbound: 'disable' }),
    capabilities: { unbound: false, maxMessage: 128 },
  },
  {
    name: 'ICMsg as in Zephyr 3.6-4.0',
    scenario: icmsgScenario({ zephyr: '3.6' }),
    capabilities: { unbound: false, maxMessage: 128 },
  },
  {
    // Messages up to a quarter of the blocks, so several are in flight at once.
    name: 'ICBMsg (legacy), 16 blocks each way',
    scenario: icbmsgScenario({ dcacheAlignment: 32, endpoints: [] }),
    capabilities: { unbound: false, maxMessage: 400, nocopy: true },
  },
];

/**
 * The scenarios have no endpoints of their own: the test registers them, the remote first, as in
 * Zephyr's tests, and runs until both are bound.
 */
function bound(backend: BackendUnderTest): Harness {
  const h = createHarness(backend);
  expect(h.remote.register()).toBe(0);
  expect(h.host.register()).toBe(0);
  expect(h.runUntil(() => h.host.log.bound === 1 && h.remote.log.bound === 1)).toBe(true);
  return h;
}

const echo = (h: Harness) => {
  h.remote.onReceived = (side, data) => {
    side.send(data.slice());
  };
};

/** Sends one message host → remote → host and checks it comes back intact. */
function pingPong(h: Harness, seq: number): void {
  const before = h.host.log.received.length;
  expect(h.host.send(makePayload(seq, 16))).toBe(16);
  expect(h.runUntil(() => h.host.log.received.length > before)).toBe(true);
  const reply = h.host.log.received[before];
  expect(reply && checkPayload(reply)).toBe(seq);
}

for (const backend of BACKENDS) {
  describe(`backend contract: ${backend.name}`, () => {
    it('test_echo: a message comes back byte for byte', () => {
      const h = bound(backend);
      echo(h);
      const hello = new TextEncoder().encode('Hello!');
      expect(h.host.send(hello)).toBe(hello.length);
      expect(h.runUntil(() => h.host.log.received.length === 1)).toBe(true);
      expect(h.host.log.received[0]).toEqual(hello);
    });

    it('test_deregister_endpoint: send after deregister is -ENOENT; registering again binds again', () => {
      const h = bound(backend);
      echo(h);
      expect(h.host.deregister()).toBe(0);
      expect(h.host.send(Uint8Array.of(1, 2, 3, 4))).toBe('ENOENT');
      if (!backend.capabilities.unbound) return; // a re-bind needs the session handshake
      h.remote.deregister();
      h.runUntil(() => false, 200_000);
      expect(h.remote.register()).toBe(0);
      expect(h.host.register()).toBe(0);
      expect(h.runUntil(() => h.host.log.bound === 2 && h.remote.log.bound === 2)).toBe(true);
      pingPong(h, 42);
    });

    it('test_get_tx_buffer_size: a size, or -EIO / -ENOTSUP where there is no no-copy API', () => {
      const h = bound(backend);
      const result = ipc.getTxBufferSize(h.host.ept);
      if (typeof result === 'number') expect(result).toBeGreaterThan(0);
      else expect(['EIO', 'ENOTSUP']).toContain(result);
    });

    it('test_tx_long / test_rx_long: thousands of messages each way, every one in order and intact', () => {
      const h = bound(backend);
      const count = 2000;
      let seq = 0;
      const sizes = (n: number) => 4 + ((n * 37) % (backend.capabilities.maxMessage - 4 + 1));
      for (; seq < count; seq++) expect(h.sendRetrying(h.host, makePayload(seq, sizes(seq)))).toBe(sizes(seq));
      for (let i = 0; i < count; i++) expect(h.sendRetrying(h.remote, makePayload(i, sizes(i)))).toBe(sizes(i));
      expect(h.runUntil(() => h.remote.log.received.length === count && h.host.log.received.length === count)).toBe(
        true,
      );
      expect(h.remote.log.received.map((d) => checkPayload(d))).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(h.host.log.received.map((d) => checkPayload(d))).toEqual(Array.from({ length: count }, (_, i) => i));
    });

    if (backend.capabilities.nocopy === true) {
      it('no-copy: a TX buffer filled in place and sent shorter arrives intact; dropping one frees it', () => {
        const h = bound(backend);
        const grant = ipc.getTxBuffer(h.host.ept, 64, 'no-wait');
        expect(grant.result).toBe(0);
        expect(grant.size).toBeGreaterThanOrEqual(64);
        const payload = makePayload(9, 20);
        grant.buffer?.set(payload);
        expect(isError(ipc.sendNocopy(h.host.ept, grant.buffer ?? null, 20))).toBe(false);
        expect(h.runUntil(() => h.remote.log.received.length === 1)).toBe(true);
        expect(checkPayload(h.remote.log.received[0] ?? new Uint8Array(0))).toBe(9);
        const dropped = ipc.getTxBuffer(h.host.ept, 64, 'no-wait');
        expect(ipc.dropTxBuffer(h.host.ept, dropped.buffer ?? null)).toBe(0);
        expect(ipc.dropTxBuffer(h.host.ept, dropped.buffer ?? null)).toBe('EINVAL');
      });

      it('hold / release: a held RX buffer stays readable after received() until released', () => {
        const h = bound(backend);
        let held: Uint8Array | null = null;
        h.remote.onReceived = (side, data) => {
          held = data;
          expect(ipc.holdRxBuffer(side.ept, data)).toBe(0);
        };
        expect(h.host.send(makePayload(3, 32))).toBe(32);
        expect(h.runUntil(() => held !== null)).toBe(true);
        // More traffic while it is held: its blocks are not reused, so its bytes stay.
        h.remote.onReceived = null;
        for (let seq = 10; seq < 16; seq++) {
          expect(h.sendRetrying(h.host, makePayload(seq, 32))).toBe(32);
          const count = seq - 8;
          expect(h.runUntil(() => h.remote.log.received.length === count)).toBe(true);
          h.runUntil(() => false, 50_000); // the release comes back before the next send
        }
        expect(checkPayload(held ?? new Uint8Array(0))).toBe(3);
        expect(ipc.releaseRxBuffer(h.remote.ept, held)).toBe(0);
      });
    }

    if (backend.capabilities.unbound) {
      it('test_rebond: the remote closes and reopens; the host sees unbound, registers again, binds, and pings', () => {
        const h = bound(backend);
        echo(h);
        // Traffic first, as in Zephyr's suite (the earlier tests ran on the same link): the
        // indices are no longer at 0 when the session ends.
        for (let seq = 0; seq < 5; seq++) pingPong(h, seq);
        expect(h.remote.deregister()).toBe(0);
        expect(h.runUntil(() => h.host.log.unbound === 1)).toBe(true);
        expect(h.remote.register()).toBe(0);
        expect(h.host.deregister()).toBe(0);
        expect(h.host.register()).toBe(0);
        expect(h.runUntil(() => h.host.log.bound === 2 && h.remote.log.bound === 2)).toBe(true);
        pingPong(h, 7);
      });

      it('test_local_rebond: the host deregisters and registers again; it binds again and pings', () => {
        const h = bound(backend);
        echo(h);
        for (let seq = 0; seq < 5; seq++) pingPong(h, seq);
        expect(h.host.deregister()).toBe(0);
        expect(h.host.register()).toBe(0);
        // The remote sees the old session end, and re-registers as the test application does.
        expect(h.runUntil(() => h.remote.log.unbound === 1)).toBe(true);
        h.remote.deregister();
        expect(h.remote.register()).toBe(0);
        expect(h.runUntil(() => h.host.log.bound === 2 && h.remote.log.bound === 2)).toBe(true);
        pingPong(h, 9);
      });
    }
  });
}

describe('backend contract: what ICMsg answers where others differ', () => {
  it('supports one endpoint per instance: a second register in disable mode is -EALREADY', () => {
    const h = createHarness(BACKENDS[2] as BackendUnderTest);
    expect(h.host.register()).toBe(0);
    expect(h.host.register('ep1')).toBe('EALREADY');
  });

  it('without sessions, a peer that closes is never noticed', () => {
    const h = bound(BACKENDS[2] as BackendUnderTest);
    expect(h.remote.deregister()).toBe(0);
    h.runUntil(() => false, 1_000_000);
    expect(h.host.log.unbound).toBe(0);
  });
});
