import { describe, expect, it } from 'vitest';
import { countingBytes, parsePayload } from './payload';
import { DEFAULT_DEMO_CONFIG, DemoSession } from './session';

function session(overrides: Partial<typeof DEFAULT_DEMO_CONFIG> = {}) {
  const created = DemoSession.create({ ...DEFAULT_DEMO_CONFIG, ...overrides }, false);
  if (!created.ok) throw new Error(created.error.join('; '));
  return created.value;
}

describe('pbuf demo session', () => {
  it('initialises core A as the writer and core B as the reader, logging both calls', () => {
    const s = session();
    expect(s.log.map((e) => `${e.core} ${e.call} -> ${String(e.result)}`)).toEqual([
      'A pbuf_tx_init() -> 0',
      'B pbuf_rx_init() -> 0',
    ]);
    expect(s.log[0]?.cacheOps).toEqual(['A:flush(4, 4)', 'A:flush(0, 4)']);
  });

  it('says when a write wraps to data[0]', () => {
    const s = session({ regionSize: 64 });
    s.write(countingBytes(28, 0));
    s.read(128);
    const entry = s.write(countingBytes(25, 0xb0));
    expect(entry.result).toBe(25);
    expect(entry.note).toBe('payload wrapped: 20 bytes at the end, 5 at data[0]');
  });

  it('hands back the bytes read and explains an empty FIFO', () => {
    const s = session();
    s.write(Uint8Array.of(1, 2, 3));
    expect([...(s.read(128).bytes ?? [])]).toEqual([1, 2, 3]);
    const empty = s.read(128);
    expect(empty.bytes).toBeNull();
    expect(empty.entry.note).toBe('FIFO empty');
  });

  it('shows Zephyr rejecting a handshake word with dcache-alignment below 8 at init', () => {
    const s = session({ useHandshake: true, dcacheAlignment: 0 });
    expect(s.initFailed).toBe(true);
    expect(s.log.map((e) => e.result)).toEqual(['EINVAL', 'EINVAL']);
  });

  it('reports an impossible configuration instead of building it', () => {
    const created = DemoSession.create({ ...DEFAULT_DEMO_CONFIG, regionSize: 100_000, dcacheAlignment: 3 }, false);
    expect(created.ok).toBe(false);
    if (!created.ok) expect(created.error).toHaveLength(2);
  });

  it('lists the PBUF_DEFINE build asserts a firmware build would stop at', () => {
    expect(session({ regionSize: 62 }).buildAsserts).toEqual(['Incorrect size.']);
  });
});

describe('payload input', () => {
  it('reads hex bytes in the usual spellings', () => {
    const parsed = parsePayload('de ad, 0xBE 0xef 0102', 'hex');
    expect(parsed.ok && [...parsed.value]).toEqual([0xde, 0xad, 0xbe, 0xef, 1, 2]);
  });

  it('explains bad hex instead of throwing', () => {
    expect(parsePayload('de zz', 'hex')).toEqual({ ok: false, error: '"zz" is not hex: use bytes like "de ad be ef"' });
    expect(parsePayload('abc', 'hex').ok).toBe(false);
  });

  it('encodes text as UTF-8', () => {
    const parsed = parsePayload('hé', 'text');
    expect(parsed.ok && [...parsed.value]).toEqual([0x68, 0xc3, 0xa9]);
  });
});
