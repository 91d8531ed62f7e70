/**
 * The host's trace: a columnar flight recorder. Per event it keeps typed columns (global sequence,
 * time, domain, kind, message id) and the event's encoded record in a word arena; `get(i)` decodes
 * one event when a view needs it. Memory is bounded: when either the event columns or the arena
 * are full, the oldest events are overwritten and counted (`overwritten`), never silently.
 */
import { type DecodedRecord, KINDS, TraceDecoder } from './codec';
import type { TraceBody, TraceEvent, TraceKind } from './events';

export interface TraceStoreOptions {
  /** Events kept at most. */
  readonly capacity?: number;
  /** Arena words per event on average (the arena holds capacity × this). */
  readonly wordsPerEvent?: number;
}

const KIND_INDEX = new Map<TraceKind, number>(KINDS.map((k, i) => [k, i]));

export class TraceStore {
  readonly capacity: number;
  readonly seq: Float64Array;
  readonly t: Float64Array;
  /** Domain index per event (a restarted domain is a new one: its strings are new). */
  readonly domain: Uint32Array;
  readonly kind: Uint8Array;
  /** Message id, NaN when the event carries none. */
  readonly msgId: Float64Array;
  /** Events overwritten because the recorder was full. */
  overwritten = 0;
  /** Records refused because one alone is larger than the whole arena. */
  refused = 0;
  private readonly start: Uint32Array;
  private readonly words: Uint32Array;
  private readonly arena: Int32Array;
  private readonly domains: string[] = [];
  private readonly decoders: TraceDecoder[] = [];
  /** Ring of events: oldest at `first`, `count` of them. */
  private first = 0;
  private count = 0;
  private arenaPos = 0;

  constructor(options: TraceStoreOptions = {}) {
    this.capacity = Math.max(16, Math.floor(options.capacity ?? 1_000_000));
    this.seq = new Float64Array(this.capacity);
    this.t = new Float64Array(this.capacity);
    this.domain = new Uint32Array(this.capacity);
    this.kind = new Uint8Array(this.capacity);
    this.msgId = new Float64Array(this.capacity);
    this.start = new Uint32Array(this.capacity);
    this.words = new Uint32Array(this.capacity);
    this.arena = new Int32Array(this.capacity * Math.max(8, options.wordsPerEvent ?? 16));
  }

  get length(): number {
    return this.count;
  }

  /** Forgets every event and domain, and the counts of what was lost: a fresh recorder. */
  clear(): void {
    this.first = 0;
    this.count = 0;
    this.arenaPos = 0;
    this.overwritten = 0;
    this.refused = 0;
    this.domains.length = 0;
    this.decoders.length = 0;
  }

  /** The index of a domain name (registered on first use). */
  domainIndex(name: string): number {
    let i = this.domains.indexOf(name);
    if (i < 0) {
      i = this.domains.length;
      this.domains.push(name);
      this.decoders.push(new TraceDecoder());
    }
    return i;
  }

  domainName(index: number): string {
    return this.domains[index] ?? '?';
  }

  /** The decoder holding a domain's string table (records of that domain decode with it). */
  decoderFor(domainIndex: number): TraceDecoder {
    return this.decoders[domainIndex] ?? new TraceDecoder();
  }

  /** Appends one encoded event record of `domainIndex` (copied), with its decoded essentials. */
  append(
    domainIndex: number,
    record: ArrayLike<number>,
    length: number,
    seq: number,
    t: number,
    body: TraceBody,
  ): void {
    if (length > this.arena.length) {
      this.refused += 1;
      return;
    }
    // The arena is a circular log: kept records run from the oldest's words up to `arenaPos`.
    if (this.arenaPos + length > this.arena.length) {
      // No room before the end: the records still between here and the end are the oldest; drop
      // them and start again at word 0.
      while (this.count > 0 && (this.start[this.first] ?? 0) >= this.arenaPos) this.evictOldest();
      this.arenaPos = 0;
    }
    const from = this.arenaPos;
    const to = from + length;
    // Evict the oldest records while the new one's words (or the event slots) would overwrite them.
    while (this.count > 0 && (this.count === this.capacity || this.overlaps(this.first, from, to))) this.evictOldest();
    const slot = (this.first + this.count) % this.capacity;
    for (let i = 0; i < length; i++) this.arena[from + i] = record[i] ?? 0;
    this.arenaPos = to;
    this.start[slot] = from;
    this.words[slot] = length;
    this.seq[slot] = seq;
    this.t[slot] = t;
    this.domain[slot] = domainIndex;
    this.kind[slot] = KIND_INDEX.get(body.kind) ?? 255;
    const id = 'msgId' in body ? body.msgId : undefined;
    this.msgId[slot] = typeof id === 'number' ? id : NaN;
    this.count += 1;
  }

  /** Sets the message id of the event just appended (resolved by the host after the fact). */
  setLastMsgId(msgId: number): void {
    if (this.count > 0) this.msgId[(this.first + this.count - 1) % this.capacity] = msgId;
  }

  /** Slot of the i-th event from the oldest kept. */
  slot(i: number): number {
    return (this.first + i) % this.capacity;
  }

  /** Decodes the i-th event from the oldest kept. */
  get(i: number): TraceEvent | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const slot = this.slot(i);
    const from = this.start[slot] ?? 0;
    const decoded: DecodedRecord | null = this.decoderFor(this.domain[slot] ?? 0).decode(
      this.arena.subarray(from, from + (this.words[slot] ?? 0)),
    );
    if (!decoded || !('body' in decoded)) return undefined;
    const msgId = this.msgId[slot] ?? NaN;
    const body = 'msgId' in decoded.body && !Number.isNaN(msgId) ? { ...decoded.body, msgId } : decoded.body;
    // The columns hold the full sequence number (records carry it mod 2^32) and the exact time.
    return {
      ...body,
      seq: this.seq[slot] ?? decoded.seq,
      t: this.t[slot] ?? decoded.t,
      domain: this.domainName(this.domain[slot] ?? 0),
    };
  }

  private overlaps(slotIndex: number, from: number, to: number): boolean {
    const s = this.start[slotIndex] ?? 0;
    const e = s + (this.words[slotIndex] ?? 0);
    return s < to && from < e;
  }

  private evictOldest(): void {
    this.first = (this.first + 1) % this.capacity;
    this.count -= 1;
    this.overwritten += 1;
  }
}
