/**
 * Where libipc's state lives in shared memory, planned the same way by every domain from the
 * scenario. On a FreeRTOS device all of it is task RAM on one core; here tasks of several cores
 * may share a port, so the state sits in a region every core maps, uncached (an MPU region marked
 * non-cacheable, as a firmware does for cross-core structures). Little-endian u32 words:
 *
 *   proto block (PROTO_BYTES):
 *     +0 lock  +4 cmdSeq (g_cmd_seq)  +8 rspSeq  +12 rspLen  +16 ready (the WCA semaphore)
 *     +20 lastSeq (next_cmd_seq)  +24 waitMask  +28 reserved  +32 response buffer[256]
 *   per port, in port index order (definition files sorted by name, as libipc's glob sorts):
 *     header (PORT_HEADER): +0 lock  +4 head (items received, free-running)  +8 tail (items
 *       sent, free-running)  +12 depth  +16 waitMask (bit d: a task of domain d waits)
 *       +20 registered (`ipc_register_port` was called: the queue is not NULL)  +24, +28 reserved
 *     items: depth × ipc_ref_t { u32 tag; u32 length; u32 object }   — 12 bytes, as on the device
 *     ids:   depth × u64 message id of the item (the debugger's shadow; no firmware has it)
 *   mempool, per region: count × u32 state (0 free, 1 allocated), then count entries of `size`
 *     bytes (rounded up to 4)
 *   statics: one object per sender task (its `static` message), rounded up to 4
 */
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';
import type { Region } from '../shm/MemoryMap';
import type { FieldLayout, StructLayout } from './cLayout';
import type { FieldValue } from './structCodec';
import { type DefinitionIssue, formatIssue, layoutPorts, parsePortDefinition, type PortDefinition } from './definition';
import { codecKind, portTags, type Tag } from './generate';
import { DEFAULT_PORT_DEPTH, type LibipcSpec } from './schema';

export const PROTO_BYTES = 32 + 256;
export const PROTO_RESPONSE_MAX = 256;
export const PORT_HEADER = 32;
export const REF_BYTES = 12;

export const P_LOCK = 0;
export const P_HEAD = 4;
export const P_TAIL = 8;
export const P_DEPTH = 12;
export const P_WAIT = 16;
export const P_REGISTERED = 20;

export const R_LOCK = 0;
export const R_CMD_SEQ = 4;
export const R_RSP_SEQ = 8;
export const R_RSP_LEN = 12;
export const R_READY = 16;
export const R_LAST_SEQ = 20;
export const R_WAIT = 24;
export const R_BUFFER = 32;

export interface PortPlan {
  readonly name: string;
  /** `ipc_port_t`: its index among all ports. */
  readonly index: number;
  readonly depth: number;
  readonly definition: PortDefinition;
  readonly tags: readonly Tag[];
  /** Offsets in shared memory. */
  readonly header: number;
  readonly items: number;
  readonly ids: number;
}

export interface PoolPlan {
  readonly name: string;
  readonly size: number;
  readonly count: number;
  /** Entry stride (size rounded up to 4). */
  readonly stride: number;
  readonly states: number;
  readonly entries: number;
}

export interface AreaPlan {
  readonly region: Region;
  readonly proto: number;
  readonly ports: readonly PortPlan[];
  readonly pool: readonly PoolPlan[];
  /** By task name: the task's static message object (offset in shared memory, size). */
  readonly statics: ReadonlyMap<string, { readonly offset: number; readonly size: number }>;
  readonly structs: ReadonlyMap<string, StructLayout>;
  /** Proto name → the port it is routed to, and its tag there. */
  readonly protos: ReadonlyMap<string, { readonly port: PortPlan; readonly tag: number }>;
  /** Domain names by bit index in the wait masks (the scenario's domain order). */
  readonly domains: readonly string[];
  /** Bytes used from the region's start. */
  readonly used: number;
}

const round4 = (n: number): number => Math.ceil(n / 4) * 4;

/** The message struct's tag on a port, or the reason it has none. */
export function structTag(port: PortPlan, struct: string): Tag | string {
  const tag = port.tags.find((t) => t.kind === 'struct' && t.message === struct);
  return tag ?? `${struct} is not a message of ${port.name} (${port.definition.file})`;
}

