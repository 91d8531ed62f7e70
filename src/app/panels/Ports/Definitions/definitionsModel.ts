/**
 * The libipc definitions editor's model, apart from React: the `*_ipc.yaml` files and declared
 * types being edited (a draft), checked with the core's own functions (`parsePortDefinition`,
 * `layoutPorts`), the generated outputs, and the draft written back into a scenario — accepted
 * only when `parseScenario` accepts the whole scenario.
 */
import {
  ARM_EABI_TYPES,
  type ConfigIssue,
  type DefinitionIssue,
  layoutJson,
  layoutPorts,
  parsePortDefinition,
  parseScenario,
  type PortDefinition,
  portHeader,
  portTags,
  type ScenarioInput,
  type StructLayout,
  type Tag,
  typescriptModule,
} from '../../../../core';

export interface DefinitionFile {
  readonly file: string;
  readonly text: string;
}

/** A row of the declared-types editor, as typed (numbers are checked, not coerced). */
export interface TypeRow {
  readonly name: string;
  readonly size: string;
  readonly align: string;
}

export interface Draft {
  readonly files: readonly DefinitionFile[];
  readonly types: readonly TypeRow[];
}

/** A playground file for scenarios without a `libipc` section, written in the libipc schema. */
export const TEMPLATE_FILE: DefinitionFile = {
  file: 'example_ipc.yaml',
  text: `# libipc generates ipc_messages_example_port.h from this file.
port_name: example_port
messages:
  structs:                      # tags first, in this order
    - name: example_led_set_t   # a struct name ends in _t
      fields:
        - uint8_t led
        - uint8_t brightness_percent
        - uint16_t fade_ms
    - name: example_log_line_t
      fields:
        - uint32_t sequence
        - char text[32]
    - name: example_power_off_t # no fields: an empty struct
  protos:                       # then the protos
    - name: fwpb_example_status_cmd
      auth: never
    - name: fwpb_example_reset_cmd
      auth: always
`,
};

/** The draft a scenario starts the editor with; the template when it has no libipc section. */
export function draftFromScenario(scenario: ScenarioInput): { readonly draft: Draft; readonly fromScenario: boolean } {
  const libipc = scenario.libipc;
  if (!libipc) return { draft: { files: [TEMPLATE_FILE], types: [] }, fromScenario: false };
  return {
    draft: {
      files: libipc.definitions.map((d) => ({ file: d.file, text: d.text })),
      types: Object.entries(libipc.types ?? {}).map(([name, t]) => ({
        name,
        size: String(t.size),
        align: String(t.align),
      })),
    },
    fromScenario: true,
  };
}

/** Whether the draft differs from what the scenario holds. */
export function draftChanged(draft: Draft, scenario: ScenarioInput): boolean {
  const base = draftFromScenario(scenario).draft;
  return JSON.stringify(base) !== JSON.stringify(draft);
}

// ---------------------------------------------------------------------------------------------
// Declared types

const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The declared types as the core takes them, and what is wrong with the rows that are not. */
export function declaredTypes(rows: readonly TypeRow[]): {
  readonly types: ReadonlyMap<string, { readonly size: number; readonly align: number }>;
  readonly issues: readonly string[];
} {
  const types = new Map<string, { size: number; align: number }>();
  const issues: string[] = [];
  rows.forEach((row, i) => {
    const name = row.name.trim();
    const at = `type ${i + 1}${name === '' ? '' : ` (${name})`}`;
    const size = /^\d+$/.test(row.size.trim()) ? Number(row.size) : NaN;
    const align = /^\d+$/.test(row.align.trim()) ? Number(row.align) : NaN;
    if (name === '') issues.push(`${at}: needs a name`);
    else if (!TYPE_NAME.test(name)) issues.push(`${at}: "${name}" is not a C type name`);
    else if (ARM_EABI_TYPES.has(name)) issues.push(`${at}: ${name} is a C type already known`);
    else if (types.has(name)) issues.push(`${at}: ${name} is declared twice`);
    else if (!(size >= 0 && size <= 65536)) issues.push(`${at}: size is a whole number of bytes, 0 to 65536`);
    else if (![1, 2, 4, 8].includes(align)) issues.push(`${at}: align is 1, 2, 4 or 8`);
    else if (size % align !== 0) issues.push(`${at}: size ${size} is not a multiple of its align ${align}`);
    else types.set(name, { size, align });
  });
  return { types, issues };
}

// ---------------------------------------------------------------------------------------------
// Checking

