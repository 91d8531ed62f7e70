/**
 * `npm run codegen -- <*_ipc.yaml…> --out <dir> [--types types.json]`: the libipc generator's
 * output for port definition files — `ipc_messages_<port>.h` per port, `layout.json` (every
 * struct's size, alignment and field offsets on the 32-bit ARM EABI) and `ipc_messages.ts`
 * (tags and codecs). `--types` declares the C types only the firmware knows, as
 * `{ "fwpb_semver": { "size": 12, "align": 4 } }`. Problems are printed as `file:line: message`;
 * the exit code is 1 when there is any (nothing is written), 2 on bad options.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  type CType,
  type DefinitionIssue,
  formatIssue,
  layoutJson,
  layoutPorts,
  parsePortDefinition,
  type PortDefinition,
  portHeader,
  typescriptModule,
} from '../core';

export interface CodegenIo {
  readonly out: (line: string) => void;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
  readonly mkdir: (path: string) => void;
}

export const nodeCodegenIo: CodegenIo = {
  out: (line) => console.log(line),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
  mkdir: (path) => mkdirSync(path, { recursive: true }),
};

function readTypes(text: string): Map<string, CType> | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'the types file is not JSON';
  }
  if (typeof json !== 'object' || json === null) return 'the types file maps type names to { size, align }';
  const out = new Map<string, CType>();
  for (const [name, v] of Object.entries(json)) {
    const t = v as { size?: unknown; align?: unknown };
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
    if (!ok(t.size) || !ok(t.align) || t.align === 0 || (t.align & (t.align - 1)) !== 0) {
      return `type ${name} needs an integer size and a power-of-two align`;
    }
    out.set(name, { size: t.size, align: t.align });
  }
  return out;
}

export function runCodegen(argv: readonly string[], io: CodegenIo): number {
  const files: string[] = [];
  let out: string | undefined;
  let typesFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--out') out = argv[++i];
    else if (a === '--types') typesFile = argv[++i];
    else if (a.startsWith('--')) {
      io.out(`error: unknown option ${a}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0 || out === undefined) {
    io.out('usage: npm run codegen -- <*_ipc.yaml…> --out <dir> [--types types.json]');
    return 2;
  }
  let declared = new Map<string, CType>();
  if (typesFile !== undefined) {
    let text: string;
    try {
      text = io.readFile(typesFile);
    } catch (error) {
      io.out(`error: cannot read ${typesFile}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    const types = readTypes(text);
    if (typeof types === 'string') {
      io.out(`error: ${typesFile}: ${types}`);
      return 2;
    }
    declared = types;
  }
  const issues: DefinitionIssue[] = [];
  const definitions: PortDefinition[] = [];
  for (const file of [...files].sort()) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (error) {
      issues.push({ file, line: 1, message: `cannot read: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const parsed = parsePortDefinition(basename(file), text);
    issues.push(...parsed.issues);
    if (parsed.definition) definitions.push(parsed.definition);
  }
  const { structs, issues: layoutIssues } = layoutPorts(definitions, declared);
  issues.push(...layoutIssues);
  if (issues.length > 0) {
    for (const i of issues) io.out(formatIssue(i));
    return 1;
  }
  io.mkdir(out);
  for (const d of definitions) io.writeFile(join(out, `ipc_messages_${d.portName}.h`), portHeader(d));
  io.writeFile(join(out, 'layout.json'), `${JSON.stringify(layoutJson(structs), null, 2)}\n`);
  io.writeFile(join(out, 'ipc_messages.ts'), typescriptModule(definitions, structs));
  io.out(`${definitions.length} ports, ${structs.size} structs → ${out}`);
  return 0;
}
