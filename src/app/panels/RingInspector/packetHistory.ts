/**
 * Each region's packet history, gathered from the trace table: every `packet-written` and
 * `packet-read` of the region in table order, with the bytes in use after it (Tracealyzer's
 * object history and utilisation). The ring inspector asks it which message each packet still in
 * the ring carries, and draws occupancy over time from it.
 *
 *   region columns, [0, count):  index (table index) · t · offset (data[] index of the header)
 *                                · msgId (NaN unknown) · length · inUse (bytes after the event)
 *
 * Gathering is incremental: `update()` reads only the events appended since the last call, and
 * starts over when the table was rewritten under it (a rewind, a fork, an eviction, a clear).
 * A packet occupies 4 + len bytes rounded up to 4 (header, payload, padding). `inUse` is clamped
 * at 0: a read whose write the table no longer holds (evicted, or traced before a reset) cannot
 * take it below empty.
 */
import { PBUF_PACKET_LEN_SZ, type TraceEvent } from '../../../core';
import { kindIndex, type TraceTable } from '../../trace/TraceTable';
import { lowerBound } from '../../trace/search';

/** Bytes a packet of `len` payload bytes takes in data[]. */
export const packetFootprint = (len: number): number => (PBUF_PACKET_LEN_SZ + len + 3) & ~3;

export interface RegionPackets {
  readonly count: number;
  readonly index: Int32Array;
  readonly t: Float64Array;
  readonly offset: Int32Array;
  readonly msgId: Float64Array;
  readonly length: Int32Array;
  /** 1 for a write, 0 for a read. */
  readonly written: Uint8Array;
  readonly inUse: Float64Array;
  /** Largest `inUse` so far. */
  readonly peak: number;
}

class RegionColumns implements RegionPackets {
  count = 0;
  index = new Int32Array(256);
  t = new Float64Array(256);
  offset = new Int32Array(256);
  msgId = new Float64Array(256);
  length = new Int32Array(256);
  written = new Uint8Array(256);
  inUse = new Float64Array(256);
  peak = 0;

  push(index: number, t: number, offset: number, msgId: number, length: number, written: boolean): void {
    if (this.count === this.index.length) this.grow(this.count * 2);
    const i = this.count;
    const before = i > 0 ? (this.inUse[i - 1] ?? 0) : 0;
    const delta = packetFootprint(length) * (written ? 1 : -1);
    this.index[i] = index;
    this.t[i] = t;
    this.offset[i] = offset;
    this.msgId[i] = msgId;
    this.length[i] = length;
    this.written[i] = written ? 1 : 0;
    const inUse = Math.max(0, before + delta);
    this.inUse[i] = inUse;
    if (inUse > this.peak) this.peak = inUse;
    this.count += 1;
  }

  private grow(size: number): void {
    const copy = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.index = copy(this.index, (n) => new Int32Array(n));
    this.t = copy(this.t, (n) => new Float64Array(n));
    this.offset = copy(this.offset, (n) => new Int32Array(n));
    this.msgId = copy(this.msgId, (n) => new Float64Array(n));
    this.length = copy(this.length, (n) => new Int32Array(n));
    this.written = copy(this.written, (n) => new Uint8Array(n));
    this.inUse = copy(this.inUse, (n) => new Float64Array(n));
  }
}

const EMPTY: RegionPackets = new RegionColumns();

export class PacketHistory {
  private readonly table: TraceTable;
  private readonly regions = new Map<string, RegionColumns>();
  private scanned = 0;
  private lastEvent: TraceEvent | undefined;
  private evicted = 0;
  private readonly writtenKind = kindIndex('packet-written');
  private readonly readKind = kindIndex('packet-read');

  constructor(table: TraceTable) {
    this.table = table;
  }

