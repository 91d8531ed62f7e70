/**
 * The `libipc` part of a scenario: tasks of FreeRTOS firmware talking through libipc ports
 * (reference libipc-and-channels.md §1). The definitions are the `*_ipc.yaml` files themselves,
 * as text, so a scenario carries exactly what a firmware tree holds; tasks are data, never code.
 *
 *   "libipc": {
 *     "region": "ipc_ports",                       where the queues, the mempool and statics live
 *     "definitions": [{ "file": "sysinfo_ipc.yaml", "text": "port_name: sysinfo_port\n…" }],
 *     "ports": [{ "port": "ui_port", "depth": 10 }],                  (depth 4 when not listed)
 *     "tasks": [{ "name": "ui_task", "domain": "cpuapp", "priority": 2,
 *                 "behaviour": { "kind": "receiver", "port": "ui_port", "timeoutMs": 0, … } }]
 *   }
 */
import { z } from 'zod';

const ident = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a C identifier');

const taskName = z
  .string()
  .min(1, 'must not be empty')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only, not starting with a digit');

const micros = z.number().nonnegative().finite();

/** `IPC_TIMEOUT_MAX` (`forever`), 0 (poll) or milliseconds, as `ipc_options_t.timeout_ms`. */
export const ipcTimeoutSchema = z.union([z.literal('forever'), z.number().int().min(0).max(0xffff_fffe)]);

const fieldValue = z.union([
  z.number().finite(),
  z.boolean(),
  z.string().max(256),
  z.array(z.union([z.number().finite(), z.boolean()])).max(4096),
]);

export const portTaskBehaviourSchema = z.discriminatedUnion('kind', [
  /**
   * Sends one struct message every `periodUs` (`ipc_send_opt`). By reference (the default) the
   * task writes the values into its one static object each time, as firmware does with a
   * `static` message: the object must stay unchanged until the receiver is done with it.
   * `takeOwnership` copies it into the mempool instead (`ipc_send_cp`). A struct without fields
   * goes as `ipc_send_empty` (NULL, 0).
   */
  z.strictObject({
    kind: z.literal('sender'),
    port: ident,
    message: ident,
    periodUs: z.number().positive().finite(),
    /** Sends this many, then stops (absent: for ever). */
    count: z.number().int().positive().optional(),
    values: z.record(z.string(), fieldValue).default({}),
    /** A numeric field set to the send's number (1, 2, …), so deliveries can be checked. */
    counter: ident.optional(),
    timeoutMs: ipcTimeoutSchema.default('forever'),
    takeOwnership: z.boolean().default(false),
    /**
     * When a send fails: carry on with the next message, send the same one again after
     * `periodUs` (a port on another core that is not up yet), or reset the device as the sysinfo
     * power-off timer does (`mcu_reset_with_reason(MCU_RESET_SHUTDOWN_IPC_FAILED)`).
     */
    onFailure: z.enum(['continue', 'retry', 'reset']).default('continue'),
  }),
  /**
   * Owns a port: registers it (`ipc_register_port`) and loops on `ipc_recv_opt` with
   * `timeoutMs` (0 polls, as `ui_task` does, sleeping `loopUs` between polls), handles each
   * message for `handleUs`, then releases pool objects (`ipc_release`) as `release` says.
   * Routed protos are decoded (`proto_get_cmd`: their buffer freed) and answered through the
   * response buffer (`proto_send_rsp`), which drops stale responses.
   */
  z.strictObject({
    kind: z.literal('receiver'),
    port: ident,
    timeoutMs: ipcTimeoutSchema.default('forever'),
    loopUs: micros.default(0),
    handleUs: micros.default(0),
    /** `owned`: `ipc_release` for mempool copies only (correct); `never`: leak them; `always`: also on by-reference objects (a fatal assert). */
    release: z.enum(['owned', 'never', 'always']).default('owned'),
    responseBytes: z.number().int().min(1).max(256).default(8),
    /** Handles this many messages, then the task ends (so a scenario with a polling loop ends). */
    count: z.number().int().positive().optional(),
  }),
  /**
   * The NFC wallet command path (`wca.c`): every `periodUs` a command for `proto` arrives; it takes
   * the next sequence number, routes it (`ipc_proto_route`: a routed copy in the mempool, sent to
   * the proto's port) and waits up to `responseTimeoutMs` for the response with that number;
   * on a timeout it retires the number (a late response is then stale).
   */
  z.strictObject({
    kind: z.literal('proto-client'),
    proto: ident,
    periodUs: z.number().positive().finite(),
    count: z.number().int().positive().optional(),
    commandBytes: z.number().int().min(1).max(256).default(8),
    responseTimeoutMs: z.number().int().min(1).max(60_000).default(500),
    /** When routing fails (the port not registered): the command fails, or is routed again after `periodUs`. */
    onRouteFailure: z.enum(['fail', 'retry']).default('fail'),
  }),
]);

export const portTaskSchema = z.strictObject({
  name: taskName,
  domain: z.string().min(1).max(64),
  /** FreeRTOS priority: a larger number runs first. */
  priority: z.number().int().min(0).max(31).default(1),
  /** When it starts, µs after its domain boots. */
  startAtUs: micros.default(0),
  behaviour: portTaskBehaviourSchema,
});

export const poolRegionSchema = z.strictObject({
  name: ident,
  /** Entry size in bytes. */
  size: z.number().int().min(1).max(65536),
  count: z.number().int().min(1).max(1024),
});

/** The mempool `ipc_test.c` sets up: the one libipc's own tests run against. */
export const IPC_TEST_POOL = [
  { name: 'refs', size: 4, count: 13 },
  { name: 'tiny_msgs', size: 16, count: 4 },
  { name: 'small_msgs', size: 64, count: 4 },
  { name: 'med_msgs', size: 256, count: 3 },
  { name: 'big_msgs', size: 512, count: 2 },
] as const;

export const libipcSchema = z.strictObject({
  region: z.string().min(1).max(64),
  definitions: z
    .array(z.strictObject({ file: z.string().min(1).max(200), text: z.string().max(65536) }))
    .min(1)
    .max(32),
  /** Size and alignment of the C types only the firmware knows (nanopb `fwpb_*`, typedefs). */
  types: z
    .record(
      z.string().min(1).max(64),
      z.strictObject({ size: z.number().int().min(0).max(65536), align: z.number().int().min(1).max(8) }),
    )
    .default({}),
  ports: z.array(z.strictObject({ port: ident, depth: z.number().int().min(1).max(64) })).default([]),
  pool: z
    .array(poolRegionSchema)
    .min(1)
    .max(16)
    .default(IPC_TEST_POOL.map((r) => ({ ...r }))),
  tasks: z.array(portTaskSchema).max(64),
});

export type LibipcSpec = z.output<typeof libipcSchema>;
export type PortTaskSpec = z.output<typeof portTaskSchema>;
export type PortTaskBehaviour = z.output<typeof portTaskBehaviourSchema>;
export type IpcTimeout = z.output<typeof ipcTimeoutSchema>;

/** Depth of a port whose task does not say: the 4 of most Bitkey tasks and the simulator. */
export const DEFAULT_PORT_DEPTH = 4;
