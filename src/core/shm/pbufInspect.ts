/**
 * A debugger's read-only look at a pbuf in shared memory: what a JTAG probe would show. It reads
 * the bytes directly (no cache maintenance, nothing recorded) and decodes the FIFO the way the
 * reader would walk it, from the shared rd_idx to the shared wr_idx.
 *
 * It never throws on corrupted memory: a misaligned or out-of-range index, or a header claiming
 * more bytes than were written, stops the walk and is reported as a problem.
 */
import { type PbufCfg, PBUF_IDX_SIZE, PBUF_PACKET_LEN_SZ, pbufOccupied, pbufWrap } from './pbuf';

/** A run of bytes in `data[]`, by index. */
export interface PbufSegment {
  readonly start: number;
  readonly length: number;
}

export interface PbufPacketView {
  /** 0 is the packet the reader takes next. */
  readonly seq: number;
  /** data[] index of the 4-byte header. */
  readonly headerIdx: number;
  /** Payload length from the big-endian header. */
  readonly len: number;
  /** One segment, or two when the payload wraps to data[0]. */
  readonly payload: readonly PbufSegment[];
  /** The 0-3 bytes up to the next 4-aligned index; the writer never touches them. */
  readonly padding: readonly PbufSegment[];
  readonly nextIdx: number;
  readonly wraps: boolean;
}

export type PbufProblemKind =
  | 'rd_idx-misaligned'
  | 'wr_idx-misaligned'
  | 'rd_idx-out-of-range'
  | 'wr_idx-out-of-range'
  | 'length-exceeds-written'
  | 'too-many-packets';

export interface PbufProblem {
  readonly kind: PbufProblemKind;
  readonly message: string;
}

export interface PbufInspection {
  readonly rdIdx: number;
  readonly wrIdx: number;
  readonly handshake: number | null;
  /** Bytes of packets (headers, payload, padding) not yet read; null if the indices are unusable. */
  readonly occupied: number | null;
  /** Bytes a writer could still use (len - occupied - 4); null if the indices are unusable. */
  readonly free: number | null;
  /** Largest payload that fits now: free - 4, at least 0. */
  readonly maxWritable: number | null;
  readonly packets: readonly PbufPacketView[];
  /** Bytes from wr_idx to rd_idx: free space, including the 4 bytes always kept free. */
  readonly freeSegments: readonly PbufSegment[];
  readonly problems: readonly PbufProblem[];
}

/** Reads a little-endian u32 from any buffer offset, 0 past the end. */
function peek32(bytes: Uint8Array, offset: number): number {
  if (offset < 0 || offset + 4 > bytes.length) return 0;
  return (
    ((bytes[offset] ?? 0) |
      ((bytes[offset + 1] ?? 0) << 8) |
      ((bytes[offset + 2] ?? 0) << 16) |
      ((bytes[offset + 3] ?? 0) << 24)) >>>
    0
  );
}

/** The segments of `length` bytes starting at data[start], split where they wrap. */
function circularSegments(len: number, start: number, length: number): PbufSegment[] {
  if (length <= 0) return [];
  const first = Math.min(length, len - start);
  return first < length
    ? [
        { start, length: first },
        { start: 0, length: length - first },
      ]
    : [{ start, length }];
}

