/**
 * Trace events as 32-bit words, for the rings worker domains write into shared memory and the
 * host drains. One record:
 *
 *   word 0   kind (bits 0-7) | record length in words (bits 8-23)
 *   word 1   global sequence number (u32)
 *   word 2-3 time in ns (lo, hi)
 *   word 4…  the kind's fields, in the order `FIELDS` lists them
 *
 * Field types: `u32`; `i64` (two words, lo/hi, for message ids and times); `str` (an id into the
 * writer's string table; the first use of a string is preceded by a string record that defines
 * it); `result` (a non-negative value, or minus Zephyr's errno); `bool`; optional variants whose
 * sentinel marks absent (and, for `opt-i64`, null). Decoding needs the same writer's string table,
 * so each ring has its own decoder.
 */
import { type Errno, isErrno, type Result, ZEPHYR_ERRNO } from '../errno';
import { decodeUtf8, encodeUtf8 } from '../utf8';
import type { TraceBody, TraceKind } from './events';

type FieldType = 'u32' | 'i64' | 'opt-u32' | 'opt-i64' | 'str' | 'opt-str' | 'str[]' | 'result' | 'bool';

type FieldList<K extends TraceKind> = readonly (readonly [keyof Extract<TraceBody, { kind: K }> & string, FieldType])[];

/** Every kind's fields, in record order. Adding a kind to the union without a row here fails to compile. */
export const FIELDS: { readonly [K in TraceKind]: FieldList<K> } = {
  decision: [
    ['step', 'u32'],
    ['pick', 'str'],
    ['candidates', 'str[]'],
    ['ran', 'str'],
  ],
  api: [
    ['call', 'str'],
    ['instance', 'str'],
    ['endpoint', 'opt-str'],
    ['result', 'result'],
    ['msgId', 'opt-i64'],
    ['length', 'opt-u32'],
  ],
  transition: [
    ['machine', 'str'],
    ['instance', 'str'],
    ['from', 'str'],
    ['to', 'str'],
    ['event', 'str'],
  ],
  'packet-written': [
    ['region', 'str'],
    ['offset', 'u32'],
    ['length', 'u32'],
    ['msgId', 'i64'],
  ],
  'packet-read': [
    ['region', 'str'],
    ['offset', 'u32'],
    ['length', 'u32'],
    ['msgId', 'opt-i64'],
  ],
  'packet-dropped': [
    ['region', 'str'],
    ['length', 'u32'],
    ['msgId', 'opt-i64'],
    ['reason', 'str'],
  ],
  blocks: [
    ['instance', 'str'],
    ['region', 'str'],
    ['use', 'str'],
    ['first', 'u32'],
    ['count', 'u32'],
    ['endpoint', 'opt-str'],
    ['msgId', 'opt-i64'],
  ],
  port: [
    ['op', 'str'],
    ['port', 'str'],
    ['task', 'str'],
    ['owned', 'bool'],
    ['tag', 'opt-u32'],
    ['tagName', 'opt-str'],
    ['length', 'opt-u32'],
    ['object', 'opt-u32'],
    ['fill', 'opt-u32'],
    ['depth', 'opt-u32'],
    ['slot', 'opt-u32'],
    ['msgId', 'opt-i64'],
    ['protoSeq', 'opt-u32'],
    ['digest', 'opt-u32'],
    ['detail', 'opt-str'],
  ],
  channel: [
    ['op', 'str'],
    ['task', 'str'],
    ['generation', 'u32'],
    ['state', 'opt-str'],
    ['channel', 'opt-str'],
    ['peer', 'opt-str'],
    ['bytes', 'opt-u32'],
    ['path', 'opt-str'],
    ['code', 'opt-u32'],
    ['bits', 'opt-u32'],
    ['priority', 'opt-u32'],
    ['msgId', 'opt-i64'],
    ['detail', 'opt-str'],
  ],
  pool: [
    ['op', 'str'],
    ['pool', 'str'],
    ['entry', 'u32'],
    ['address', 'u32'],
    ['size', 'u32'],
    ['task', 'str'],
    ['msgId', 'opt-i64'],
  ],
  'doorbell-rung': [
    ['channel', 'str'],
    ['to', 'str'],
    ['result', 'result'],
  ],
  'doorbell-delivered': [
    ['channel', 'str'],
    ['coalesced', 'u32'],
  ],
  'doorbell-lost': [
    ['channel', 'str'],
    ['reason', 'str'],
  ],
  callback: [
    ['instance', 'str'],
    ['endpoint', 'str'],
    ['callback', 'str'],
    ['length', 'opt-u32'],
    ['msgId', 'opt-i64'],
    ['message', 'opt-str'],
  ],
  anomaly: [
    ['where', 'str'],
    ['message', 'str'],
  ],
  fault: [
    ['fault', 'str'],
    ['what', 'str'],
    ['target', 'str'],
    ['detail', 'str'],
  ],
  violation: [
    ['rule', 'str'],
    ['severity', 'str'],
    ['where', 'str'],
    ['message', 'str'],
    ['firstSeq', 'opt-i64'],
  ],
  assert: [
    ['where', 'str'],
    ['message', 'str'],
    ['halted', 'bool'],
  ],
  work: [
    ['item', 'str'],
    ['phase', 'str'],
  ],
  task: [
    ['task', 'str'],
    ['phase', 'str'],
    ['note', 'opt-str'],
  ],
  'memory-fault': [
    ['access', 'str'],
    ['offset', 'u32'],
    ['length', 'u32'],
    ['inBounds', 'u32'],
  ],
  note: [['text', 'str']],
  domain: [
    ['status', 'str'],
    ['message', 'opt-str'],
  ],
  'trace-gap': [
    ['lost', 'u32'],
    ['reason', 'str'],
  ],
};

