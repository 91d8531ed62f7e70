import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ARM_EABI_TYPES, layoutStruct, parseFieldDecl } from './cLayout';
import { formatIssue, layoutPorts, parsePortDefinition, type PortDefinition } from './definition';
import { layoutJson, portHeader, portTags, typescriptModule } from './generate';

const UI = `port_name: ui_port

includes:
  - ui_events.h

messages:
  protos:
    - name: fwpb_display_cmd
      auth: never
  structs:
    # comments are fine
    - name: ui_show_event_t
      fields:
        - uint32_t event        # ui_event_type_t
    - name: ui_labels_t
      fields:
        - uint8_t count
        - uint16_t flags
        - char labels[3][5]
        - double ratio
        - bool shown
    - name: ui_nothing_t
`;

function definition(file: string, text: string): PortDefinition {
  const parsed = parsePortDefinition(file, text);
  if (!parsed.definition) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  return parsed.definition;
}

describe('libipc port definitions', () => {
  it('numbers tags as libipc does: structs in file order, then protos, then _END', () => {
    const d = definition('ui_ipc.yaml', UI);
    expect(portTags(d).map((t) => `${t.value} ${t.name}`)).toEqual([
      '0 IPC_UI_SHOW_EVENT',
      '1 IPC_UI_LABELS',
      '2 IPC_UI_NOTHING',
      '3 IPC_PROTO_DISPLAY_CMD',
      '4 IPC_UI_PORT_END',
    ]);
  });

  it('lays structs out as GCC does on the 32-bit ARM EABI', () => {
    const d = definition('ui_ipc.yaml', UI);
    const { structs, issues } = layoutPorts([d]);
    expect(issues).toEqual([]);
    // count @0 (1), flags @2 (2), labels @4 (15), ratio @24 (8, aligned 8), shown @32; size 40, align 8
    expect(layoutJson(structs)['ui_labels_t']).toEqual({
      size: 40,
      align: 8,
      fields: [
        { name: 'count', offset: 0, size: 1 },
        { name: 'flags', offset: 2, size: 2 },
        { name: 'labels', offset: 4, size: 15 },
        { name: 'ratio', offset: 24, size: 8 },
        { name: 'shown', offset: 32, size: 1 },
      ],
    });
    expect(layoutJson(structs)['ui_nothing_t']).toEqual({ size: 0, align: 1, fields: [] });
    const pointer = layoutStruct(
      [parseFieldDecl('uint8_t a'), parseFieldDecl('const_t *p')].flatMap((f) => (typeof f === 'string' ? [] : [f])),
      (name) => ARM_EABI_TYPES.get(name),
    );
    expect(pointer).toMatchObject({ size: 8, fields: [{ offset: 0 }, { offset: 4, size: 4 }] });
  });

  it('says what is wrong, by file and line', () => {
    const bad = `port_name: bad_port
messages:
  structs:
    - name: no_suffix
    - name: bad_type_t
      fields:
        - fwpb_thing thing
        - uint8_t x[0]
  protos:
    - name: fwpb_a_cmd
    - name: fwpb_b_cmd
      auth: sometimes
`;
    const parsed = parsePortDefinition('bad_ipc.yaml', bad);
    expect(parsed.issues.map(formatIssue)).toEqual([
      'bad_ipc.yaml:4: struct name "no_suffix" must end in _t (the tag is the name without it)',
      'bad_ipc.yaml:8: bad_type_t: array size "0" of x must be a positive number',
      'bad_ipc.yaml:10: proto fwpb_a_cmd has no auth (one of never, dev, always, after_onboarding, before_onboarding)',
      'bad_ipc.yaml:12: proto fwpb_b_cmd: auth "sometimes" is unknown (one of never, dev, always, after_onboarding, before_onboarding); libipc\'s generator would silently require authentication',
    ]);
    const unknown = definition(
      't_ipc.yaml',
      'port_name: t_port\nmessages:\n  structs:\n    - name: t_t\n      fields:\n        - fwpb_semver version\n',
    );
    expect(layoutPorts([unknown]).issues.map(formatIssue)).toEqual([
      't_ipc.yaml:6: t_t.version: C type "fwpb_semver" is unknown; declare its size and alignment (a project typedef or a nanopb type such as fwpb_…)',
    ]);
    expect(layoutPorts([unknown], new Map([['fwpb_semver', { size: 12, align: 4 }]])).issues).toEqual([]);
    const twice = [definition('a_ipc.yaml', UI), definition('b_ipc.yaml', UI.replace('ui_port', 'other_port'))];
    expect(layoutPorts(twice).issues.map(formatIssue)).toEqual([
      'b_ipc.yaml:8: proto fwpb_display_cmd is already routed to ui_port (a_ipc.yaml): a proto belongs to one port',
    ]);
    expect(parsePortDefinition('x.yaml', 'port_name: [').issues[0]?.message).toMatch(/^not valid YAML/);
  });

  it('writes the C header a firmware compiles, and a TypeScript codec that round-trips', () => {
    const d = definition('ui_ipc.yaml', UI);
    const { structs } = layoutPorts([d]);
    const header = portHeader(d);
    expect(header).toContain('#include "ui_events.h"');
    expect(header).toContain(
      'typedef struct {\n  uint8_t count;\n  uint16_t flags;\n  char labels[3][5];\n  double ratio;\n  bool shown;\n} ui_labels_t;',
    );
    expect(header).toContain('typedef struct {\n} ui_nothing_t;');
    expect(header).toMatch(/IPC_UI_PORT_END,\s+\/\/ 4\n} ipc_ui_port_msg_t;/);
    // The generated module compiles and its codec round-trips a struct.
    const js = ts.transpileModule(typescriptModule([d], structs), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const exports: Record<string, unknown> = {};
    runInNewContext(js, { exports, TextEncoder, DataView, Uint8Array, BigInt });
    const {
      encode,
      decode,
      ui_labels_t: layout,
      UI_PORT_TAGS: tags,
    } = exports as {
      encode: (l: unknown, v: Record<string, unknown>) => Uint8Array;
      decode: (l: unknown, b: Uint8Array) => Record<string, unknown>;
      ui_labels_t: unknown;
      UI_PORT_TAGS: Record<string, number>;
    };
    expect(tags['IPC_PROTO_DISPLAY_CMD']).toBe(3);
    const bytes = encode(layout, {
      count: 3,
      flags: 0xbeef,
      ratio: 0.5,
      shown: true,
      labels: new TextEncoder().encode('abc'),
    });
    expect(bytes.length).toBe(40);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([3, 0, 0xef, 0xbe]);
    expect(decode(layout, bytes)).toMatchObject({ count: 3, flags: 0xbeef, ratio: 0.5, shown: true });
  });
});

