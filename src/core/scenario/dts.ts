/**
 * The subset of devicetree source (DTS) that reserved-memory and IPC nodes use: nodes with labels
 * and unit addresses, overrides (`label: &node { … }`), properties with strings, cell lists
 * (`<0x20070000 0x800>`, `<&label>`, `<&label 16>`), byte strings, several values separated by
 * commas, and comments; `/delete-property/` and `/delete-node/` are skipped. Parse errors name
 * the line. Plus the small readers of property values the devicetree input uses.
 */
import { fail, ok, type Outcome } from '../outcome';

export interface DtNode {
  readonly name: string;
  readonly label: string | null;
  readonly unitAddress: string | null;
  readonly props: ReadonlyMap<string, DtValue[]>;
  readonly children: readonly DtNode[];
}

/** One comma-separated part of a property's value. */
export type DtValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'cells'; readonly cells: readonly (number | { readonly ref: string })[] };

/** Parses DTS text into its top-level nodes (a `/ { … }` root is read as its children). */
export function parseDts(text: string): Outcome<DtNode[], string> {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  let at = 0;
  const skip = () => {
    while (at < src.length && /\s/.test(src[at] ?? '')) at++;
  };
  const error = (what: string) => {
    const line = src.slice(0, at).split('\n').length;
    return `line ${line}: ${what}`;
  };
  const word = (): string => {
    skip();
    const m = /^[A-Za-z0-9_,.+\-#@/&]+/.exec(src.slice(at));
    if (!m) return '';
    at += m[0].length;
    return m[0];
  };
  const value = (): DtValue | string => {
    skip();
    if (src[at] === '"') {
      const end = src.indexOf('"', at + 1);
      if (end < 0) return error('a string is not closed');
      const v = src.slice(at + 1, end);
      at = end + 1;
      return { kind: 'string', value: v };
    }
    if (src[at] === '<') {
      const end = src.indexOf('>', at);
      if (end < 0) return error('a cell list is not closed');
      const cells = src
        .slice(at + 1, end)
        .trim()
        .split(/\s+/)
        .filter((c) => c !== '')
        .map((c) => (c.startsWith('&') ? { ref: c.slice(1) } : Number(c)));
      at = end + 1;
      if (cells.some((c) => typeof c === 'number' && !Number.isFinite(c))) return error('a cell is not a number');
      return { kind: 'cells', cells };
    }
    if (src[at] === '[') {
      // A byte string (`[00 11 22]`): kept as cells of bytes.
      const end = src.indexOf(']', at);
      if (end < 0) return error('a byte string is not closed');
      const bytes = src
        .slice(at + 1, end)
        .trim()
        .split(/\s+/)
        .filter((c) => c !== '')
        .map((c) => Number.parseInt(c, 16));
      at = end + 1;
      return { kind: 'cells', cells: bytes };
    }
    return error(`a value was expected, not "${src.slice(at, at + 12)}"`);
  };
  /** `/delete-property/ name;` and `/delete-node/ name;`: skipped (they remove what is not pasted). */
  const skipDirective = (): boolean => {
    skip();
    const m = /^\/delete-(property|node)\/\s*[^;]*;/.exec(src.slice(at));
    if (!m) return false;
    at += m[0].length;
    return true;
  };
  const node = (name: string, label: string | null): DtNode | string => {
    const [base = name, unit = null] = name.split('@');
    const props = new Map<string, DtValue[]>();
    const children: DtNode[] = [];
    for (;;) {
      skip();
      if (at >= src.length) return error(`node ${name} is not closed`);
      if (src[at] === '}') {
        at++;
        skip();
        if (src[at] === ';') at++;
        return { name: base, label, unitAddress: unit, props, children };
      }
      if (skipDirective()) continue;
      let first = word();
      if (first === '') return error(`unexpected "${src.slice(at, at + 12)}"`);
      let childLabel: string | null = null;
      skip();
      if (src[at] === ':') {
        at++;
        childLabel = first;
        first = word();
      }
      skip();
      const c = src[at];
      if (c === '{') {
        at++;
        const child = node(first, childLabel);
        if (typeof child === 'string') return child;
        children.push(child);
      } else if (c === '=') {
        at++;
        const values: DtValue[] = [];
        for (;;) {
          const v = value();
          if (typeof v === 'string') return v;
          values.push(v);
          skip();
          if (src[at] === ',') {
            at++;
            continue;
          }
          break;
        }
        skip();
        if (src[at] !== ';') return error(`";" expected after ${first}`);
        at++;
        props.set(first, values);
      } else if (c === ';') {
        at++;
        props.set(first, []);
      } else {
        return error(`unexpected "${src.slice(at, at + 12)}" after ${first}`);
      }
    }
  };
  const top: DtNode[] = [];
  for (;;) {
    skip();
    if (at >= src.length) break;
    if (src.startsWith('/dts-v1/;', at)) {
      at += 9;
      continue;
    }
    if (skipDirective()) continue;
    let first = word();
    if (first === '') return fail(error(`unexpected "${src.slice(at, at + 12)}"`));
    let label: string | null = null;
    skip();
    if (src[at] === ':') {
      at++;
      label = first;
      first = word();
      skip();
    }
    if (src[at] !== '{') return fail(error(`"{" expected after ${first}`));
    at++;
    const n = node(first, label);
    if (typeof n === 'string') return fail(n);
    if (first === '/') top.push(...n.children);
    else if (first.startsWith('&')) {
      // An override of a node defined elsewhere (`ipc0: &cpuapp_cpurad_ipc { … }`): its
      // properties are what the overlay says of it, under its label.
      top.push({ ...n, name: first.slice(1), label: label ?? first.slice(1) });
    } else top.push(n);
  }
  return ok(top);
}

export function* walk(nodes: readonly DtNode[]): Generator<DtNode> {
  for (const n of nodes) {
    yield n;
    yield* walk(n.children);
  }
}

export const str = (n: DtNode, prop: string): string | undefined => {
  const v = n.props.get(prop)?.[0];
  return v?.kind === 'string' ? v.value : undefined;
};
export const strs = (n: DtNode, prop: string): string[] =>
  (n.props.get(prop) ?? []).flatMap((v) => (v.kind === 'string' ? [v.value] : []));
export const cells = (n: DtNode, prop: string): (number | { readonly ref: string })[] =>
  (n.props.get(prop) ?? []).flatMap((v) => (v.kind === 'cells' ? [...v.cells] : []));
export const num = (n: DtNode, prop: string): number | undefined => {
  const c = cells(n, prop)[0];
  return typeof c === 'number' ? c : undefined;
};
export const ref = (n: DtNode, prop: string): string | undefined => {
  const c = cells(n, prop)[0];
  return typeof c === 'object' ? c.ref : undefined;
};
