/**
 * The struct layouts `codegen` computes, checked against the real ARM compiler when it is
 * installed (Debian's gcc-arm-none-eabi): random definitions, and the real Bitkey files, each
 * compiled with `_Static_assert`s on sizeof, _Alignof and offsetof for every struct and field.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CType, layoutPorts, parsePortDefinition, type PortDefinition, type StructLayout } from '../core';

const GCC = ['/usr/bin/arm-none-eabi-gcc', '/usr/local/bin/arm-none-eabi-gcc'].find((p) => existsSync(p));

/** Compiles C for a Cortex-M4 with GCC; throws with the compiler's message when it fails. */
function compile(source: string): void {
  if (!GCC) throw new Error('no compiler');
  execFileSync(GCC, ['-mcpu=cortex-m4', '-mthumb', '-std=gnu11', '-c', '-x', 'c', '-', '-o', '/dev/null'], {
    input: source,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A C file whose compilation asserts every computed size, alignment and offset. */
function assertions(
  defs: readonly PortDefinition[],
  structs: ReadonlyMap<string, StructLayout>,
  declared: ReadonlyMap<string, CType>,
): string {
  const out = ['#include <stdbool.h>', '#include <stddef.h>', '#include <stdint.h>'];
  for (const [name, t] of declared) out.push(`typedef struct { _Alignas(${t.align}) uint8_t b[${t.size}]; } ${name};`);
  for (const d of defs) {
    for (const s of d.structs) {
      out.push(`typedef struct {${s.fields.map((f) => ` ${f.text};`).join('')} } ${s.name};`);
      const l = structs.get(s.name);
      if (!l) continue;
      out.push(`_Static_assert(sizeof(${s.name}) == ${l.size}, "size of ${s.name}");`);
      out.push(`_Static_assert(_Alignof(${s.name}) == ${l.align}, "align of ${s.name}");`);
      for (const f of l.fields)
        out.push(`_Static_assert(offsetof(${s.name}, ${f.name}) == ${f.offset}, "${s.name}.${f.name}");`);
    }
  }
  return out.join('\n');
}

const TYPES = [
  'uint8_t',
  'int8_t',
  'char',
  'bool',
  'uint16_t',
  'int16_t',
  'uint32_t',
  'int32_t',
  'size_t',
  'float',
  'uint64_t',
  'int64_t',
  'double',
];

describe.runIf(GCC !== undefined)('struct layouts against arm-none-eabi-gcc', () => {
  it('random definitions: every size, alignment and offset is what GCC computes', () => {
    const field = fc.record({
      type: fc.constantFrom(...TYPES, 'prev'),
      dims: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(field, { maxLength: 6 }), { minLength: 1, maxLength: 5 }), (structs) => {
        const yaml = ['port_name: p_port', 'messages:', '  structs:'];
        structs.forEach((fields, i) => {
          yaml.push(`    - name: s${i}_t`);
          if (fields.length > 0) yaml.push('      fields:');
          fields.forEach((f, j) => {
            const type = f.type === 'prev' ? (i > 0 ? `s${i - 1}_t` : 'uint8_t') : f.type;
            yaml.push(`        - ${type} f${j}${f.dims.map((d) => `[${d}]`).join('')}`);
          });
        });
        const parsed = parsePortDefinition('p_ipc.yaml', yaml.join('\n'));
        if (!parsed.definition) throw new Error(parsed.issues.map((i) => i.message).join('\n'));
        const { structs: layouts, issues } = layoutPorts([parsed.definition]);
        expect(issues).toEqual([]);
        compile(assertions([parsed.definition], layouts, new Map()));
      }),
      { numRuns: 40, seed: 0xa4e },
    );
  });

  const EXAMPLES = join(process.cwd(), '..', 'shared', 'examples', 'libipc');
  it.runIf(existsSync(EXAMPLES))('the real Bitkey definitions, with their firmware types declared', () => {
    const defs = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('_ipc.yaml'))
      .sort()
      .flatMap((f) => {
        const parsed = parsePortDefinition(f, readFileSync(join(EXAMPLES, f), 'utf8'));
        return parsed.definition ? [parsed.definition] : [];
      });
    const declared = new Map([
      ['fwpb_uxc_auth_status', { size: 4, align: 4 }],
      ['ui_event_payload_t', { size: 64, align: 4 }],
      ['fwpb_semver', { size: 12, align: 4 }],
    ]);
    const { structs, issues } = layoutPorts(defs, declared);
    expect(issues).toEqual([]);
    compile(assertions(defs, structs, declared));
  });
});
