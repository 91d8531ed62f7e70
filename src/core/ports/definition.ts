/**
 * libipc port definitions (`*_ipc.yaml`, reference libipc-and-channels.md §1.6), read and checked
 * with errors that name the file and the line:
 *
 *   port_name: sysinfo_port
 *   includes: [ui_events.h]
 *   messages:
 *     structs: [{ name: foo_t, fields: ["uint8_t a", "char label[32]"] }]
 *     protos:  [{ name: fwpb_foo_cmd, auth: never|dev|always|after_onboarding|before_onboarding }]
 *
 * Checks: struct names end in `_t` (the generator chops them for the tag); every proto has a known
 * `auth` (the real generator raises on a missing one and silently ignores an unknown one: we say
 * both); a proto belongs to one port only; every field's C type is known — the ARM EABI's, a
 * struct of the same definitions, or one declared with its size and alignment.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ARM_EABI_TYPES, type CType, type FieldDecl, layoutStruct, parseFieldDecl, type StructLayout } from './cLayout';

export const AUTH_VALUES = ['never', 'dev', 'always', 'after_onboarding', 'before_onboarding'] as const;
export type Auth = (typeof AUTH_VALUES)[number];

export interface StructDef {
  readonly name: string;
  readonly fields: readonly (FieldDecl & { readonly text: string; readonly line: number })[];
  readonly line: number;
}

export interface ProtoDef {
  readonly name: string;
  readonly auth: Auth;
  readonly line: number;
}

export interface PortDefinition {
  readonly file: string;
  readonly portName: string;
  readonly includes: readonly string[];
  readonly structs: readonly StructDef[];
  readonly protos: readonly ProtoDef[];
}

/** A problem in a definition file: `file:line: message`. */
export interface DefinitionIssue {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export const formatIssue = (i: DefinitionIssue): string => `${i.file}:${i.line}: ${i.message}`;

const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads one `*_ipc.yaml` file; its problems, each with its line, when it has any. */
export function parsePortDefinition(
  file: string,
  text: string,
): { definition: PortDefinition | null; issues: DefinitionIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const issues: DefinitionIssue[] = [];
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const add = (node: Node | null | undefined, message: string) => issues.push({ file, line: lineOf(node), message });
  for (const e of doc.errors) {
    issues.push({
      file,
      line: e.linePos?.[0]?.line ?? 1,
      message: `not valid YAML: ${e.message.split('\n')[0] ?? ''}`,
    });
  }
  if (issues.length > 0) return { definition: null, issues };
  const root = doc.contents;
  if (!isMap(root)) {
    add(root, 'a port definition is a mapping with port_name and messages');
    return { definition: null, issues };
  }
  const get = (map: Node | null | undefined, key: string): Node | null => {
    if (!isMap(map)) return null;
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    return (pair?.value as Node | null | undefined) ?? null;
  };
  const scalar = (node: Node | null): string | null =>
    isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : null;

  const portNode = get(root, 'port_name');
  const portName = scalar(portNode);
  if (portName === null) add(root, 'port_name is missing');
  else if (!C_IDENT.test(portName)) add(portNode, `port_name "${portName}" is not a C identifier`);

  const includes: string[] = [];
  const includesNode = get(root, 'includes');
  if (includesNode !== null) {
    if (!isSeq(includesNode)) add(includesNode, 'includes is a list of header names');
    else
      for (const item of includesNode.items) {
        const v = scalar(item as Node);
        if (v === null) add(item as Node, 'an include is a header name');
        else includes.push(v);
      }
  }

  const messages = get(root, 'messages');
  const structs: StructDef[] = [];
  const protos: ProtoDef[] = [];
  const list = (key: string): Node[] => {
    const node = get(messages, key);
    if (node === null) return [];
    if (!isSeq(node)) {
      add(node, `messages.${key} is a list`);
      return [];
    }
    return node.items as Node[];
  };
  for (const item of list('structs')) {
    const nameNode = get(item, 'name');
    const name = scalar(nameNode);
    if (name === null) {
      add(item, 'a struct needs a name');
      continue;
    }
    if (!C_IDENT.test(name)) add(nameNode, `struct name "${name}" is not a C identifier`);
    else if (!name.endsWith('_t'))
      add(nameNode, `struct name "${name}" must end in _t (the tag is the name without it)`);
    const fields: (FieldDecl & { text: string; line: number })[] = [];
    const fieldsNode = get(item, 'fields');
    if (fieldsNode !== null && !isSeq(fieldsNode)) add(fieldsNode, `fields of ${name} is a list of C declarations`);
    for (const f of isSeq(fieldsNode) ? (fieldsNode.items as Node[]) : []) {
      const text = scalar(f);
      const decl = text === null ? 'a field is a C declaration such as "uint8_t index"' : parseFieldDecl(text);
      if (typeof decl === 'string') add(f, `${name}: ${decl}`);
      else if (fields.some((x) => x.name === decl.name)) add(f, `${name}: field ${decl.name} is declared twice`);
      else fields.push({ ...decl, text: text ?? '', line: lineOf(f) });
    }
    structs.push({ name, fields, line: lineOf(item) });
  }
  for (const item of list('protos')) {
    const nameNode = get(item, 'name');
    const name = scalar(nameNode);
    if (name === null) {
      add(item, 'a proto needs a name');
      continue;
    }
    if (!C_IDENT.test(name) || !name.includes('_'))
      add(nameNode, `proto name "${name}" is not a nanopb message name (fwpb_…)`);
    const authNode = get(item, 'auth');
    const auth = scalar(authNode);
    if (auth === null) add(item, `proto ${name} has no auth (one of ${AUTH_VALUES.join(', ')})`);
    else if (!(AUTH_VALUES as readonly string[]).includes(auth)) {
      add(
        authNode,
        `proto ${name}: auth "${auth}" is unknown (one of ${AUTH_VALUES.join(', ')}); libipc's generator would silently require authentication`,
      );
    } else protos.push({ name, auth: auth as Auth, line: lineOf(item) });
  }
  for (const names of [structs.map((s) => s.name), protos.map((p) => p.name)]) {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) issues.push({ file, line: 1, message: `${n} is defined twice` });
      seen.add(n);
    }
  }
  if (portName === null || issues.length > 0) return { definition: null, issues };
  return { definition: { file, portName, includes, structs, protos }, issues };
}