export interface FileCheck {
  readonly file: string;
  /** Null when the file does not parse as a port definition. */
  readonly definition: PortDefinition | null;
  /** This file's issues, by line. */
  readonly issues: readonly DefinitionIssue[];
}

export interface DraftCheck {
  readonly files: readonly FileCheck[];
  /** Every definition that parses, in file order. */
  readonly definitions: readonly PortDefinition[];
  readonly structs: ReadonlyMap<string, StructLayout>;
  readonly typeIssues: readonly string[];
  /** C types fields use that nothing declares (offered as rows to declare). */
  readonly unknownTypes: readonly string[];
  readonly issueCount: number;
  /** By file name: the last version of it that parsed, shown while the file is broken. */
  readonly lastGood: ReadonlyMap<string, PortView>;
}

/** A port as the tags table and the layouts show it. */
export interface PortView {
  readonly definition: PortDefinition;
  /** The layouts of its structs (those whose types are all known). */
  readonly structs: ReadonlyMap<string, StructLayout>;
  /** From before the last edit: the file has problems now. */
  readonly stale: boolean;
}

const byLine = (a: DefinitionIssue, b: DefinitionIssue): number => a.line - b.line;

/** Checks every file and the types together, as `planArea` does for a scenario. */
export function checkDraft(draft: Draft, previous?: DraftCheck): DraftCheck {
  const parsed = draft.files.map((f) => ({ file: f.file, ...parsePortDefinition(f.file, f.text) }));
  const definitions = parsed.flatMap((p) => (p.definition ? [p.definition] : []));
  const declared = declaredTypes(draft.types);
  const laid = layoutPorts(definitions, declared.types);
  const names = new Set(draft.files.map((f) => f.file));
  const files: FileCheck[] = parsed.map((p) => ({
    file: p.file,
    definition: p.definition,
    issues: [...p.issues, ...laid.issues.filter((i) => i.file === p.file)].sort(byLine),
  }));
  // An issue naming no file of the draft would otherwise go unseen: it goes to the first file.
  const orphans = laid.issues.filter((i) => !names.has(i.file));
  if (orphans.length > 0 && files[0]) files[0] = { ...files[0], issues: [...files[0].issues, ...orphans] };
  const lastGood = new Map(previous?.lastGood ?? []);
  for (const key of lastGood.keys()) if (!names.has(key)) lastGood.delete(key);
  for (const p of parsed) {
    if (!p.definition) continue;
    const own = new Map<string, StructLayout>();
    for (const st of p.definition.structs) {
      const layout = laid.structs.get(st.name);
      if (layout) own.set(st.name, layout);
    }
    lastGood.set(p.file, { definition: p.definition, structs: own, stale: true });
  }
  const known = (t: string) => ARM_EABI_TYPES.has(t) || declared.types.has(t) || laid.structs.has(t);
  const structNames = new Set(definitions.flatMap((d) => d.structs.map((s) => s.name)));
  const unknownTypes = [
    ...new Set(
      definitions.flatMap((d) =>
        d.structs.flatMap((s) =>
          s.fields.filter((f) => !f.pointer && !known(f.type) && !structNames.has(f.type)).map((f) => f.type),
        ),
      ),
    ),
  ];
  return {
    files,
    definitions,
    structs: laid.structs,
    typeIssues: declared.issues,
    unknownTypes,
    issueCount: files.reduce((n, f) => n + f.issues.length, 0) + declared.issues.length,
    lastGood,
  };
}

/** The issues of one file, by line (none for a file the draft does not hold). */
export function issuesOf(check: DraftCheck, file: string): readonly DefinitionIssue[] {
  return check.files.find((f) => f.file === file)?.issues ?? [];
}

// ---------------------------------------------------------------------------------------------
// Generated output

export type OutputKind = 'header' | 'typescript' | 'layout';

export interface Output {
  /** The name it downloads as. */
  readonly name: string;
  readonly text: string;
  /** Why it may not be what the current text gives (a file left out, an older version), if so. */
  readonly note: string | null;
}

export const headerName = (portName: string): string => `ipc_messages_${portName}.h`;

/** One of the generated outputs, or why there is none. */
export function generatedOutput(check: DraftCheck, file: string, kind: OutputKind): Output | string {
  const broken = check.files.filter((f) => f.definition === null).map((f) => f.file);
  const leftOut = broken.length === 0 ? null : `Leaves out ${broken.join(', ')}: fix its problems to include it.`;
  switch (kind) {
    case 'header': {
      const current = check.files.find((f) => f.file === file);
      if (!current) return `No file ${file}.`;
      if (current.definition)
        return { name: headerName(current.definition.portName), text: portHeader(current.definition), note: null };
      const last = check.lastGood.get(file)?.definition;
      if (!last) return `${file} has problems: fix them to generate its header.`;
      return {
        name: headerName(last.portName),
        text: portHeader(last),
        note: `From ${file} before the last edit: fix its problems to update it.`,
      };
    }
    case 'typescript':
      return { name: 'ipc_ports.ts', text: typescriptModule(check.definitions, check.structs), note: leftOut };
    case 'layout':
      return { name: 'layout.json', text: `${JSON.stringify(layoutJson(check.structs), null, 2)}\n`, note: leftOut };
  }
}

