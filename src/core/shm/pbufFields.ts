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
import { localSidAckFromTx, remoteSidReqFromTx, SID_DISCONNECTED } from '../backends/icmsg/icmsgWire';
import { type PbufCfg, PBUF_IDX_SIZE, PBUF_PACKET_LEN_SZ } from './pbuf';
import { Builder, type ByteRange, field, type PbufField, peek32, plural } from './pbufFieldsBuilder';
import { dataField } from './pbufFieldsData';
import { inspectPbuf, type PbufInspection, type PbufProblem } from './pbufInspect';

export type { ByteRange, PbufField, PbufFieldKind } from './pbufFieldsBuilder';

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
  /**
   * What a packet's payload means to the protocol above pbuf (an ICBMsg control message, …), or
   * null; shown after the bytes.
   */
  readonly describePayload?: (payload: Uint8Array) => string | null;
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
  fields.push(dataField(b, inspection, preview, options.describePayload ?? null));
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