export const KINDS = Object.keys(FIELDS) as TraceKind[];
const KIND_CODE = new Map<TraceKind, number>(KINDS.map((k, i) => [k, i + 1]));
/** Kind code of a string-definition record. */
export const STRING_RECORD = 255;
export const RECORD_HEADER_WORDS = 4;
/** A bound on one event's records (its string definitions included) for the common kinds. */
export const TYPICAL_RECORD_WORDS = 64;

const ABSENT = 0xffff_ffff;
const ERRNO_BY_NUMBER = new Map<number, Errno>(Object.entries(ZEPHYR_ERRNO).map(([name, n]) => [n, name as Errno]));
const NULL_LO = 1;
const TWO32 = 0x1_0000_0000;

/** Writes words somewhere (a scratch buffer, then a ring). */
export interface WordSink {
  push(word: number): void;
}

/** Encodes trace bodies into words, interning strings for its one reader. */
export class TraceEncoder {
  private readonly strings = new Map<string, number>();

  /** Strings defined so far; with `forgetSince`, a record that was never written is undone. */
  get defined(): number {
    return this.strings.size;
  }

  /** Forgets the strings defined from `count` on (their definitions were dropped with the record). */
  forgetSince(count: number): void {
    if (count >= this.strings.size) return;
    for (const [s, id] of this.strings) if (id >= count) this.strings.delete(s);
  }

  /**
   * Appends the records for one event to `out`: first a string record for every string this
   * encoder has not sent yet, then the event record. Returns the index in `out` of the event
   * record's header (its sequence number is the next word, for a writer that assigns it last).
   */
  encode(body: TraceBody, seq: number, t: number, out: number[]): number {
    const fields = FIELDS[body.kind] as FieldList<TraceKind>;
    const values = body as unknown as Record<string, unknown>;
    for (const [name, type] of fields) {
      const v = values[name];
      if (type === 'str' || type === 'opt-str') {
        if (typeof v === 'string') this.define(v, out);
      } else if (type === 'str[]' && Array.isArray(v)) {
        for (const s of v) if (typeof s === 'string') this.define(s, out);
      }
    }
    const head = out.length;
    out.push(0, seq >>> 0, (t % TWO32) >>> 0, Math.floor(t / TWO32) >>> 0);
    for (const [name, type] of fields) this.field(type, values[name], out);
    out[head] = (KIND_CODE.get(body.kind) ?? 0) | ((out.length - head) << 8);
    return head;
  }

