/**
 * C struct layout on the 32-bit ARM EABI (AAPCS), as GCC lays it out for Cortex-M: each field at
 * the next multiple of its alignment, the struct aligned to its most aligned field and its size
 * rounded up to that, arrays of any rank aligned as their element. An empty struct (a GNU C
 * extension the libipc generator emits for messages without fields) has size 0.
 *
 *   type             size  align        type        size  align
 *   bool, char,         1      1        float          4      4
 *   (u)int8_t                           double         8      8
 *   (u)int16_t          2      2        (u)int64_t     8      8
 *   (u)int32_t, size_t, pointers, int, unsigned, long  4      4
 *
 * Types the layout cannot know (project typedefs, nanopb `fwpb_*` messages) are accepted when
 * declared with their size and alignment.
 */

export interface CType {
  readonly size: number;
  readonly align: number;
}

export const ARM_EABI_TYPES: ReadonlyMap<string, CType> = new Map([
  ['bool', { size: 1, align: 1 }],
  ['_Bool', { size: 1, align: 1 }],
  ['char', { size: 1, align: 1 }],
  ['signed char', { size: 1, align: 1 }],
  ['unsigned char', { size: 1, align: 1 }],
  ['uint8_t', { size: 1, align: 1 }],
  ['int8_t', { size: 1, align: 1 }],
  ['uint16_t', { size: 2, align: 2 }],
  ['int16_t', { size: 2, align: 2 }],
  ['short', { size: 2, align: 2 }],
  ['unsigned short', { size: 2, align: 2 }],
  ['uint32_t', { size: 4, align: 4 }],
  ['int32_t', { size: 4, align: 4 }],
  ['int', { size: 4, align: 4 }],
  ['unsigned', { size: 4, align: 4 }],
  ['unsigned int', { size: 4, align: 4 }],
  ['long', { size: 4, align: 4 }],
  ['unsigned long', { size: 4, align: 4 }],
  ['size_t', { size: 4, align: 4 }],
  ['float', { size: 4, align: 4 }],
  ['uint64_t', { size: 8, align: 8 }],
  ['int64_t', { size: 8, align: 8 }],
  ['long long', { size: 8, align: 8 }],
  ['unsigned long long', { size: 8, align: 8 }],
  ['double', { size: 8, align: 8 }],
]);

/** `uint8_t labels[3][32]` as its parts; a pointer (`T *p`) is a 4-byte word. */
export interface FieldDecl {
  readonly type: string;
  readonly name: string;
  /** Array dimensions, outermost first (empty for a scalar). */
  readonly dims: readonly number[];
  readonly pointer: boolean;
}

/** Parses one field declaration as a libipc YAML file writes it, or says why it cannot. */
export function parseFieldDecl(text: string): FieldDecl | string {
  const decl = text.trim().replace(/;$/, '').trim();
  const m =
    /^((?:[A-Za-z_][A-Za-z0-9_]*\s+)*?[A-Za-z_][A-Za-z0-9_]*)\s*(\*?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*((?:\[\s*[^\]]*\s*\])*)$/.exec(
      decl,
    );
  if (!m) return `"${decl}" is not a field declaration (type name, or type name[N]…)`;
  const [, type = '', star = '', name = '', arrays = ''] = m;
  const dims: number[] = [];
  for (const d of arrays.matchAll(/\[\s*([^\]]*)\s*\]/g)) {
    const text = (d[1] ?? '').trim();
    const n = /^(0x[0-9a-fA-F]+|\d+)$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n <= 0) return `array size "${text}" of ${name} must be a positive number`;
    dims.push(n);
  }
  return { type: type.replace(/\s+/g, ' '), name, dims, pointer: star === '*' };
}

export interface FieldLayout {
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly dims: readonly number[];
  readonly pointer: boolean;
  /** Size of one element (the whole field for a scalar). */
  readonly elementSize: number;
}

export interface StructLayout {
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldLayout[];
}

const roundUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/**
 * The layout of a struct of `fields`; `types` resolves a type name (the ARM EABI's, declared
 * ones, structs laid out before) or returns undefined, and then the name is the error.
 */
export function layoutStruct(
  fields: readonly FieldDecl[],
  types: (name: string) => CType | undefined,
): StructLayout | { readonly unknown: string } {
  let offset = 0;
  let align = 1;
  const out: FieldLayout[] = [];
  for (const f of fields) {
    const t = f.pointer ? { size: 4, align: 4 } : types(f.type);
    if (!t) return { unknown: f.type };
    const count = f.dims.reduce((a, b) => a * b, 1);
    offset = roundUp(offset, t.align);
    out.push({
      name: f.name,
      type: f.pointer ? `${f.type} *` : f.type,
      offset,
      size: t.size * count,
      dims: f.dims,
      pointer: f.pointer,
      elementSize: t.size,
    });
    offset += t.size * count;
    align = Math.max(align, t.align);
  }
  return { size: out.length === 0 ? 0 : roundUp(offset, align), align, fields: out };
}
