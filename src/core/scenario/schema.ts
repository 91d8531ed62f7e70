/**
 * Scenarios are data (DESIGN.md §3.8): domains, the shared memory map, IPC instances in
 * devicetree terms, endpoints with behaviours, the runtime's settings, the seed and any recorded
 * scheduler decisions. This is version 1, the first slice; later versions extend it and old
 * versions are migrated on load. A scenario never carries code.
 *
 * Instance nodes use devicetree property names, so a firmware engineer can map them 1:1:
 *
 *   ipc0: ipc0 {                               { "node": "ipc0", "domain": "cpuapp",
 *     compatible = "zephyr,ipc-icmsg";           "compatible": "zephyr,ipc-icmsg",
 *     tx-region = <&sram_tx>;                    "tx-region": "sram_tx", "rx-region": "sram_rx",
 *     rx-region = <&sram_rx>;                    "dcache-alignment": 32, "unbound": "enable",
 *     dcache-alignment = <32>;                   "mboxes": { "tx": "app_to_rad", "rx": "rad_to_app" } }
 *     unbound = "enable";
 *     mboxes = <&mbox 0>, <&mbox 1>;  mbox-names = "tx", "rx";
 *   };
 */
import { z } from 'zod';
import { faultSchema } from '../faults/schema';
import { libipcSchema } from '../ports/schema';
import { channelsSchema } from '../channels/schema';

export const SCENARIO_VERSION = 1;

const name = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_.@-]*$/, 'letters, digits, _ . @ - only, not starting with a digit');

const bytes = z.number().int().nonnegative();
const micros = z.number().nonnegative().finite();

export const regionSchema = z.strictObject({
  name,
  offset: bytes,
  size: z.number().int().positive(),
});

export const memorySchema = z.strictObject({
  /** Virtual address of byte 0 of shared memory. */
  base: z.number().int().nonnegative().default(0x2007_0000),
  size: z
    .number()
    .int()
    .positive()
    .max(64 * 1024 * 1024, 'at most 64 MiB'),
  /** The byte every location holds at start (Zephyr never clears shared RAM at boot). */
  fill: z.number().int().min(0).max(255).default(0),
  regions: z.array(regionSchema).min(1),
});

export const domainSchema = z.strictObject({
  name,
  /** When the core starts running, µs after the simulation starts. */
  bootAtUs: micros.default(0),
  /**
   * The core's data cache line over shared memory, in bytes (absent: shared memory is not cached
   * by this core). `dcache-alignment` must be at least this for ICMsg and ICBMsg to work.
   */
  dcacheLine: z.number().int().min(4).max(256).optional(),
});

export const icmsgNodeSchema = z.strictObject({
  node: name,
  domain: name,
  compatible: z.literal('zephyr,ipc-icmsg'),
  'tx-region': name,
  'rx-region': name,
  'dcache-alignment': z.number().int().nonnegative().optional(),
  unbound: z.enum(['disable', 'enable', 'detect']).default('disable'),
  mboxes: z.strictObject({ tx: name, rx: name }),
  /** Which Zephyr's ICMsg code runs: 4.1+ (sessions) or 3.6–4.0 (repeated bind doorbell). */
  zephyr: z.enum(['4.1', '3.6']).default('4.1'),
  kconfig: z
    .strictObject({
      PBUF_RX_READ_BUF_SIZE: z.number().int().min(4).max(65536).default(128),
      IPC_SERVICE_ICMSG_BOND_NOTIFY_REPEAT_TO_MS: z.number().int().min(1).max(1000).default(1),
    })
    .prefault({}),
});

/**
 * A legacy ICBMsg node (Zephyr 3.6 → v4.4, `zephyr,ipc-icbmsg`): each region holds an ICMsg area
 * then `tx-blocks` / `rx-blocks` blocks. Both sides must use the same pair of counts (the layout
 * uses both). Several endpoints share one instance.
 */