/** The port a file defines: as it is now, or as it was before the edit that broke it; null if never. */
export function portOf(check: DraftCheck, file: string): PortView | null {
  const definition = check.files.find((f) => f.file === file)?.definition;
  if (definition) return { definition, structs: check.structs, stale: false };
  return check.lastGood.get(file) ?? null;
}

/** The tags of a port, as libipc numbers them: structs, then protos, then `IPC_<PORT>_END`. */
export function tagTable(definition: PortDefinition): readonly Tag[] {
  return portTags(definition);
}

export interface StructRow {
  readonly name: string;
  /** Null when a field's type is unknown. */
  readonly layout: StructLayout | null;
}

/** Each struct of a port with its layout on the ARM EABI. */
export function structRows(definition: PortDefinition, structs: ReadonlyMap<string, StructLayout>): StructRow[] {
  return definition.structs.map((s) => ({ name: s.name, layout: structs.get(s.name) ?? null }));
}

// ---------------------------------------------------------------------------------------------
// Files

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*ipc\.yaml$/;

/** Why a file name will not do, or null. libipc's generator globs `**\/*ipc.yaml`. */
export function fileNameProblem(name: string, others: readonly string[]): string | null {
  if (name.trim() === '') return 'A file needs a name.';
  if (name.length > 200) return 'At most 200 characters.';
  if (!FILE_NAME.test(name))
    return `"${name}" is not a definition file name: libipc reads files named *ipc.yaml (letters, digits, _ . -), such as foo_ipc.yaml.`;
  if (others.includes(name)) return `There is already a file ${name}.`;
  return null;
}

/** A free name for a new file: `new_ipc.yaml`, `new2_ipc.yaml`, … */
export function newFileName(existing: readonly string[]): string {
  for (let n = 1; ; n++) {
    const name = `new${n === 1 ? '' : n}_ipc.yaml`;
    if (!existing.includes(name)) return name;
  }
}

/** The text of a new file: a port named after the file, with one struct. */
export function newFileText(file: string): string {
  const stem = file.replace(/_?ipc\.yaml$/, '').replace(/[^A-Za-z0-9_]/g, '_') || 'new';
  const base = /^[A-Za-z_]/.test(stem) ? stem : `p_${stem}`;
  return `port_name: ${base}_port\nmessages:\n  structs:\n    - name: ${base}_hello_t\n      fields:\n        - uint32_t sequence\n`;
}

// ---------------------------------------------------------------------------------------------
// Apply

export type ApplyResult =
  | { readonly ok: true; readonly scenario: ScenarioInput }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * The scenario with the draft as its `libipc` definitions and types, when `parseScenario` accepts
 * it (the whole scenario's checks: definitions, tasks' ports and messages, the area's size);
 * otherwise every reason, and the scenario stays as it was.
 */
export function applyDraft(scenario: ScenarioInput, draft: Draft): ApplyResult {
  const libipc = scenario.libipc;
  if (!libipc)
    return {
      ok: false,
      issues: [
        { path: 'libipc', message: 'this scenario has no libipc section: a scenario needs libipc tasks to run ports' },
      ],
    };
  const declared = declaredTypes(draft.types);
  if (declared.issues.length > 0)
    return { ok: false, issues: declared.issues.map((message) => ({ path: 'libipc.types', message })) };
  const next: ScenarioInput = {
    ...scenario,
    libipc: {
      ...libipc,
      definitions: draft.files.map((f) => ({ file: f.file, text: f.text })),
      types: Object.fromEntries([...declared.types].map(([name, t]) => [name, { size: t.size, align: t.align }])),
    },
  };
  const parsed = parseScenario(next);
  return parsed.ok ? { ok: true, scenario: next } : { ok: false, issues: parsed.error };
}

// ---------------------------------------------------------------------------------------------
// Text positions

/** Offset of the first non-blank character of line `line` (from 1) in `text`. */
export function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  return at;
}

/** Number of lines of `text` (an empty text has one). */
export const lineCount = (text: string): number => text.split('\n').length;
