/**
 * The payload of generated messages: a little-endian u32 sequence number, then bytes derived
 * from it, so a receiver can tell a message's place in the stream and whether any byte changed.
 *
 *   0        4
 *   +--------+------------------------------------------+
 *   | seq LE | (seq * 131 + i * 7) & 0xff for i = 4 …   |
 *   +--------+------------------------------------------+
 */
export const MIN_CHECKED_PAYLOAD = 4;

const byteAt = (seq: number, i: number): number => (Math.imul(seq, 131) + i * 7) & 0xff;

export function makePayload(seq: number, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, MIN_CHECKED_PAYLOAD));
  writePayload(out, seq, out.length);
  return out;
}

/** Writes payload `seq` of `size` bytes at the start of `out` (which must hold at least 4). */
export function writePayload(out: Uint8Array, seq: number, size: number): void {
  out[0] = seq & 0xff;
  out[1] = (seq >>> 8) & 0xff;
  out[2] = (seq >>> 16) & 0xff;
  out[3] = (seq >>> 24) & 0xff;
  const base = Math.imul(seq, 131);
  for (let i = MIN_CHECKED_PAYLOAD; i < size; i++) out[i] = (base + i * 7) & 0xff;
}

/** Writes only the sequence number (the rest of `out` is left as it is). */
export function writeNumber(out: Uint8Array, seq: number): void {
  out[0] = seq & 0xff;
  out[1] = (seq >>> 8) & 0xff;
  out[2] = (seq >>> 16) & 0xff;
  out[3] = (seq >>> 24) & 0xff;
}

/** The sequence number of a message, checking nothing else; null when too short. */
export function readNumber(data: Uint8Array): number | null {
  if (data.length < MIN_CHECKED_PAYLOAD) return null;
  return ((data[0] ?? 0) | ((data[1] ?? 0) << 8) | ((data[2] ?? 0) << 16) | ((data[3] ?? 0) << 24)) >>> 0;
}

/** The sequence number of an intact payload, or null when it is too short or a byte is wrong. */
export function checkPayload(data: Uint8Array): number | null {
  if (data.length < MIN_CHECKED_PAYLOAD) return null;
  const seq = ((data[0] ?? 0) | ((data[1] ?? 0) << 8) | ((data[2] ?? 0) << 16) | ((data[3] ?? 0) << 24)) >>> 0;
  for (let i = MIN_CHECKED_PAYLOAD; i < data.length; i++) if (data[i] !== byteAt(seq, i)) return null;
  return seq;
}
