/**
 * The building blocks of the pbuf field tree (pbufFields.ts): the node type, and a builder that
 * turns data[] indices into region byte ranges clipped to the region, so a corrupted index or
 * length never yields a range outside it.
 */

/** A run of region bytes, by offset from the region's first byte. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

export type PbufFieldKind =
  | 'rd_idx'
  | 'handshake'
  | 'sid_req'
  | 'sid_ack'
  | 'line_pad'
  | 'wr_idx'
  | 'data'
  | 'packet'
  | 'header'
  | 'len'
  | 'reserved'
  | 'payload'
  | 'payload_part'
  | 'padding'
  | 'free'
  | 'kept_free'
  | 'unframed'
  | 'problem';

export interface PbufField {
  /** A path that stays the same across revisions while the thing it names stays, e.g. `pk@12/payload`. */
  readonly id: string;
  readonly kind: PbufFieldKind;
  readonly label: string;
  readonly value: string;
  /** The bytes it covers, in reading order; two for a wrapped payload, none for a note. */
  readonly ranges: readonly ByteRange[];
  readonly children: readonly PbufField[];
  /** Malformed or out of place (Wireshark's expert info at error level). */
  readonly error: boolean;
  /** One sentence on who writes it and what it means. */
  readonly note: string;
  /** data[] index of the header of the packet this field belongs to; null outside packets. */
  readonly packet: number | null;
}

export const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function peek32(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > bytes.length) return 0;
  return (
    ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0
  );
}

/** Appends `range` to `out`, merging it with the previous range when they touch. */
export function pushRange(out: ByteRange[], range: ByteRange): void {
  if (range.length <= 0) return;
  const last = out[out.length - 1];
  if (last && last.offset + last.length === range.offset) {
    out[out.length - 1] = { offset: last.offset, length: last.length + range.length };
  } else {
    out.push(range);
  }
}

/** Builds nodes with ranges clipped to the region, so a corrupted length never points outside it. */
export class Builder {
  constructor(
    readonly bytes: Uint8Array,
    readonly base: number,
    readonly size: number,
    readonly dataOffset: number,
    readonly len: number,
  ) {}

  clip(offset: number, length: number): ByteRange[] {
    const start = Math.max(0, offset);
    const end = Math.min(this.size, offset + length);
    return end > start ? [{ offset: start, length: end - start }] : [];
  }

  /** data[start..start+length) as region ranges, split where it wraps to data[0]. */
  circular(start: number, length: number): ByteRange[] {
    const out: ByteRange[] = [];
    if (this.len <= 0 || length <= 0) return out;
    const first = Math.min(length, this.len - start);
    for (const r of this.clip(this.dataOffset + start, first)) pushRange(out, r);
    if (first < length) for (const r of this.clip(this.dataOffset, length - first)) out.push(r);
    return out;
  }

  byte(regionOffset: number): number {
    return this.bytes[this.base + regionOffset] ?? 0;
  }

  /** Up to `max` bytes of `ranges` in order, as they are in memory. */
  read(ranges: readonly ByteRange[], max: number): number[] {
    const out: number[] = [];
    for (const r of ranges) {
      for (let i = 0; i < r.length && out.length < max; i++) out.push(this.byte(r.offset + i));
    }
    return out;
  }
}

export function field(
  id: string,
  kind: PbufFieldKind,
  label: string,
  value: string,
  ranges: readonly ByteRange[],
  more: Partial<Pick<PbufField, 'children' | 'error' | 'note' | 'packet'>> = {},
): PbufField {
  return {
    id,
    kind,
    label,
    value,
    ranges,
    children: more.children ?? [],
    error: more.error ?? false,
    note: more.note ?? '',
    packet: more.packet ?? null,
  };
}
