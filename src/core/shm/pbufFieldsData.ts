/**
 * The data[] node of the pbuf field tree (pbufFields.ts): one node per packet in reader order
 * (header with len and reserved, payload in one or two parts, padding), a malformed packet when a
 * header claims more than was written, the free space and the 4 bytes kept free.
 */
import { startsWithMagic } from '../backends/icmsg/icmsgWire';
import { PBUF_IDX_SIZE, PBUF_PACKET_LEN_SZ, pbufOccupied } from './pbuf';
import { type Builder, type ByteRange, field, hex2, type PbufField, plural, pushRange } from './pbufFieldsBuilder';
import type { PbufInspection, PbufPacketView } from './pbufInspect';

/** Reads what a payload means to the protocol above (null: nothing to say). */
export type DescribePayload = ((payload: Uint8Array) => string | null) | null;

function payloadValue(
  b: Builder,
  ranges: readonly ByteRange[],
  len: number,
  preview: number,
  describe: DescribePayload,
): string {
  if (len === 0) return 'empty';
  const shown = b.read(ranges, Math.min(len, preview));
  const text = shown.map(hex2).join(' ') + (len > shown.length ? ' …' : '');
  const all = b.read(ranges, Math.min(len, 16));
  const magic = startsWithMagic(Uint8Array.from(all), len) ? ' · ICMsg magic' : '';
  const meaning = describe?.(Uint8Array.from(b.read(ranges, Math.min(len, 64)))) ?? null;
  return `${plural(len, 'byte')}: ${text}${magic}${meaning === null ? '' : ` · ${meaning}`}`;
}

function packetField(b: Builder, p: PbufPacketView, preview: number, describe: DescribePayload): PbufField {
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
    field(`${id}/payload`, 'payload', 'payload', payloadValue(b, payload, p.len, preview, describe), payload, {
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

export function dataField(
  b: Builder,
  inspection: PbufInspection,
  preview: number,
  describe: DescribePayload,
): PbufField {
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
  const children = packets.map((p) => packetField(b, p, preview, describe));
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
