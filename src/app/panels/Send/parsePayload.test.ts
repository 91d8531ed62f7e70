import { describe, expect, it } from 'vitest';
import { parsePayload } from './SendPanel';

describe('what a user types to send by hand', () => {
  it('as hex: bytes, with or without spaces or a leading 0x', () => {
    expect(parsePayload('de ad be ef', 'hex')).toEqual({ bytes: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) });
    expect(parsePayload('0x0102', 'hex')).toEqual({ bytes: Uint8Array.of(1, 2) });
  });

  it('as text: UTF-8, even when it would read as hex', () => {
    expect(parsePayload('dead', 'text')).toEqual({ bytes: Uint8Array.of(0x64, 0x65, 0x61, 0x64) });
    expect(parsePayload('café', 'text')).toEqual({ bytes: Uint8Array.of(0x63, 0x61, 0x66, 0xc3, 0xa9) });
  });

  it('is a clear error when empty or not hex', () => {
    expect(parsePayload('', 'text')).toEqual({ error: 'type a message' });
    expect(parsePayload('zz', 'hex')).toHaveProperty('error');
    expect(parsePayload('abc', 'hex')).toHaveProperty('error');
  });
});
