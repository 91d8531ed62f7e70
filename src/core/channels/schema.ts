/**
 * The `channels` part of a scenario: tasks of one core talking over synchronous channels
 * (reference libipc-and-channels.md §2–3), as data.
 *
 *   "channels": {
 *     "mode": "hubris",                       or "anckor": Anckor's code as it is, defects included
 *     "priorityInheritance": false,           QNX: a server runs at its best waiting client's priority
 *     "region": "chan_buf",                   the buffer messages longer than 8 bytes are copied through
 *     "tasks": [{ "name": "server", "domain": "cpu", "priority": 2,
 *                 "behaviour": { "kind": "server", "channel": "fs", "handleUs": 40 } }]
 *   }
 */
import { z } from 'zod';

const taskName = z
  .string()
  .min(1, 'must not be empty')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only, not starting with a digit');
/** Anckor: `char name[20]`, so 19 characters and the NUL. */
const channelName = z.string().min(1, 'must not be empty').max(19, 'at most 19 characters (Anckor: char name[20])');
const micros = z.number().nonnegative().finite();
const bits = z.number().int().min(0).max(0xffff_ffff);

export const channelBehaviourSchema = z.discriminatedUnion('kind', [
  /**
   * Creates `channel` and serves it: receives (open, with notification `mask`), works `handleUs`
   * on the CPU, optionally calls `callWhileHandling` first, then replies to a call. With
   * `crashAfter` its first life panics on that message, and its supervisor restarts it from boot
   * `restartAfterUs` later with a new generation (which then serves on without panicking).
   */
  z.strictObject({
    kind: z.literal('server'),
    channel: channelName,
    handleUs: micros.default(0),
    mask: bits.default(0),
    replyBytes: z.number().int().min(0).max(256).default(4),
    replyCode: bits.default(0),
    count: z.number().int().positive().optional(),
    callWhileHandling: z.strictObject({ channel: channelName, size: z.number().int().min(1).max(256) }).optional(),
    crashAfter: z.number().int().positive().optional(),
    restartAfterUs: micros.default(1_000),
    /** A closed receive (Hubris `sys_recv_closed`): takes messages from this task only. */
    closedFrom: taskName.optional(),
  }),
  /** Every `periodUs`, sends `size` bytes on `channel`: a call that waits for the reply, or one-way. */
  z.strictObject({
    kind: z.literal('client'),
    channel: channelName,
    size: z.number().int().min(1).max(256).default(8),
    periodUs: micros.default(0),
    count: z.number().int().positive().optional(),
    call: z.boolean().default(true),
    /** Gives up a send or call after this long (L4 timeouts; absent: waits for ever). */
    timeoutUs: z.number().positive().finite().optional(),
    /** Creates the channel itself (Anckor's test: whichever task runs first creates it). */
    create: z.boolean().default(false),
    /** The first 8 bytes of every message (Anckor's test sends MAGIC_WORD). */
    value: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  /** Receives one-way messages on `channel` (creating it first, or finding it). */
  z.strictObject({
    kind: z.literal('receiver'),
    channel: channelName,
    create: z.boolean().default(false),
    count: z.number().int().positive().optional(),
    mask: bits.default(0),
    /** The first 8 bytes every message must hold (Anckor's test asserts MAGIC_WORD). */
    expect: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  }),
  /** Waits for notification bits only (Hubris `sys_recv_notification`: a closed receive from the kernel). */
  z.strictObject({
    kind: z.literal('waiter'),
    mask: bits,
    count: z.number().int().positive().optional(),
  }),
  /** Runs on the CPU without blocking for `durationUs` (the medium task of a priority inversion). */
  z.strictObject({ kind: z.literal('hog'), durationUs: z.number().positive().finite() }),
  /** Posts notification `bits` to `target` every `periodUs` (Hubris `sys_post`). */
  z.strictObject({
    kind: z.literal('notifier'),
    target: taskName,
    bits: bits,
    periodUs: z.number().positive().finite(),
    count: z.number().int().positive().optional(),
  }),
]);

export const channelTaskSchema = z.strictObject({
  name: taskName,
  domain: z.string().min(1).max(64),
  /** A larger number runs first (as Anckor and FreeRTOS number them; Hubris counts the other way). */
  priority: z.number().int().min(0).max(31).default(1),
  startAtUs: micros.default(0),
  behaviour: channelBehaviourSchema,
});

export const channelsSchema = z.strictObject({
  mode: z.enum(['hubris', 'anckor']).default('hubris'),
  priorityInheritance: z.boolean().default(false),
  region: z.string().min(1).max(64),
  tasks: z.array(channelTaskSchema).min(1).max(64),
});

export type ChannelsSpec = z.output<typeof channelsSchema>;
export type ChannelTaskSpec = z.output<typeof channelTaskSchema>;
export type ChannelBehaviour = z.output<typeof channelBehaviourSchema>;
