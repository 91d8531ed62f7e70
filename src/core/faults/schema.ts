/**
 * Faults as data (DESIGN.md §3.7): what goes wrong (`kind`, from the catalogue), where (`target`),
 * how likely (`probability`, drawn from the fault injector's own seeded stream) and when
 * (`schedule`). A scenario carries the faults armed from the start; the debugger adds more while
 * it runs, recorded at the decision they were added, so a faulty run replays exactly.
 *
 * Two families:
 * - per-doorbell faults (`doorbell-*`, `mbox-send-fail`) act on every ring of the target channel
 *   while the schedule is active, at most `count` times (unbounded without one);
 * - one-shot faults (memory, domain, blocks) fire once each time the schedule becomes active, at
 *   most `count` times (once without one). A memory fault whose field does not exist yet (no
 *   unread packet for `length`) waits until it does;
 * - `misconfigure` builds one side with settings the other does not share (as two separately
 *   built images can), when the world is built.
 */
import { z } from 'zod';

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_.@/-]*$/, 'letters, digits, _ . @ / - only, not starting with a digit');
const micros = z.number().nonnegative().finite();

export const DOORBELL_FAULTS = ['doorbell-drop', 'doorbell-delay', 'doorbell-duplicate', 'mbox-send-fail'] as const;
export const MEMORY_FAULTS = ['corrupt-byte', 'flip-bit', 'poke32'] as const;
export const DOMAIN_FAULTS = ['stall', 'warm-reset', 'cold-reset', 'kill'] as const;
/** Cache maintenance a core skips (it needs a data cache: `domains[].dcacheLine`). */
export const CACHE_FAULTS = ['missing-flush', 'stale-line'] as const;
/**
 * libipc: faults on each send to a port (`target.port`): the item is lost, enters the queue
 * `delayUs` late, or enters it twice.
 */
export const PORT_SEND_FAULTS = ['port-drop', 'port-delay', 'port-duplicate'] as const;
/**
 * libipc one-shot faults: corrupt a member (`target.member`) of the object of the next item in
 * `target.port`'s queue; stall a task (`target.task`) for `durationUs`; take every free mempool
 * entry for `durationUs` (absent: for good).
 */
export const PORT_FAULTS = ['port-corrupt', 'task-stall', 'pool-exhaust'] as const;
/**
 * Synchronous channels: fault a task (`target.task`) where it stands, as Hubris'
 * `humility jefe --fault` does; its supervisor restarts it after `durationUs` (a new generation,
 * dead codes to who waits on it), or holds it faulted without one (`jefe --hold`).
 */