  /** Reads what the table gained since the last call; starts over if it was rewritten. */
  update(): void {
    const { table } = this;
    const rewritten =
      table.length < this.scanned ||
      table.evicted !== this.evicted ||
      (this.scanned > 0 && table.event(this.scanned - 1) !== this.lastEvent);
    if (rewritten) {
      this.regions.clear();
      this.scanned = 0;
      this.evicted = table.evicted;
    }
    const { kind } = table;
    for (let i = this.scanned; i < table.length; i++) {
      const k = kind[i];
      if (k !== this.writtenKind && k !== this.readKind) continue;
      const e = table.event(i);
      if (e?.kind !== 'packet-written' && e?.kind !== 'packet-read') continue;
      let columns = this.regions.get(e.region);
      if (!columns) {
        columns = new RegionColumns();
        this.regions.set(e.region, columns);
      }
      columns.push(i, e.t, e.offset, e.msgId ?? NaN, e.length, e.kind === 'packet-written');
    }
    this.scanned = table.length;
    this.lastEvent = table.length > 0 ? table.event(table.length - 1) : undefined;
  }

  region(name: string): RegionPackets {
    return this.regions.get(name) ?? EMPTY;
  }
}

const histories = new WeakMap<TraceTable, PacketHistory>();

/** The history of `table`, shared by every view that asks, brought up to date. */
export function packetHistoryOf(table: TraceTable): PacketHistory {
  let history = histories.get(table);
  if (!history) {
    history = new PacketHistory(table);
    histories.set(table, history);
  }
  history.update();
  return history;
}

/** How many of the region's events happened before table index `cursor` (binary search). */
export function eventsBefore(packets: RegionPackets, cursor: number): number {
  return lowerBound(packets.index, packets.count, cursor);
}

/** Where a packet still in the ring came from, per the trace. */
export interface PacketOrigin {
  /** The message it carries; null when the trace does not say. */
  readonly msgId: number | null;
  /** Table index of its `packet-written`; -1 when not found. */
  readonly writtenAt: number;
  /** Payload length the trace recorded for it. */
  readonly length: number | null;
}

const UNKNOWN: PacketOrigin = { msgId: null, writtenAt: -1, length: null };

/**
 * The origin of each packet whose header sits at one of `headers` (data[] indices) at the cursor
 * (events [0, cursor) have happened): the latest `packet-written` at that offset before the cursor,
 * unless a `packet-read` at the same offset came after it. Scans backwards from the cursor and
 * stops once every header is resolved or after `limit` events, so it stays fast on long traces;
 * the packets in a ring are recent, so the scan is short in practice.
 */
export function packetOrigins(
  packets: RegionPackets,
  cursor: number,
  headers: readonly number[],
  limit = 100_000,
): Map<number, PacketOrigin> {
  const out = new Map<number, PacketOrigin>();
  const wanted = new Set(headers);
  const stop = Math.max(0, eventsBefore(packets, cursor) - limit);
  for (let j = eventsBefore(packets, cursor) - 1; j >= stop && wanted.size > 0; j--) {
    const offset = packets.offset[j] ?? -1;
    if (!wanted.has(offset)) continue;
    wanted.delete(offset);
    if (packets.written[j] === 1) {
      const id = packets.msgId[j] ?? NaN;
      out.set(offset, {
        msgId: Number.isNaN(id) ? null : id,
        writtenAt: packets.index[j] ?? -1,
        length: packets.length[j] ?? null,
      });
    } else {
      out.set(offset, UNKNOWN);
    }
  }
  for (const h of wanted) out.set(h, UNKNOWN);
  return out;
}

/**
 * Table index of the `packet-read` that takes out the packet written at table index `writtenAt`
 * with its header at data[`offset`], or -1 (not read yet, or not in the table). The FIFO makes it
 * the first read at that offset after the write; matched by offset, not by message id, because a
 * read's id is null whenever the tracer lost track of it. Bounded like `packetOrigins`.
 */
export function readOf(packets: RegionPackets, writtenAt: number, offset: number, limit = 100_000): number {
  const start = eventsBefore(packets, writtenAt + 1);
  const end = Math.min(packets.count, start + limit);
  for (let j = start; j < end; j++) {
    if (packets.written[j] === 0 && packets.offset[j] === offset) return packets.index[j] ?? -1;
  }
  return -1;
}

/** Whether the region's history has a write of `msgId` (searched from the end, bounded). */
export function hasMessage(packets: RegionPackets, msgId: number, limit = 200_000): boolean {
  for (let j = packets.count - 1; j >= Math.max(0, packets.count - limit); j--) {
    if (packets.written[j] === 1 && packets.msgId[j] === msgId) return true;
  }
  return false;
}