/** Plans the area and checks every name the tasks use; issues name the scenario path. */
export function planArea(
  spec: LibipcSpec,
  region: Region | undefined,
  domains: readonly string[],
): Outcome<AreaPlan, ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  if (!region) return fail([{ path: 'libipc.region', message: `no memory region "${spec.region}"` }]);
  const definitions: PortDefinition[] = [];
  const definitionIssues: DefinitionIssue[] = [];
  spec.definitions.forEach((d) => {
    const parsed = parsePortDefinition(d.file, d.text);
    definitionIssues.push(...parsed.issues);
    if (parsed.definition) definitions.push(parsed.definition);
  });
  const declared = new Map(Object.entries(spec.types));
  const laid = layoutPorts(definitions, declared);
  definitionIssues.push(...laid.issues);
  for (const i of definitionIssues) issues.push({ path: 'libipc.definitions', message: formatIssue(i) });
  if (issues.length > 0) return fail(issues);

  // Port indices: libipc globs `**/*ipc.yaml` sorted, so ports are numbered by file name.
  const sorted = [...definitions].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const depthOf = new Map(spec.ports.map((p) => [p.port, p.depth]));
  const listed = new Set<string>();
  spec.ports.forEach((p, i) => {
    if (listed.has(p.port)) issues.push({ path: `libipc.ports[${i}].port`, message: `port ${p.port} is listed twice` });
    listed.add(p.port);
  });
  for (const [name, t] of Object.entries(spec.types)) {
    if ((t.align & (t.align - 1)) !== 0)
      issues.push({ path: `libipc.types.${name}.align`, message: `an alignment is a power of two, not ${t.align}` });
    else if (t.size % t.align !== 0)
      issues.push({
        path: `libipc.types.${name}.size`,
        message: `a C type's size is a multiple of its alignment (${t.align})`,
      });
  }
  spec.ports.forEach((p, i) => {
    if (!sorted.some((d) => d.portName === p.port))
      issues.push({ path: `libipc.ports[${i}].port`, message: `no definition declares port ${p.port}` });
  });

  let at = region.offset;
  const proto = at;
  at += PROTO_BYTES;
  const ports: PortPlan[] = sorted.map((definition, index) => {
    const depth = depthOf.get(definition.portName) ?? DEFAULT_PORT_DEPTH;
    const header = at;
    const items = header + PORT_HEADER;
    const ids = items + depth * REF_BYTES;
    at = ids + depth * 8;
    return { name: definition.portName, index, depth, definition, tags: portTags(definition), header, items, ids };
  });
  // In declared order: mempool_alloc takes the first region whose entries fit.
  const pool: PoolPlan[] = spec.pool.map((r) => {
    const stride = round4(r.size);
    const states = at;
    const entries = states + r.count * 4;
    at = entries + r.count * stride;
    return { name: r.name, size: r.size, count: r.count, stride, states, entries };
  });
  const poolNames = new Set<string>();
  spec.pool.forEach((r, i) => {
    if (poolNames.has(r.name)) issues.push({ path: `libipc.pool[${i}].name`, message: `pool region ${r.name} twice` });
    poolNames.add(r.name);
  });

  const byName = new Map(ports.map((p) => [p.name, p]));
  const protos = new Map<string, { port: PortPlan; tag: number }>();
  for (const p of ports) {
    for (const t of p.tags) if (t.kind === 'proto' && t.message) protos.set(t.message, { port: p, tag: t.value });
  }
  const statics = new Map<string, { offset: number; size: number }>();
  const taskNames = new Set<string>();
  spec.tasks.forEach((task, i) => {
    const path = `libipc.tasks[${i}]`;
    if (taskNames.has(task.name)) issues.push({ path: `${path}.name`, message: `task ${task.name} twice` });
    taskNames.add(task.name);
    if (!domains.includes(task.domain)) issues.push({ path: `${path}.domain`, message: `no domain "${task.domain}"` });
    const b = task.behaviour;
    if (b.kind === 'proto-client') {
      if (!protos.has(b.proto))
        issues.push({ path: `${path}.behaviour.proto`, message: `no port routes proto ${b.proto}` });
      return;
    }
    const port = byName.get(b.port);
    if (!port) {
      issues.push({ path: `${path}.behaviour.port`, message: `no definition declares port ${b.port}` });
      return;
    }
    if (b.kind === 'receiver') {
      if (b.timeoutMs === 0 && b.loopUs === 0)
        issues.push({
          path: `${path}.behaviour.loopUs`,
          message: 'a receiver that polls (timeoutMs 0) needs loopUs > 0: it would spin and nothing else would run',
        });
      return;
    }
    const tag = structTag(port, b.message);
    if (typeof tag === 'string') {
      issues.push({ path: `${path}.behaviour.message`, message: tag });
      return;
    }
    const layout = laid.structs.get(b.message);
    if (!layout) return;
    if (layout.size > region.size) {
      issues.push({
        path: `${path}.behaviour.message`,
        message: `${b.message} is ${layout.size} bytes: more than all of region ${region.name}`,
      });
      return;
    }
    for (const [field, value] of Object.entries(b.values)) {
      const f = layout.fields.find((g) => g.name === field);
      const problem = f ? valueProblem(f, value) : null;
      if (problem)
        issues.push({ path: `${path}.behaviour.values.${field}`, message: `${b.message}.${field}: ${problem}` });
    }
    for (const field of Object.keys(b.values)) {
      if (!layout.fields.some((f) => f.name === field))
        issues.push({ path: `${path}.behaviour.values.${field}`, message: `${b.message} has no field ${field}` });
    }
    if (b.counter !== undefined) {
      const f = layout.fields.find((g) => g.name === b.counter);
      if (!f || f.dims.length > 0 || f.type === 'char' || f.size > 8 || f.size === 0)
        issues.push({
          path: `${path}.behaviour.counter`,
          message: `${b.message}.${b.counter} is not a numeric field the count can go in`,
        });
    }
    if (b.takeOwnership && layout.size === 0)
      issues.push({
        path: `${path}.behaviour.takeOwnership`,
        message: `${b.message} is empty: ipc_send_cp of 0 bytes asserts in mempool_alloc (size 0)`,
      });
    // The object it fills and passes (copied from when it takes ownership).
    const size = round4(Math.max(4, layout.size));
    statics.set(task.name, { offset: at, size });
    at += size;
  });
  const used = at - region.offset;
  if (used > region.size)
    issues.push({
      path: 'libipc.region',
      message: `region ${region.name} has ${region.size} bytes; the queues, mempool and static objects need ${used}`,
    });
  if (domains.length > 32) issues.push({ path: 'domains', message: 'libipc wait masks hold 32 domains at most' });
  if (issues.length > 0) return fail(issues);
  return ok({ region, proto, ports, pool, statics, structs: laid.structs, protos, domains, used });
}

