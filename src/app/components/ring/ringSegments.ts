/**
 * data[] of a pbuf cut into the segments its drawings show, in data[] indices: each packet's
 * header, payload (two segments when it wraps) and untouched padding; the free space from wr_idx;
 * and the 4 bytes always kept free just before rd_idx. Shared by the pbuf demo's ring and the ring
 * inspector's strip, so both draw the same thing.
 */
import { PBUF_IDX_SIZE, type PbufInspection, type PbufPacketView } from '../../../core';

export type SegmentClass = 'header' | 'payload' | 'padding' | 'free' | 'reserved';

/** How a view names and colours a packet (the inspector: by message); absent, by FIFO order. */
export interface PacketStyle {
  readonly colour: string;
  /** Tooltip name, e.g. "message #12". */
  readonly name: string;
}

export interface Segment {
  readonly key: string;
  readonly cls: SegmentClass;
  /** The packet's place in the FIFO (0 = the one the reader takes next); null outside packets. */
  readonly seq: number | null;
  readonly start: number;
  readonly length: number;
  readonly title: string;
  /** The payload's colour from a PacketStyle; null: the stylesheet's. */
  readonly colour: string | null;
}

/** Free space from wr_idx to rd_idx, with its last four bytes shown as the reserved gap. */
function freeSegments(len: number, inspection: PbufInspection): Segment[] {
  const out: Segment[] = [];
  let remaining = inspection.freeSegments.reduce((n, s) => n + s.length, 0);
  for (const seg of inspection.freeSegments) {
    const usable = Math.max(0, Math.min(seg.length, remaining - PBUF_IDX_SIZE));
    if (usable > 0) {
      out.push({
        key: `free-${seg.start}`,
        cls: 'free',
        seq: null,
        start: seg.start,
        length: usable,
        title: `free: data[${seg.start}..${seg.start + usable})`,
        colour: null,
      });
    }
    const reserved = seg.length - usable;
    if (reserved > 0) {
      const start = (seg.start + usable) % len;
      out.push({
        key: `reserved-${start}`,
        cls: 'reserved',
        seq: null,
        start,
        length: reserved,
        title: 'kept free: pbuf never fills the last 4 bytes, so rd_idx == wr_idx always means empty',
        colour: null,
      });
    }
    remaining -= seg.length;
  }
  return out;
}

export function ringSegments(
  len: number,
  inspection: PbufInspection,
  packetStyle?: (packet: PbufPacketView) => PacketStyle,
): Segment[] {
  const segments = freeSegments(len, inspection);
  for (const p of inspection.packets) {
    const style = packetStyle?.(p) ?? null;
    const name = `${style ? style.name : `packet #${p.seq}`} (${p.len} bytes)`;
    segments.push({
      key: `h-${p.headerIdx}`,
      cls: 'header',
      seq: p.seq,
      start: p.headerIdx,
      length: 4,
      title: `${name}: header at data[${p.headerIdx}], length ${p.len} big-endian`,
      colour: null,
    });
    p.payload.forEach((s, i) =>
      segments.push({
        key: `p-${p.headerIdx}-${i}`,
        cls: 'payload',
        seq: p.seq,
        start: s.start,
        length: s.length,
        title: `${name}: payload data[${s.start}..${s.start + s.length})${p.wraps ? (i === 0 ? ', wraps to data[0]' : ', continued from the end') : ''}`,
        colour: style?.colour ?? null,
      }),
    );
    p.padding.forEach((s) =>
      segments.push({
        key: `pad-${p.headerIdx}`,
        cls: 'padding',
        seq: p.seq,
        start: s.start,
        length: s.length,
        title: `${name}: ${s.length} padding byte(s), never written: stale memory shows through`,
        colour: null,
      }),
    );
  }
  return segments;
}