export function inspectPbuf(bytes: Uint8Array, cfg: PbufCfg, maxPackets = 4096): PbufInspection {
  const len = cfg.len;
  const rdIdx = peek32(bytes, cfg.rdIdxLoc);
  const wrIdx = peek32(bytes, cfg.wrIdxLoc);
  const handshake = cfg.handshakeLoc === null ? null : peek32(bytes, cfg.handshakeLoc);
  const problems: PbufProblem[] = [];
  const check = (name: 'rd_idx' | 'wr_idx', value: number): void => {
    if ((value & 3) !== 0) {
      problems.push({ kind: `${name}-misaligned`, message: `${name} = ${value} is not a multiple of 4` });
    } else if (value >= len) {
      problems.push({ kind: `${name}-out-of-range`, message: `${name} = ${value} is outside data[0..${len})` });
    }
  };
  check('rd_idx', rdIdx);
  check('wr_idx', wrIdx);
  if (problems.length > 0) {
    return {
      rdIdx,
      wrIdx,
      handshake,
      occupied: null,
      free: null,
      maxWritable: null,
      packets: [],
      freeSegments: [],
      problems,
    };
  }

  const occupied = pbufOccupied(len, wrIdx, rdIdx);
  const free = len - occupied - PBUF_IDX_SIZE;
  const packets: PbufPacketView[] = [];
  let idx = rdIdx;
  while (idx !== wrIdx) {
    if (packets.length >= maxPackets) {
      problems.push({ kind: 'too-many-packets', message: `stopped after ${maxPackets} packets` });
      break;
    }
    const available = pbufOccupied(len, wrIdx, idx);
    const hdr = cfg.dataLoc + idx;
    const plen = ((bytes[hdr] ?? 0) << 8) | (bytes[hdr + 1] ?? 0);
    if (available < plen + PBUF_PACKET_LEN_SZ) {
      problems.push({
        kind: 'length-exceeds-written',
        message: `packet at data[${idx}] claims ${plen} bytes but only ${Math.max(0, available - PBUF_PACKET_LEN_SZ)} were written`,
      });
      break;
    }
    const payloadStart = pbufWrap(len, idx + PBUF_PACKET_LEN_SZ);
    const payload = circularSegments(len, payloadStart, plen);
    const end = pbufWrap(len, payloadStart + plen);
    const padLength = (4 - (end & 3)) & 3;
    const nextIdx = pbufWrap(len, end + padLength);
    packets.push({
      seq: packets.length,
      headerIdx: idx,
      len: plen,
      payload,
      padding: padLength > 0 ? [{ start: end, length: padLength }] : [],
      nextIdx,
      wraps: payload.length > 1,
    });
    idx = nextIdx;
  }
  return {
    rdIdx,
    wrIdx,
    handshake,
    occupied,
    free,
    maxWritable: Math.max(0, free - PBUF_PACKET_LEN_SZ),
    packets,
    freeSegments: circularSegments(len, wrIdx, len - occupied),
    problems,
  };
}

/** What a byte of a pbuf region is, for colouring a hex view. */
export const PbufByteClass = {
  rdIdx: 0,
  handshake: 1,
  linePad: 2,
  wrIdx: 3,
  header: 4,
  payload: 5,
  padding: 6,
  free: 7,
  /** Bytes the walk could not attribute (after a corrupted header). */
  unknown: 8,
} as const;
export type PbufByteClass = (typeof PbufByteClass)[keyof typeof PbufByteClass];

export interface PbufByteMap {
  /** One class per byte of the region, from the region start. */
  readonly classes: Uint8Array;
  /** The packet (`seq`) each byte belongs to, -1 for none. */
  readonly packet: Int32Array;
}

/** Classifies every byte of a region of `size` bytes starting at `cfg.rdIdxLoc`. */
export function classifyPbufBytes(cfg: PbufCfg, size: number, inspection: PbufInspection): PbufByteMap {
  const base = cfg.rdIdxLoc;
  const classes = new Uint8Array(size).fill(PbufByteClass.unknown);
  const packet = new Int32Array(size).fill(-1);
  const mark = (offset: number, length: number, cls: PbufByteClass, seq = -1): void => {
    for (let i = Math.max(0, offset); i < Math.min(size, offset + length); i++) {
      classes[i] = cls;
      packet[i] = seq;
    }
  };
  mark(0, cfg.dataLoc - base, PbufByteClass.linePad);
  mark(cfg.rdIdxLoc - base, 4, PbufByteClass.rdIdx);
  if (cfg.handshakeLoc !== null) mark(cfg.handshakeLoc - base, 4, PbufByteClass.handshake);
  mark(cfg.wrIdxLoc - base, 4, PbufByteClass.wrIdx);
  const data = cfg.dataLoc - base;
  for (const seg of inspection.freeSegments) mark(data + seg.start, seg.length, PbufByteClass.free);
  for (const p of inspection.packets) {
    mark(data + p.headerIdx, PBUF_PACKET_LEN_SZ, PbufByteClass.header, p.seq);
    for (const seg of p.payload) mark(data + seg.start, seg.length, PbufByteClass.payload, p.seq);
    for (const seg of p.padding) mark(data + seg.start, seg.length, PbufByteClass.padding, p.seq);
  }
  return { classes, packet };
}
