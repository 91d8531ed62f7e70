/**
 * The decoded field tree of one pbuf region: Wireshark's packet-details pane for a pbuf. Every
 * node names the bytes it covers, so a hex pane can light a field's bytes and find the field of a
 * byte (both directions of Wireshark's field ↔ bytes link).
 *
 *   rd_idx                       region +0            written by the reader
 *   handshake (ICMsg 1.1)        region +4            written by the reader
 *     local_sid_req  bits 0..15, remote_sid_ack  bits 16..31
 *   line padding                 up to wr_idx         never written
 *   wr_idx                       region +WR           written by the writer
 *   data[len]                    region +WR+4
 *     packet 0 … n-1             reader order, from rd_idx
 *       header  (len u16 BE, reserved 00 00), payload (two parts when it wraps), padding
 *     free, kept free (the 4 bytes just before rd_idx)
 *   problem …                    expert info from inspectPbuf
 *
 * Byte ranges are offsets from the region's first byte (`cfg.rdIdxLoc`). A node may cover several
 * ranges (a wrapped payload or packet) or none (a note). Building the tree never throws: corrupted
 * indices or lengths become nodes flagged as errors, and ranges are clipped to the region.
 */
import { localSidAckFromTx, remoteSidReqFromTx, SID_DISCONNECTED, startsWithMagic } from '../backends/icmsg/icmsgWire';
import { type PbufCfg, PBUF_IDX_SIZE, PBUF_PACKET_LEN_SZ, pbufOccupied } from './pbuf';
import { inspectPbuf, type PbufInspection, type PbufPacketView, type PbufProblem } from './pbufInspect';

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

export interface PbufFieldTree {
  readonly fields: readonly PbufField[];
  readonly inspection: PbufInspection;
  /** Bytes in the region: rd_idx up to the end of data[], clipped to the memory given. */
  readonly size: number;
}

export interface PbufFieldOptions {
  /** Payload bytes quoted in a payload's value (default 8). */
  readonly previewBytes?: number;
  /** Packets decoded at most (default 4096, as inspectPbuf). */
  readonly maxPackets?: number;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function peek32(bytes: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > bytes.length) return 0;
  return (
    ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0
  );
}

/** Appends `range` to `out`, merging it with the previous range when they touch. */
function pushRange(out: ByteRange[], range: ByteRange): void {
  if (range.length <= 0) return;
  const last = out[out.length - 1];
  if (last && last.offset + last.length === range.offset) {
    out[out.length - 1] = { offset: last.offset, length: last.length + range.length };
  } else {
    out.push(range);
  }
}

