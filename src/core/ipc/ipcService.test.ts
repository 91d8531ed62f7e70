import { describe, expect, it } from 'vitest';
import type { Result } from '../errno';
import * as ipc from './ipcService';
import { createEndpoint, type EndpointConfig, type IpcBackend, type IpcInstance } from './types';

/**
 * Zephyr's own front-end test (tests/subsys/ipc/ipc_service) uses a loopback backend that adds an
 * offset to every byte; this one does the same.
 */
function loopback(offset: number, extra: Partial<IpcBackend> = {}): IpcInstance & { backend: IpcBackend } {
  let cfg: EndpointConfig | null = null;
  const backend: IpcBackend = {
    kind: 'loopback',
    registerEndpoint: (c) => {
      cfg = c;
      c.cb.bound?.();
      return { result: 0, token: 'tok' };
    },
    deregisterEndpoint: () => 0,
    send: (_token, data, len): Result => {
      cfg?.cb.received?.(data.subarray(0, len).map((b) => (b + offset) & 0xff));
      return len;
    },
    ...extra,
  };
  return { name: `loop${offset}`, backend, kernel: null };
}

describe('IPC service front', () => {
  it('dispatches to each instance backend (Zephyr test_ipc_service: +10 and +20)', () => {
    const got: number[] = [];
    for (const [offset, byte] of [
      [10, 1],
      [20, 2],
    ] as const) {
      const instance = loopback(offset);
      const ept = createEndpoint();
      expect(ipc.registerEndpoint(instance, ept, { name: 'ep', cb: { received: (d) => got.push(d[0] ?? -1) } })).toBe(
        0,
      );
      expect(ipc.send(ept, Uint8Array.of(byte))).toBe(1);
    }
    expect(got).toEqual([11, 22]);
  });

  it('returns -ENOENT for a send after deregistering', () => {
    const instance = loopback(0);
    const ept = createEndpoint();
    ipc.registerEndpoint(instance, ept, { name: 'ep', cb: {} });
    expect(ipc.deregisterEndpoint(ept)).toBe(0);
    expect(ept.instance).toBeNull();
    expect(ipc.send(ept, Uint8Array.of(1))).toBe('ENOENT');
    expect(ipc.deregisterEndpoint(ept)).toBe('ENOENT');
  });

  it('checks arguments first: -EINVAL for a missing instance, endpoint, config or data', () => {
    const instance = loopback(0);
    expect(ipc.openInstance(null)).toBe('EINVAL');
    expect(ipc.registerEndpoint(instance, null, { name: 'ep', cb: {} })).toBe('EINVAL');
    expect(ipc.registerEndpoint(instance, createEndpoint(), null)).toBe('EINVAL');
    expect(ipc.send(null, Uint8Array.of(1))).toBe('EINVAL');
    expect(ipc.getTxBuffer(createEndpoint(), null, 'no-wait').result).toBe('EINVAL');
    expect(ipc.holdRxBuffer(createEndpoint(), null)).toBe('EINVAL');
  });

  it('treats a missing open/close hook as success and a device without an API as -EIO', () => {
    expect(ipc.openInstance(loopback(0))).toBe(0);
    expect(ipc.closeInstance(loopback(0))).toBe(0);
    const noApi: IpcInstance = { name: 'broken', backend: null, kernel: null };
    expect(ipc.openInstance(noApi)).toBe('EIO');
    expect(ipc.registerEndpoint(noApi, createEndpoint(), { name: 'ep', cb: {} })).toBe('EIO');
  });

  it('sets ept->instance before the backend runs, and keeps it when the backend fails', () => {
    const instance = loopback(0, { registerEndpoint: () => ({ result: 'EALREADY', token: null }) });
    const ept = createEndpoint();
    expect(ipc.registerEndpoint(instance, ept, { name: 'ep', cb: {} })).toBe('EALREADY');
    expect(ept.instance).toBe(instance);
  });

  it('answers -EIO, not -ENOTSUP, when a no-copy hook is missing', () => {
    const instance = loopback(0);
    const ept = createEndpoint();
    ipc.registerEndpoint(instance, ept, { name: 'ep', cb: {} });
    expect(ipc.getTxBufferSize(ept)).toBe('EIO');
    expect(ipc.getTxBuffer(ept, 16, 'no-wait').result).toBe('EIO');
    expect(ipc.sendNocopy(ept, new Uint8Array(4), 4)).toBe('EIO');
    expect(ipc.dropTxBuffer(ept, new Uint8Array(4))).toBe('EIO');
    expect(ipc.holdRxBuffer(ept, new Uint8Array(4))).toBe('EIO');
    expect(ipc.sendCritical(ept, Uint8Array.of(1))).toBe('EIO');
  });

  it('needs both get_tx_buffer and send_nocopy, and both hold and release', () => {
    const only = loopback(0, {
      getTxBuffer: () => ({ result: 0, buffer: new Uint8Array(8), size: 8 }),
      holdRxBuffer: () => 0,
    });
    const ept = createEndpoint();
    ipc.registerEndpoint(only, ept, { name: 'ep', cb: {} });
    expect(ipc.getTxBuffer(ept, 8, 'no-wait').result).toBe('EIO');
    expect(ipc.holdRxBuffer(ept, new Uint8Array(8))).toBe('EIO');
    const both = loopback(0, {
      getTxBuffer: () => ({ result: 0, buffer: new Uint8Array(8), size: 8 }),
      sendNocopy: (_t, _b, len) => len,
      holdRxBuffer: () => 0,
      releaseRxBuffer: () => 0,
    });
    const ept2 = createEndpoint();
    ipc.registerEndpoint(both, ept2, { name: 'ep', cb: {} });
    expect(ipc.getTxBuffer(ept2, 8, 'no-wait').size).toBe(8);
    expect(ipc.sendNocopy(ept2, new Uint8Array(8), 8)).toBe(8);
    expect(ipc.releaseRxBuffer(ept2, new Uint8Array(8))).toBe(0);
  });
});
