/** Hex text ↔ bytes, as the conformance vectors and the hex views write them (lowercase, no spaces). */
import { fail, ok, type Outcome } from './outcome';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b] ?? '';
  return out;
}

/** Parses hex text (whitespace ignored); reports the first bad character instead of throwing. */
export function fromHex(text: string): Outcome<Uint8Array, string> {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) return fail(`hex text has an odd number of digits (${clean.length})`);
  const bad = /[^0-9a-fA-F]/.exec(clean);
  if (bad) return fail(`"${bad[0]}" at position ${bad.index} is not a hex digit`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return ok(out);
}