/** Builds nodes with ranges clipped to the region, so a corrupted length never points outside it. */
class Builder {
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

function field(
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

function indexField(
  b: Builder,
  which: 'rd_idx' | 'wr_idx',
  at: number,
  value: number,
  problems: readonly PbufProblem[],
): PbufField {
  const problem = problems.find((p) => p.kind.startsWith(which));
  const note =
    which === 'rd_idx'
      ? 'Written by the reader after each read; the writer reads it to know how much is free.'
      : 'Written by the writer last, after the packet: storing it publishes the packet.';
  return field(
    which,
    which,
    which,
    problem ? `${value} · ${problem.message}` : `${value} → data[${value}]`,
    b.clip(at, 4),
    {
      error: problem !== undefined,
      note,
    },
  );
}

function sidValue(sid: number): string {
  return sid === SID_DISCONNECTED ? '0 (disconnected)' : `${sid} (0x${sid.toString(16).padStart(4, '0')})`;
}

/** The ICMsg 1.1 handshake word, written by the region's reader (icmsgWire.ts: its RX-region word). */
function handshakeField(b: Builder, at: number, word: number): PbufField {
  return field('handshake', 'handshake', 'handshake', `0x${word.toString(16).padStart(8, '0')}`, b.clip(at, 4), {
    note: "ICMsg 1.1 session handshake, written by the region's reader.",
    children: [
      field('handshake/sid_req', 'sid_req', 'local_sid_req', sidValue(remoteSidReqFromTx(word)), b.clip(at, 2), {
        note: "Bits 0..15: the reader's own session id; the writer reads it as remote_sid_req.",
      }),
      field('handshake/sid_ack', 'sid_ack', 'remote_sid_ack', sidValue(localSidAckFromTx(word)), b.clip(at + 2, 2), {
        note: "Bits 16..31: the writer's session id the reader acknowledges; the writer reads it as local_sid_ack.",
      }),
    ],
  });
}

function payloadValue(b: Builder, ranges: readonly ByteRange[], len: number, preview: number): string {
  if (len === 0) return 'empty';
  const shown = b.read(ranges, Math.min(len, preview));
  const text = shown.map(hex2).join(' ') + (len > shown.length ? ' …' : '');
  const all = b.read(ranges, Math.min(len, 16));
  const magic = startsWithMagic(Uint8Array.from(all), len) ? ' · ICMsg magic' : '';
  return `${plural(len, 'byte')}: ${text}${magic}`;
}

function packetField(b: Builder, p: PbufPacketView, preview: number): PbufField {
  const id = `pk@${p.headerIdx}`;
  const packet = p.headerIdx;
  const header = b.circular(p.headerIdx, PBUF_PACKET_LEN_SZ);
  const hdrAt = b.dataOffset + p.headerIdx;
  const payload = p.payload.flatMap((s) => b.circular(s.start, s.length));
  const padding = p.padding.flatMap((s) => b.circular(s.start, s.length));
  const reservedBytes = [b.byte(hdrAt + 2), b.byte(hdrAt + 3)];
  const reservedZero = reservedBytes.every((x) => x === 0);
  const parts = p.wraps
    ? p.payload.map((s, i) =>
        field(
          `${id}/payload/${i}`,
          'payload_part',
          i === 0 ? `payload[0..${s.length})` : `payload[${p.len - s.length}..${p.len})`,
          i === 0 ? `data[${s.start}..${s.start + s.length}), up to the end` : `data[0..${s.length}), wrapped`,
          b.circular(s.start, s.length),
          { packet },
        ),
      )
    : [];
  const children: PbufField[] = [
    field(`${id}/header`, 'header', 'header', b.read(header, 4).map(hex2).join(' '), header, {
      packet,
      note: 'Stored as 0, then the length is put in big-endian: it reads LL LL 00 00.',
      children: [
        field(
          `${id}/header/len`,
          'len',
          'len',
          `${p.len} (0x${p.len.toString(16).padStart(4, '0')}, big-endian)`,
          b.clip(hdrAt, 2),
          {
            packet,
          },
        ),
        field(
          `${id}/header/reserved`,
          'reserved',
          'reserved',
          reservedBytes.map(hex2).join(' ') + (reservedZero ? '' : ' (not zero; the reader does not check)'),
          b.clip(hdrAt + 2, 2),
          { packet },
        ),
      ],
    }),
    field(`${id}/payload`, 'payload', 'payload', payloadValue(b, payload, p.len, preview), payload, {
      packet,
      children: parts,
      note: p.wraps ? 'The part that does not fit before the end continues at data[0].' : '',
    }),
  ];
  if (padding.length > 0) {
    const n = p.padding.reduce((sum, s) => sum + s.length, 0);
    children.push(
      field(`${id}/padding`, 'padding', 'padding', `${plural(n, 'byte')}, never written`, padding, {
        packet,
        note: 'Up to the next 4-aligned index; pbuf never writes it, so stale memory shows through.',
      }),
    );
  }
  const ranges: ByteRange[] = [];
  for (const r of [...header, ...payload, ...padding]) pushRange(ranges, r);
  const end = p.nextIdx === 0 ? b.len : p.nextIdx;
  const where = p.wraps
    ? `data[${p.headerIdx}..${b.len}) + data[0..${p.nextIdx}), wraps`
    : `data[${p.headerIdx}..${end})`;
  const value = `len ${p.len} · ${where}`;
  return field(id, 'packet', `packet ${p.seq}`, value, ranges, { packet, children });
}

/** The header at data[idx] whose length exceeds what was written, and the bytes after it. */
function malformedField(b: Builder, idx: number, seq: number, wrIdx: number): PbufField {
  const id = `pk@${idx}`;
  const hdrAt = b.dataOffset + idx;
  const plen = (b.byte(hdrAt) << 8) | b.byte(hdrAt + 1);
  const written = pbufOccupied(b.len, wrIdx, idx);
  const unframed = b.circular((idx + PBUF_PACKET_LEN_SZ) % b.len, Math.max(0, written - PBUF_PACKET_LEN_SZ));
  return field(
    id,
    'packet',
    `packet ${seq} (malformed)`,
    `len ${plen} > ${Math.max(0, written - 4)} bytes written`,
    b.circular(idx, written),
    {
      error: true,
      packet: idx,
      note: 'The reader would return -EAGAIN here ("should never happen").',
      children: [
        field(
          `${id}/header/len`,
          'len',
          'len',
          `${plen} (0x${plen.toString(16).padStart(4, '0')}, big-endian)`,
          b.clip(hdrAt, 2),
          {
            error: true,
            packet: idx,
          },
        ),
        field(
          `${id}/unframed`,
          'unframed',
          'written, not framed',
          plural(
            unframed.reduce((n, r) => n + r.length, 0),
            'byte',
          ),
          unframed,
          {
            packet: idx,
          },
        ),
      ],
    },
  );
}

function dataField(b: Builder, inspection: PbufInspection, preview: number): PbufField {
  const { len } = b;
  const whole = b.clip(b.dataOffset, len);
  if (inspection.occupied === null || inspection.free === null) {
    return field('data', 'data', `data[${len}]`, 'not decoded: the indices are unusable', whole, {
      error: true,
      children: [
        field('data/unframed', 'unframed', 'contents', `${plural(len, 'byte')}, not decoded`, whole, { error: true }),
      ],
    });
  }
  const { packets, rdIdx, wrIdx } = inspection;
  const children = packets.map((p) => packetField(b, p, preview));
  const stoppedAt = packets.length > 0 ? (packets[packets.length - 1]?.nextIdx ?? rdIdx) : rdIdx;
  if (stoppedAt !== wrIdx) {
    if (inspection.problems.some((p) => p.kind === 'length-exceeds-written')) {
      children.push(malformedField(b, stoppedAt, packets.length, wrIdx));
    } else {
      const rest = pbufOccupied(len, wrIdx, stoppedAt);
      children.push(
        field(
          'data/not-decoded',
          'unframed',
          'not decoded',
          `${plural(rest, 'byte')} after packet ${packets.length - 1}`,
          b.circular(stoppedAt, rest),
        ),
      );
    }
  }
  const freeTotal = len - inspection.occupied;
  const usable = Math.max(0, freeTotal - PBUF_IDX_SIZE);
  if (usable > 0) {
    children.push(
      field(
        'data/free',
        'free',
        'free',
        `${plural(inspection.free, 'byte')} · largest write ${inspection.maxWritable ?? 0}`,
        b.circular(wrIdx, usable),
        {
          note: 'From wr_idx up to the kept-free bytes: old packets stay visible until overwritten.',
        },
      ),
    );
  }
  children.push(
    field(
      'data/kept-free',
      'kept_free',
      'kept free',
      '4 bytes, never filled',
      b.circular((rdIdx + len - PBUF_IDX_SIZE) % len, PBUF_IDX_SIZE),
      {
        note: 'pbuf keeps the 4 bytes before rd_idx free, so rd_idx == wr_idx always means empty.',
      },
    ),
  );
  return field(
    'data',
    'data',
    `data[${len}]`,
    `${plural(packets.length, 'packet')} · ${inspection.occupied} B used · ${inspection.free} B free`,
    whole,
    { children },
  );
}

function problemRanges(b: Builder, cfg: PbufCfg, problem: PbufProblem, stoppedAt: number): ByteRange[] {
  switch (problem.kind) {
    case 'rd_idx-misaligned':
    case 'rd_idx-out-of-range':
      return b.clip(cfg.rdIdxLoc - b.base, 4);
    case 'wr_idx-misaligned':
    case 'wr_idx-out-of-range':
      return b.clip(cfg.wrIdxLoc - b.base, 4);
    case 'length-exceeds-written':
      return b.circular(stoppedAt, PBUF_PACKET_LEN_SZ);
    case 'too-many-packets':
      return [];
  }
}

/**
 * Decodes the region whose layout is `cfg`, from `bytes` (the memory `cfg`'s locations index,
 * usually the whole shared memory). Never throws.
 */
export function pbufFieldTree(bytes: Uint8Array, cfg: PbufCfg, options: PbufFieldOptions = {}): PbufFieldTree {
  const base = cfg.rdIdxLoc;
  const size = Math.max(0, Math.min(bytes.length - base, cfg.dataLoc + cfg.len - base));
  const b = new Builder(bytes, base, size, cfg.dataLoc - base, cfg.len);
  const inspection = inspectPbuf(bytes, cfg, options.maxPackets);
  const preview = options.previewBytes ?? 8;
  const fields: PbufField[] = [indexField(b, 'rd_idx', 0, inspection.rdIdx, inspection.problems)];
  let readerEnd = PBUF_IDX_SIZE;
  if (cfg.handshakeLoc !== null) {
    fields.push(handshakeField(b, cfg.handshakeLoc - base, peek32(bytes, cfg.handshakeLoc)));
    readerEnd = cfg.handshakeLoc - base + PBUF_IDX_SIZE;
  }
  const pad = cfg.wrIdxLoc - base - readerEnd;
  if (pad > 0) {
    fields.push(
      field('line-pad', 'line_pad', 'line padding', `${plural(pad, 'byte')}, never written`, b.clip(readerEnd, pad), {
        note: `wr_idx starts its own cache line (dcache-alignment ${cfg.dcacheAlignment}), so the writer's flush never touches rd_idx.`,
      }),
    );
  }
  fields.push(indexField(b, 'wr_idx', cfg.wrIdxLoc - base, inspection.wrIdx, inspection.problems));
  fields.push(dataField(b, inspection, preview));
  const last = inspection.packets[inspection.packets.length - 1];
  const stoppedAt = last ? last.nextIdx : inspection.rdIdx;
  inspection.problems.forEach((problem, i) =>
    fields.push(
      field(`problem/${i}`, 'problem', 'problem', problem.message, problemRanges(b, cfg, problem, stoppedAt), {
        error: true,
      }),
    ),
  );
  return { fields, inspection, size };
}

const contains = (f: PbufField, offset: number): boolean =>
  f.ranges.some((r) => offset >= r.offset && offset < r.offset + r.length);

/** The fields from the top level down to the deepest one that covers `offset`; empty when none does. */
export function fieldPathAt(fields: readonly PbufField[], offset: number): PbufField[] {
  const path: PbufField[] = [];
  let level = fields;
  for (;;) {
    const hit = level.find((f) => contains(f, offset));
    if (!hit) return path;
    path.push(hit);
    level = hit.children;
  }
}

/** The fields from the top level down to the one with `id`; empty when there is none. */
export function fieldPathById(fields: readonly PbufField[], id: string): PbufField[] {
  for (const f of fields) {
    if (f.id === id) return [f];
    const below = fieldPathById(f.children, id);
    if (below.length > 0) return [f, ...below];
  }
  return [];
}

/** Every field, depth first (parents before children). */
export function flattenFields(fields: readonly PbufField[]): PbufField[] {
  const out: PbufField[] = [];
  const walk = (level: readonly PbufField[]): void => {
    for (const f of level) {
      out.push(f);
      walk(f.children);
    }
  };
  walk(fields);
  return out;
}