export const CHANNEL_FAULTS = ['task-fault'] as const;
export const FAULT_KINDS = [
  ...DOORBELL_FAULTS,
  ...MEMORY_FAULTS,
  ...DOMAIN_FAULTS,
  ...CACHE_FAULTS,
  'exhaust-blocks',
  'misconfigure',
  ...PORT_SEND_FAULTS,
  ...PORT_FAULTS,
  ...CHANNEL_FAULTS,
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The fields of a region a memory fault can hit, as the writer lays the region out: the pbuf's
 * `rd_idx`, `wr_idx` and handshake words; the next unread packet's BE16 `length` header and its
 * `payload`; for ICBMsg the next unread `control` message and a block's 4-byte `block-header`;
 * or a raw `offset` from the region's start.
 */
export const FAULT_FIELDS = [
  'rd_idx',
  'wr_idx',
  'handshake',
  'length',
  'payload',
  'control',
  'block-header',
  'offset',
] as const;
export type FaultField = (typeof FAULT_FIELDS)[number];

export const faultTargetSchema = z.strictObject({
  /** Doorbell faults: the mailbox channel (absent: every channel). */
  channel: id.optional(),
  /** Domain faults, and exhaust-blocks (with `instance`). */
  domain: id.optional(),
  /** exhaust-blocks: the ICBMsg node on `domain` whose TX blocks are taken. */
  instance: id.optional(),
  /** Memory faults: the region and the field in it. */
  region: id.optional(),
  field: z.enum(FAULT_FIELDS).optional(),
  /** The byte within the field (payload, control, block-header, length) or from the region's start (offset). */
  offset: z.number().int().nonnegative().optional(),
  /** block-header: which block. */
  block: z.number().int().nonnegative().optional(),
  /** libipc faults: the port (`port_name`). */
  port: id.optional(),
  /** task-stall: the libipc or channel task; task-fault: the channel task. */
  task: id.optional(),
  /** port-corrupt: the struct member hit (absent: the object's first byte). */
  member: id.optional(),
});

export const faultScheduleSchema = z.strictObject({
  /** Not before this time (µs of simulated time). */
  atUs: micros.optional(),
  /** Not before this scheduler decision. */
  atStep: z.number().int().nonnegative().optional(),
  /** Only after this many packets were written (into the target region, or anywhere). */
  afterMessages: z.number().int().nonnegative().optional(),
  /** Only once this instance's machine (`domain/node`, or `domain/node/endpoint`) has entered this state. */
  whenState: z.strictObject({ machine: z.string().min(1).max(200), state: id }).optional(),
  /** Active for `onUs`, then inactive for `offUs`, and so on, from when the rest holds. */
  flipFlop: z.strictObject({ onUs: z.number().positive().finite(), offUs: z.number().positive().finite() }).optional(),
  /** How many times it may act at most. */
  count: z.number().int().positive().optional(),
});

export const faultSchema = z.strictObject({
  id,
  kind: z.enum(FAULT_KINDS),
  /** Disarmed faults stay in the scenario and do nothing. */
  armed: z.boolean().default(true),
  target: faultTargetSchema.prefault({}),
  /** The chance it acts each time it could (0–1). */
  probability: z.number().min(0).max(1).default(1),
  schedule: faultScheduleSchema.prefault({}),
  /**
   * corrupt-byte: the byte written (absent: XOR with a random non-zero byte); poke32: the word;
   * missing-flush / stale-line: how many of the core's next flushes / invalidates it skips (1).
   */
  value: z.number().int().min(0).max(0xffff_ffff).optional(),
  /** flip-bit: which bit of the byte (0–7; absent: a random one). */
  bit: z.number().int().min(0).max(7).optional(),
  /** doorbell-delay, port-delay: the extra delay; doorbell-duplicate: how late the copy rings. */
  delayUs: micros.default(50),
  /**
   * stall, exhaust-blocks, task-stall, pool-exhaust: how long (absent: for good); task-fault: how
   * long until the supervisor restarts the task (absent: held faulted).
   */
  durationUs: z.number().positive().finite().optional(),
  /** mbox-send-fail: what `mbox_send` returns. */
  error: z.enum(['EBUSY', 'EIO', 'ENOBUFS']).default('EBUSY'),
  /**
   * misconfigure: what one side (`target.domain` + `target.instance`) is built with instead of
   * what the scenario says — settings the two sides must agree on, so the checks that would
   * refuse them are bypassed, as two separately built firmware images bypass them. `alias`
   * makes this side see one region at an address shifted by `offset` bytes (the same memory
   * through another bus window).
   */
  set: z
    .strictObject({
      'dcache-alignment': z.number().int().nonnegative().optional(),
      unbound: z.enum(['disable', 'enable', 'detect']).optional(),
      'tx-blocks': z.number().int().min(1).max(256).optional(),
      'rx-blocks': z.number().int().min(1).max(256).optional(),
      alias: z.strictObject({ region: id, offset: z.number().int() }).optional(),
    })
    .optional(),
});

export type FaultInput = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema>;

export const isDoorbellFault = (kind: FaultKind): boolean => (DOORBELL_FAULTS as readonly string[]).includes(kind);

/** A fault on each send to a libipc port (acted on inside the sending domain). */
export const isPortSendFault = (kind: FaultKind): boolean => (PORT_SEND_FAULTS as readonly string[]).includes(kind);

/** A fault that acts when the world is built (not while it runs). */
export const isBuildFault = (kind: FaultKind): boolean => kind === 'misconfigure';