export const icbmsgNodeSchema = z.strictObject({
  node: name,
  domain: name,
  compatible: z.literal('zephyr,ipc-icbmsg'),
  'tx-region': name,
  'rx-region': name,
  'dcache-alignment': z.number().int().nonnegative().optional(),
  'tx-blocks': z.number().int().min(1).max(256, 'at most 256 blocks'),
  'rx-blocks': z.number().int().min(1).max(256, 'at most 256 blocks'),
  mboxes: z.strictObject({ tx: name, rx: name }),
  kconfig: z
    .strictObject({
      /** `CONFIG_IPC_SERVICE_BACKEND_ICBMSG_NUM_EP`. */
      IPC_SERVICE_BACKEND_ICBMSG_NUM_EP: z.number().int().min(1).max(254).default(4),
    })
    .prefault({}),
});

export const instanceSchema = z.discriminatedUnion('compatible', [icmsgNodeSchema, icbmsgNodeSchema]);

const payloadSize = z.number().int().min(4, 'at least 4 bytes (the sequence number)').max(65535);

export const behaviourSchema = z.discriminatedUnion('kind', [
  /** Sends every message it receives straight back, from inside `received()`. */
  z.strictObject({ kind: z.literal('echo') }),
  /** Sends a numbered message every `periodUs` once bound; checks what comes back. */
  z.strictObject({
    kind: z.literal('ping'),
    periodUs: z.number().positive().finite(),
    size: payloadSize,
    count: z.number().int().positive().optional(),
  }),
  /**
   * Closed-loop round trips: sends one numbered message, waits for it to come back (an echo on the
   * other side), waits `pauseUs`, sends the next. A pause lets the peer fall asleep in between.
   */
  z.strictObject({
    kind: z.literal('pingpong'),
    size: payloadSize,
    count: z.number().int().positive(),
    pauseUs: z.number().nonnegative().finite().default(0),
  }),
  /** Sends numbered messages as fast as the transport takes them, retrying on -ENOMEM. */
  z.strictObject({
    kind: z.literal('stream'),
    size: z.union([payloadSize, z.strictObject({ min: payloadSize, max: payloadSize })]),
    count: z.number().int().positive().optional(),
    retryUs: z.number().positive().finite().default(5),
    /**
     * `checked`: every byte derives from the sequence number and is verified on arrival;
     * `numbered`: only the sequence number is written and checked (throughput measurements).
     */
    payload: z.enum(['checked', 'numbered']).default('checked'),
    /**
     * `copy`: `ipc_service_send`. `nocopy`: `get_tx_buffer`, write the payload in place,
     * `send_nocopy` (backends with the no-copy API: ICBMsg).
     */
    api: z.enum(['copy', 'nocopy']).default('copy'),
    /**
     * No-copy only: how long `get_tx_buffer` waits for free blocks, in ms or `forever`. Absent:
     * K_NO_WAIT (-ENOMEM at once, retried after `retryUs`).
     */
    txWaitMs: z.union([z.literal('forever'), z.number().nonnegative().finite()]).optional(),
  }),
  /**
   * Receives and checks numbered messages; sends nothing. With `holdUs`, it holds each received
   * buffer (`hold_rx_buffer`) and releases it that long after (`release_rx_buffer`).
   */
  z.strictObject({
    kind: z.literal('sink'),
    payload: z.enum(['checked', 'numbered']).default('checked'),
    holdUs: z.number().nonnegative().finite().optional(),
  }),
  /** Does what the user tells it (send, deregister, register). */
  z.strictObject({ kind: z.literal('manual') }),
]);

export const endpointSchema = z.strictObject({
  domain: name,
  /** The instance's node name. */
  instance: name,
  name,
  /** When it registers, µs after its domain boots. */
  registerAtUs: micros.default(0),
  /** After `unbound()`: deregister and register again (as Zephyr's ipc_sessions test app does), or stay. */
  onUnbound: z.enum(['reregister', 'stay']).default('reregister'),
  /** Deregisters for good at this time, µs after its domain boots (ICMsg: that closes the instance). */
  deregisterAtUs: micros.optional(),
  /** Sends a message of this many bytes from inside its `bound()` callback. */
  sendInBound: z.number().int().min(1).max(65535).optional(),
  behaviour: behaviourSchema,
});