const RANGES: Record<string, readonly [number, number]> = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffff_ffff],
  i32: [-0x8000_0000, 0x7fff_ffff],
  u64: [0, Number.MAX_SAFE_INTEGER],
  i64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Why `value` cannot go in field `f` (its C type, its array length), or null when it can. */
export function valueProblem(f: FieldLayout, value: FieldValue): string | null {
  const kind = codecKind(f);
  const count = f.size / Math.max(1, f.elementSize);
  const one = (x: unknown): string | null => {
    if (kind === 'bytes') return `a ${f.type} is raw bytes here: it cannot be given a value`;
    if (kind === 'bool') return typeof x === 'boolean' || x === 0 || x === 1 ? null : 'a bool takes true or false';
    if (typeof x !== 'number' || !Number.isFinite(x)) return `a ${f.type} takes a number`;
    if (kind === 'f32' || kind === 'f64') return null;
    if (!Number.isInteger(x)) return `a ${f.type} takes a whole number, not ${x}`;
    const range = RANGES[kind];
    return range && (x < range[0] || x > range[1]) ? `${x} does not fit a ${f.type} (${range[0]}…${range[1]})` : null;
  };
  if (typeof value === 'string') {
    if (f.type !== 'char' || f.dims.length === 0) return `text goes only in a char array; ${f.name} is a ${f.type}`;
    return value.length < f.size
      ? null
      : `"${value}" needs ${value.length + 1} bytes with its NUL; ${f.name} has ${f.size}`;
  }
  if (Array.isArray(value)) {
    if (f.dims.length === 0) return `${f.name} is one ${f.type}, not an array`;
    if (value.length > count) return `${value.length} values for ${count} elements`;
    for (const x of value) {
      const problem = one(x);
      if (problem) return problem;
    }
    return null;
  }
  if (f.dims.length > 0) return `${f.name} is an array of ${count}: give a list`;
  return one(value);
}