// The real Bitkey definition files, read where the project keeps its references (not copied in).
const EXAMPLES = join(process.cwd(), '..', 'shared', 'examples', 'libipc');
describe.runIf(existsSync(EXAMPLES))('the real libipc definition files', () => {
  it('all parse; each port numbers its tags, and the nanopb and project types are asked for', () => {
    const files = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('_ipc.yaml'))
      .sort();
    expect(files.length).toBe(6);
    const defs = files.map((f) => definition(f, readFileSync(join(EXAMPLES, f), 'utf8')));
    const auth = defs.find((d) => d.portName === 'auth_port');
    if (!auth) throw new Error('auth_port');
    const tags = portTags(auth);
    expect(tags[0]?.name).toBe('IPC_AUTH_SET_TIMESTAMP');
    expect(tags.find((t) => t.kind === 'proto')?.value).toBe(auth.structs.length);
    const unknown = layoutPorts(defs).issues.map((i) => /C type "([^"]+)"/.exec(i.message)?.[1]);
    expect(new Set(unknown)).toEqual(new Set(['fwpb_uxc_auth_status', 'ui_event_payload_t', 'fwpb_semver']));
    const known = layoutPorts(
      defs,
      new Map([
        ['fwpb_uxc_auth_status', { size: 4, align: 4 }],
        ['ui_event_payload_t', { size: 64, align: 4 }],
        ['fwpb_semver', { size: 12, align: 4 }],
      ]),
    );
    expect(known.issues).toEqual([]);
    expect(layoutJson(known.structs)['auth_enrolled_fingerprints_response_t']).toEqual({
      size: 100,
      align: 1,
      fields: [
        { name: 'count', offset: 0, size: 1 },
        { name: 'indices', offset: 1, size: 3 },
        { name: 'labels', offset: 4, size: 96 },
      ],
    });
  });
});