  private define(s: string, out: number[]): void {
    if (this.strings.has(s)) return;
    const id = this.strings.size;
    this.strings.set(s, id);
    const bytes = encodeUtf8(s);
    const words = Math.ceil(bytes.length / 4);
    out.push(STRING_RECORD | ((3 + words) << 8), id, bytes.length);
    for (let w = 0; w < words; w++) {
      const i = w * 4;
      out.push(
        ((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24)) >>>
          0,
      );
    }
  }

  private field(type: FieldType, v: unknown, out: number[]): void {
    switch (type) {
      case 'u32':
        out.push(typeof v === 'number' ? v >>> 0 : 0);
        return;
      case 'opt-u32':
        out.push(typeof v === 'number' ? v >>> 0 : ABSENT);
        return;
      case 'i64':
      case 'opt-i64':
        if (typeof v === 'number') out.push((v % TWO32) >>> 0, Math.floor(v / TWO32) >>> 0);
        else out.push(v === null ? NULL_LO : 0, ABSENT);
        return;
      case 'str':
        out.push(typeof v === 'string' ? (this.strings.get(v) ?? 0) : 0);
        return;
      case 'opt-str':
        out.push(typeof v === 'string' ? (this.strings.get(v) ?? ABSENT) : ABSENT);
        return;
      case 'str[]': {
        const list = Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
        out.push(list.length);
        for (const s of list) out.push(this.strings.get(s) ?? 0);
        return;
      }
      case 'result': {
        const r = v as Result;
        out.push(isErrno(r) ? -ZEPHYR_ERRNO[r] | 0 : r | 0);
        return;
      }
      case 'bool':
        out.push(v === true ? 1 : 0);
        return;
    }
  }
}

/** One decoded record. */
export type DecodedRecord =
  { readonly seq: number; readonly t: number; readonly body: TraceBody } | { readonly kind: 'string' };

/** Decodes the records of one encoder, keeping its string table. */
export class TraceDecoder {
  private readonly strings: string[] = [];

  /** Length in words of the record starting with `header`. */
  static recordLength(header: number): number {
    return (header >>> 8) & 0xffff;
  }

  /** Decodes the record in `words` (exactly one record); null for a malformed one. */
  decode(words: ArrayLike<number>): DecodedRecord | null {
    const header = (words[0] ?? 0) >>> 0;
    const code = header & 0xff;
    if (code === STRING_RECORD) {
      const id = (words[1] ?? 0) >>> 0;
      const length = (words[2] ?? 0) >>> 0;
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = ((words[3 + (i >> 2)] ?? 0) >>> ((i & 3) * 8)) & 0xff;
      this.strings[id] = decodeUtf8(bytes);
      return { kind: 'string' };
    }
    const kind = KINDS[code - 1];
    if (kind === undefined) return null;
    const seq = (words[1] ?? 0) >>> 0;
    const t = ((words[2] ?? 0) >>> 0) + ((words[3] ?? 0) >>> 0) * TWO32;
    const body: Record<string, unknown> = { kind };
    let at = RECORD_HEADER_WORDS;
    const word = () => (words[at++] ?? 0) >>> 0;
    for (const [name, type] of FIELDS[kind] as FieldList<TraceKind>) {
      switch (type) {
        case 'u32':
          body[name] = word();
          break;
        case 'opt-u32': {
          const v = word();
          if (v !== ABSENT) body[name] = v;
          break;
        }
        case 'i64':
        case 'opt-i64': {
          const lo = word();
          const hi = word();
          if (hi !== ABSENT) body[name] = lo + hi * TWO32;
          else if (lo === NULL_LO) body[name] = null;
          break;
        }
        case 'str':
          body[name] = this.strings[word()] ?? '?';
          break;
        case 'opt-str': {
          const id = word();
          if (id !== ABSENT) body[name] = this.strings[id] ?? '?';
          break;
        }
        case 'str[]': {
          const n = word();
          const list: string[] = [];
          for (let i = 0; i < n; i++) list.push(this.strings[word()] ?? '?');
          body[name] = list;
          break;
        }
        case 'result': {
          const v = word() | 0;
          body[name] = v >= 0 ? v : (ERRNO_BY_NUMBER.get(-v) ?? 'EIO');
          break;
        }
        case 'bool':
          body[name] = word() === 1;
          break;
      }
    }
    return { seq, t, body: body as TraceBody };
  }
}
