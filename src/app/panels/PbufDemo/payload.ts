/**
 * What the user types as a payload: hex bytes ("de ad be ef", "0xde,0xad") or text (UTF-8).
 * Bad input gives a message naming what is wrong, never an exception.
 */
import { fail, ok, type Outcome } from '../../../core';

export type PayloadFormat = 'hex' | 'text';

export function parsePayload(input: string, format: PayloadFormat): Outcome<Uint8Array, string> {
  if (format === 'text') return ok(new TextEncoder().encode(input));
  const tokens = input
    .replace(/0x/gi, ' ')
    .split(/[\s,;:]+/)
    .filter((t) => t.length > 0);
  const out: number[] = [];
  for (const token of tokens) {
    if (!/^[0-9a-fA-F]+$/.test(token)) return fail(`"${token}" is not hex: use bytes like "de ad be ef"`);
    if (token.length % 2 !== 0 && token.length > 2) {
      return fail(`"${token}" has an odd number of hex digits: split it into bytes`);
    }
    for (let i = 0; i < token.length; i += 2) out.push(parseInt(token.slice(i, i + 2), 16));
  }
  return ok(Uint8Array.from(out));
}

/** `count` bytes counting up from `start` (wrapping at 0xff): the pattern Zephyr's tests use. */
export function countingBytes(count: number, start: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => (start + i) & 0xff);
}

export function formatBytes(bytes: Uint8Array, max = bytes.length): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} … (+${bytes.length - max})` : shown;
}