export interface PortLayouts {
  /** By struct name. */
  readonly structs: ReadonlyMap<string, StructLayout>;
  readonly issues: readonly DefinitionIssue[];
}

/**
 * Lays out every struct of every definition on the ARM EABI, and checks what needs all the files:
 * a proto on two ports, two ports with one name, unknown C types (`declared` gives the size and
 * alignment of the types only the firmware knows).
 */
export function layoutPorts(
  definitions: readonly PortDefinition[],
  declared: ReadonlyMap<string, CType> = new Map(),
): PortLayouts {
  const issues: DefinitionIssue[] = [];
  const protoPort = new Map<string, PortDefinition>();
  const portFile = new Map<string, string>();
  for (const d of definitions) {
    const other = portFile.get(d.portName);
    if (other !== undefined)
      issues.push({ file: d.file, line: 1, message: `port ${d.portName} is also defined in ${other}` });
    portFile.set(d.portName, d.file);
    for (const p of d.protos) {
      const first = protoPort.get(p.name);
      if (first) {
        issues.push({
          file: d.file,
          line: p.line,
          message: `proto ${p.name} is already routed to ${first.portName} (${first.file}): a proto belongs to one port`,
        });
      } else protoPort.set(p.name, d);
    }
  }
  const structs = new Map<string, StructLayout>();
  const types = (name: string): CType | undefined =>
    ARM_EABI_TYPES.get(name) ?? declared.get(name) ?? structs.get(name);
  for (const d of definitions) {
    for (const s of d.structs) {
      const layout = layoutStruct(s.fields, types);
      if ('unknown' in layout) {
        const field = s.fields.find((f) => f.type === layout.unknown);
        issues.push({
          file: d.file,
          line: field?.line ?? s.line,
          message: `${s.name}.${field?.name ?? '?'}: C type "${layout.unknown}" is unknown; declare its size and alignment (a project typedef or a nanopb type such as fwpb_…)`,
        });
        continue;
      }
      structs.set(s.name, layout);
    }
  }
  return { structs, issues };
}
