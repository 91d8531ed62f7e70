/**
 * Structs of port messages as bytes and back, on the layout `cLayout.ts` computes (32-bit ARM
 * EABI, little endian as a Cortex-M stores them). Senders encode the values a scenario gives;
 * the inspector and the checker decode what is in memory.
 *
 * Fields the codec has no number kind for (nested structs, declared firmware types) are raw
 * bytes; `char` arrays decode as text up to the first NUL as well.
 */
import type { FieldLayout, StructLayout } from './cLayout';
import { codecKind } from './generate';

/** A field's value: a number (bigint for 64-bit integers), a boolean, an array of them or text. */
export type FieldValue = number | bigint | boolean | string | readonly (number | bigint | boolean)[];

export interface DecodedField {
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  /** The value; raw bytes as hex for fields without a number kind. */
  readonly value: FieldValue;
  /** How the inspector shows it. */
  readonly text: string;
}

type Kind = 'bool' | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64' | 'f32' | 'f64' | 'bytes';

function kindOf(f: FieldLayout): Kind {
  return codecKind(f) as Kind;
}

/** A 64-bit integer from a number or bigint (a fraction is cut, not thrown on: scenarios are checked before). */
const whole = (n: number | bigint): bigint =>
  typeof n === 'bigint' ? n : BigInt(Number.isFinite(n) ? Math.trunc(n) : 0);

function put(v: DataView, at: number, kind: Kind, x: number | bigint | boolean): void {
  const n = typeof x === 'boolean' ? (x ? 1 : 0) : x;
  switch (kind) {
    case 'bool':
      v.setUint8(at, n ? 1 : 0);
      return;
    case 'u8':
      v.setUint8(at, Number(n));
      return;
    case 'i8':
      v.setInt8(at, Number(n));
      return;
    case 'u16':
      v.setUint16(at, Number(n), true);
      return;
    case 'i16':
      v.setInt16(at, Number(n), true);
      return;
    case 'u32':
      v.setUint32(at, Number(n) >>> 0, true);
      return;
    case 'i32':
      v.setInt32(at, Number(n) | 0, true);
      return;
    case 'u64':
      v.setBigUint64(at, BigInt.asUintN(64, whole(n)), true);
      return;
    case 'i64':
      v.setBigInt64(at, BigInt.asIntN(64, whole(n)), true);
      return;
    case 'f32':
      v.setFloat32(at, Number(n), true);
      return;
    case 'f64':
      v.setFloat64(at, Number(n), true);
      return;
    case 'bytes':
      return;
  }
}

function get(v: DataView, at: number, kind: Kind): number | bigint | boolean {
  switch (kind) {
    case 'bool':
      return v.getUint8(at) !== 0;
    case 'u8':
      return v.getUint8(at);
    case 'i8':
      return v.getInt8(at);
    case 'u16':
      return v.getUint16(at, true);
    case 'i16':
      return v.getInt16(at, true);
    case 'u32':
      return v.getUint32(at, true);
    case 'i32':
      return v.getInt32(at, true);
    case 'u64':
      return v.getBigUint64(at, true);
    case 'i64':
      return v.getBigInt64(at, true);
    case 'f32':
      return v.getFloat32(at, true);
    case 'f64':
      return v.getFloat64(at, true);
    case 'bytes':
      return 0;
  }
}

const isChar = (f: FieldLayout): boolean => !f.pointer && f.type === 'char';

/**
 * Writes `values` into `out` (a struct's bytes) by field name; fields not named keep their bytes.
 * Returns the names it does not know or cannot encode, so a scenario can say so.
 */
export function encodeStruct(
  layout: StructLayout,
  values: Readonly<Record<string, FieldValue>>,
  out: Uint8Array,
): string[] {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const refused: string[] = [];
  for (const [name, x] of Object.entries(values)) {
    const f = layout.fields.find((g) => g.name === name);
    if (!f || f.offset + f.size > out.length) {
      refused.push(name);
      continue;
    }
    const kind = kindOf(f);
    const count = f.size / Math.max(1, f.elementSize);
    if (typeof x === 'string') {
      if (!isChar(f)) refused.push(name);
      else {
        out.fill(0, f.offset, f.offset + f.size);
        for (let i = 0; i < Math.min(x.length, f.size - 1); i++) out[f.offset + i] = x.charCodeAt(i) & 0xff;
      }
    } else if (kind === 'bytes') refused.push(name);
    else if (Array.isArray(x)) {
      const items = x as readonly (number | bigint | boolean)[];
      items.slice(0, count).forEach((e, i) => put(v, f.offset + i * f.elementSize, kind, e));
    } else put(v, f.offset, kind, x as number | bigint | boolean);
  }
  return refused;
}

const hexOf = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

function show(x: number | bigint | boolean, kind: Kind): string {
  if (typeof x !== 'number') return String(x);
  if (kind === 'f32' || kind === 'f64') return String(x);
  return x > 9 ? `${x} (0x${x.toString(16)})` : String(x);
}

/** Every field of a struct read from `bytes` (shorter bytes: the missing fields are left out). */
export function decodeStruct(layout: StructLayout, bytes: Uint8Array): DecodedField[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: DecodedField[] = [];
  for (const f of layout.fields) {
    if (f.offset + f.size > bytes.length) continue;
    const raw = bytes.subarray(f.offset, f.offset + f.size);
    const base = { name: f.name, type: f.type + f.dims.map((d) => `[${d}]`).join(''), offset: f.offset, size: f.size };
    const kind = kindOf(f);
    const count = f.size / Math.max(1, f.elementSize);
    if (isChar(f) && f.dims.length > 0) {
      const end = raw.indexOf(0);
      const text = String.fromCharCode(...raw.subarray(0, end < 0 ? raw.length : end));
      out.push({ ...base, value: text, text: JSON.stringify(text) });
    } else if (kind === 'bytes') {
      out.push({ ...base, value: hexOf(raw), text: hexOf(raw) });
    } else if (count > 1) {
      const items = Array.from({ length: count }, (_, i) => get(v, f.offset + i * f.elementSize, kind));
      out.push({ ...base, value: items, text: `[${items.map(String).join(', ')}]` });
    } else {
      const x = get(v, f.offset, kind);
      out.push({ ...base, value: x, text: show(x, kind) });
    }
  }
  return out;
}