export const runtimeSchema = z
  .strictObject({
    mailbox: z
      .strictObject({
        latencyUs: micros.default(1),
        /** Extra delay per doorbell, drawn in whole µs from [0, jitterUs]. */
        jitterUs: micros.default(1),
        coalesce: z.boolean().default(true),
      })
      .prefault({}),
    costs: z
      .strictObject({
        irqUs: micros.default(2),
        workUs: micros.default(6),
        taskUs: micros.default(3),
      })
      .prefault({}),
    /** `__ASSERT`: carry on (CONFIG_ASSERT=n) or halt the domain (CONFIG_ASSERT=y). */
    assert: z.enum(['continue', 'halt']).default('continue'),
    /** pbuf peer indices: used unchecked as Zephyr does, or range-checked. */
    pbuf: z.enum(['faithful', 'hardened']).default('faithful'),
    /** ICBMsg data refused for an endpoint that is not ready: leaked as Zephyr does, or released. */
    icbmsg: z.enum(['faithful', 'hardened']).default('faithful'),
    /** Where it runs: every core on one thread, replayable (`inline`), or a thread per core (`workers`). */
    mode: z.enum(['inline', 'workers']).default('inline'),
    /** What the worker runtime records: every event, message events sampled, or counters only. */
    tracing: z.enum(['full', 'sampled', 'counters']).default('full'),
    /** Sampled tracing keeps one message event in this many. */
    sampleEvery: z.number().int().min(1).max(1_000_000).default(16),
  })
  .prefault({});

export const decisionSchema = z.strictObject({ step: z.number().int().nonnegative(), pick: name });

/** An endpoint by its key, `domain/instance/name`. */
const endpointKey = z.string().min(1).max(200);

/** What the user did by hand, as `UserAction` (scenario/userAction.ts) says. */
export const userActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('send'),
    endpoint: endpointKey,
    data: z.array(z.number().int().min(0).max(255)).max(65535),
  }),
  z.strictObject({ kind: z.literal('deregister'), endpoint: endpointKey }),
  z.strictObject({ kind: z.literal('register'), endpoint: endpointKey }),
  z.strictObject({ kind: z.literal('fault'), fault: faultSchema }),
  z.strictObject({ kind: z.literal('arm'), id: z.string().min(1).max(64), armed: z.boolean() }),
]);

/** An action taken by hand at decision `step` of the inline run (replayed there). */
export const recordedActionSchema = z.strictObject({ step: z.number().int().nonnegative(), action: userActionSchema });

export const scenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION),
  name: z.string().min(1).max(120),
  description: z.string().max(2000).optional(),
  seed: z.number().int().min(0).max(0xffff_ffff),
  memory: memorySchema,
  domains: z.array(domainSchema).min(1).max(16),
  instances: z.array(instanceSchema).max(64),
  endpoints: z.array(endpointSchema).max(256),
  /** FreeRTOS tasks talking through libipc ports (`ports/schema.ts`). */
  libipc: libipcSchema.optional(),
  /** Tasks of one core talking over synchronous channels (`channels/schema.ts`). */
  channels: channelsSchema.optional(),
  runtime: runtimeSchema,
  /** Faults armed from the start (DESIGN.md §3.7). */
  faults: z.array(faultSchema).max(64).default([]),
  decisions: z.array(decisionSchema).default([]),
  /** Actions taken by hand (sends, faults…), each at the decision it was taken. */
  actions: z.array(recordedActionSchema).max(10_000).default([]),
});

/** A scenario as written (defaults may be missing). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario, defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type BehaviourSpec = z.output<typeof behaviourSchema>;
export type EndpointSpec = z.output<typeof endpointSchema>;
export type IcmsgNodeSpec = z.output<typeof icmsgNodeSchema>;
export type IcbmsgNodeSpec = z.output<typeof icbmsgNodeSchema>;
export type InstanceSpec = z.output<typeof instanceSchema>;
