/**
 * libipc presets from the patterns of a FreeRTOS firmware (reference libipc-and-channels.md
 * §1.4–1.8): every task on one MCU, talking through ports defined in `*_ipc.yaml` files. The
 * definitions below are written for these scenarios in the libipc schema (they are not copies of
 * any firmware's files); ports, depths and timeouts follow the firmware patterns the reference
 * describes.
 */
import type { ScenarioInput } from '../schema';

const UI_IPC = `port_name: ui_port
messages:
  structs:
    - name: ui_event_t
      fields:
        - uint32_t event
        - uint32_t sequence
        - uint8_t payload[8]
    - name: ui_battery_t
      fields:
        - uint8_t percent
        - bool charging
        - uint16_t millivolts
`;

const SYSINFO_IPC = `port_name: sysinfo_port
messages:
  structs:
    - name: sysinfo_power_off_t
    - name: sysinfo_flash_log_t
      fields:
        - uint32_t sequence
        - char line[48]
`;

const KEY_MANAGER_IPC = `port_name: key_manager_port
messages:
  structs:
    - name: key_manager_refresh_t
      fields:
        - uint32_t sequence
  protos:
    - name: fwpb_sign_digest_cmd
      auth: always
    - name: fwpb_derive_key_cmd
      auth: always
`;

/** One MCU (no second core) with the port area in its RAM. */
function mcu(
  name: string,
  description: string,
  size = 8192,
): Pick<
  ScenarioInput,
  'version' | 'name' | 'description' | 'seed' | 'memory' | 'domains' | 'instances' | 'endpoints' | 'runtime'
> {
  return {
    version: 1,
    name,
    description,
    seed: 7,
    memory: { base: 0x2000_8000, size, fill: 0xaa, regions: [{ name: 'ipc_ports', offset: 0, size }] },
    domains: [{ name: 'mcu' }],
    instances: [],
    endpoints: [],
    runtime: { assert: 'halt', costs: { taskUs: 20 } },
  };
}

/**
 * `ui_task` polls its depth-10 queue with timeout 0 once per 20 ms frame, while two tasks post
 * events: bursts fill the queue between polls, and a sender meets a full queue and waits.
 */
export const LIBIPC_UI_POLLING: ScenarioInput = {
  ...mcu(
    'libipc: a UI task polling a depth-10 queue',
    'ui_task polls ui_port (depth 10) with timeout 0 once per 20 ms frame and handles one event per poll. auth_task posts a burst of 14 events and sysinfo_task a battery reading every 50 ms, both by copy (ipc_send_cp, released by ui_task). The burst fills the queue: the senders block on the full queue until polls make room.',
  ),
  libipc: {
    region: 'ipc_ports',
    definitions: [
      { file: 'ui_ipc.yaml', text: UI_IPC },
      { file: 'sysinfo_ipc.yaml', text: SYSINFO_IPC },
    ],
    ports: [{ port: 'ui_port', depth: 10 }],
    // Room for every copy a full queue and a blocked sender can hold (mempool_alloc asserts otherwise).
    pool: [
      { name: 'tiny_msgs', size: 16, count: 16 },
      { name: 'small_msgs', size: 64, count: 4 },
    ],
    tasks: [
      {
        name: 'ui_task',
        domain: 'mcu',
        priority: 2,
        // 18 events: the burst and the battery readings; then the scenario ends.
        behaviour: { kind: 'receiver', port: 'ui_port', timeoutMs: 0, loopUs: 20_000, handleUs: 500, count: 18 },
      },
      {
        name: 'auth_task',
        domain: 'mcu',
        priority: 3,
        startAtUs: 5_000,
        behaviour: {
          kind: 'sender',
          port: 'ui_port',
          message: 'ui_event_t',
          periodUs: 1_000,
          count: 14,
          values: { event: 7 },
          counter: 'sequence',
          takeOwnership: true,
        },
      },
      {
        name: 'sysinfo_task',
        domain: 'mcu',
        priority: 1,
        startAtUs: 1_000,
        behaviour: {
          kind: 'sender',
          port: 'ui_port',
          message: 'ui_battery_t',
          periodUs: 50_000,
          count: 4,
          values: { percent: 81, charging: true, millivolts: 3_950 },
          takeOwnership: true,
        },
      },
    ],
  },
};

/**
 * The sysinfo power-off timer: its callback sends `sysinfo_power_off_t` with a 100 ms timeout and
 * resets the device when that fails. sysinfo_task is busy writing a flash log, its 4-slot queue
 * stays full for longer than 100 ms, and the device resets.
 */
export const LIBIPC_POWER_OFF_RESET: ScenarioInput = {
  ...mcu(
    'libipc: power-off timer resets the device on a full queue',
    'sysinfo_task takes 200 ms per flash-log message (a sector erase); log_task keeps its 4-slot queue full. At 250 ms the power-off timer sends sysinfo_power_off_t with a 100 ms timeout (ipc_options_t{100, false}): no slot frees in time, the send fails and the timer calls mcu_reset_with_reason(MCU_RESET_SHUTDOWN_IPC_FAILED). The device boots, the backlog builds again: a boot loop.',
  ),
  libipc: {
    region: 'ipc_ports',
    definitions: [{ file: 'sysinfo_ipc.yaml', text: SYSINFO_IPC }],
    ports: [{ port: 'sysinfo_port', depth: 4 }],
    pool: [
      { name: 'tiny_msgs', size: 16, count: 4 },
      { name: 'log_msgs', size: 64, count: 8 },
    ],
    tasks: [
      {
        name: 'sysinfo_task',
        domain: 'mcu',
        priority: 2,
        behaviour: { kind: 'receiver', port: 'sysinfo_port', handleUs: 200_000 },
      },
      {
        name: 'log_task',
        domain: 'mcu',
        priority: 1,
        behaviour: {
          kind: 'sender',
          port: 'sysinfo_port',
          message: 'sysinfo_flash_log_t',
          periodUs: 5_000,
          count: 40,
          values: { line: 'battery 81%' },
          counter: 'sequence',
          takeOwnership: true,
        },
      },
      {
        name: 'power_timer',
        domain: 'mcu',
        priority: 5,
        startAtUs: 250_000,
        behaviour: {
          kind: 'sender',
          port: 'sysinfo_port',
          message: 'sysinfo_power_off_t',
          periodUs: 1_000_000,
          count: 1,
          timeoutMs: 100,
          onFailure: 'reset',
        },
      },
    ],
  },
};

/**
 * A proto request/response with a stale reply: key_manager_task is still busy with refresh
 * messages when the first command arrives, so its response comes after the NFC path gave up on
 * that seq, and is dropped as stale; the second command is answered in time.
 */
export const LIBIPC_PROTO_STALE: ScenarioInput = {
  ...mcu(
    'libipc: proto request/response, a stale reply dropped',
    'nfc_task routes fwpb_sign_digest_cmd to key_manager_port with seq 1 and waits 500 ms. key_manager_task first handles 3 queued refresh messages (150 ms each), answers seq 1 after the timeout retired it: "Dropping stale proto response seq 1". Command seq 2 is answered in time.',
  ),
  libipc: {
    region: 'ipc_ports',
    definitions: [{ file: 'key_manager_ipc.yaml', text: KEY_MANAGER_IPC }],
    types: {},
    tasks: [
      {
        name: 'key_manager_task',
        domain: 'mcu',
        priority: 2,
        behaviour: { kind: 'receiver', port: 'key_manager_port', handleUs: 150_000 },
      },
      {
        name: 'refresh_task',
        domain: 'mcu',
        priority: 3,
        startAtUs: 100,
        behaviour: {
          kind: 'sender',
          port: 'key_manager_port',
          message: 'key_manager_refresh_t',
          periodUs: 10,
          count: 3,
          counter: 'sequence',
          takeOwnership: true,
        },
      },
      {
        name: 'nfc_task',
        domain: 'mcu',
        priority: 4,
        startAtUs: 1_000,
        behaviour: {
          kind: 'proto-client',
          proto: 'fwpb_sign_digest_cmd',
          periodUs: 1_000_000,
          count: 2,
          responseTimeoutMs: 500,
        },
      },
    ],
  },
};

/**
 * By reference, a static rewritten too early: sensor_task sends its `static` message by
 * reference every 2 ms; ui_task only looks every 5 ms, so the object changes under a message
 * still in the queue, and the checker says so. Copying (`ipc_send_cp`) is the fix.
 */
export const LIBIPC_BY_REFERENCE: ScenarioInput = {
  ...mcu(
    'libipc: a by-reference object rewritten before it is read',
    'sensor_task sends ui_event_t from one static object every 2 ms by reference (ipc_send); ui_task handles one message per 5 ms. The object is rewritten while earlier messages still point at it, so ui_task reads the newer contents: the checker flags reference-overwritten.',
  ),
  libipc: {
    region: 'ipc_ports',
    definitions: [{ file: 'ui_ipc.yaml', text: UI_IPC }],
    ports: [{ port: 'ui_port', depth: 10 }],
    tasks: [
      {
        name: 'ui_task',
        domain: 'mcu',
        priority: 2,
        behaviour: { kind: 'receiver', port: 'ui_port', handleUs: 5_000 },
      },
      {
        name: 'sensor_task',
        domain: 'mcu',
        priority: 3,
        startAtUs: 1_000,
        behaviour: {
          kind: 'sender',
          port: 'ui_port',
          message: 'ui_event_t',
          periodUs: 2_000,
          count: 6,
          values: { event: 3 },
          counter: 'sequence',
        },
      },
    ],
  },
};

/** The by-reference scenario sending copies instead: nothing is rewritten under the receiver. */
export const LIBIPC_BY_REFERENCE_FIXED: ScenarioInput = {
  ...LIBIPC_BY_REFERENCE,
  name: 'libipc: the same sends by copy (ipc_send_cp)',
  libipc: {
    region: 'ipc_ports',
    definitions: [{ file: 'ui_ipc.yaml', text: UI_IPC }],
    ports: [{ port: 'ui_port', depth: 10 }],
    pool: [{ name: 'tiny_msgs', size: 16, count: 8 }],
    tasks: (LIBIPC_BY_REFERENCE.libipc?.tasks ?? []).map((t) =>
      t.behaviour.kind === 'sender' ? { ...t, behaviour: { ...t.behaviour, takeOwnership: true } } : t,
    ),
  },
};

/**
 * Ports across two cores (an extension of libipc, which is single-core): the radio core's tasks
 * send to a port whose receiver runs on the application core, by copy from the one mempool both
 * cores map, and the application core routes proto commands to a port on the radio core; both retry
 * while the other core's port is not registered yet. Queue
 * and pool words change under their lock words; a doorbell wakes the other core's waiting task.
 */
export const LIBIPC_TWO_CORES: ScenarioInput = {
  version: 1,
  name: 'libipc: ports across two cores',
  description:
    'radio_task (cpurad) streams 400 link-quality reports by copy to ui_port, received by ui_task on cpuapp; nfc_task (cpuapp) routes fwpb_sign_digest_cmd to key_manager_port on cpurad and waits for each response. Both cores allocate from and free into one mempool in shared memory.',
  seed: 11,
  memory: { base: 0x2007_0000, size: 16384, fill: 0, regions: [{ name: 'ipc_ports', offset: 0, size: 16384 }] },
  domains: [{ name: 'cpuapp' }, { name: 'cpurad', bootAtUs: 50 }],
  instances: [],
  endpoints: [],
  runtime: { assert: 'halt' },
  libipc: {
    region: 'ipc_ports',
    definitions: [
      { file: 'ui_ipc.yaml', text: UI_IPC },
      { file: 'key_manager_ipc.yaml', text: KEY_MANAGER_IPC },
    ],
    ports: [{ port: 'ui_port', depth: 10 }],
    // Reports (16 B) and routed commands (12 B): a queue's worth and more of 16-byte entries.
    pool: [{ name: 'tiny_msgs', size: 16, count: 24 }],
    tasks: [
      { name: 'ui_task', domain: 'cpuapp', priority: 2, behaviour: { kind: 'receiver', port: 'ui_port', handleUs: 5 } },
      {
        name: 'nfc_task',
        domain: 'cpuapp',
        priority: 3,
        startAtUs: 200,
        // A port on the other core may not be registered yet (its core boots later; on workers the
        // threads start some ms apart): a failed route is tried again at the next period.
        behaviour: {
          kind: 'proto-client',
          proto: 'fwpb_sign_digest_cmd',
          periodUs: 300,
          count: 20,
          onRouteFailure: 'retry',
        },
      },
      {
        name: 'key_manager_task',
        domain: 'cpurad',
        priority: 2,
        behaviour: { kind: 'receiver', port: 'key_manager_port', handleUs: 20 },
      },
      {
        name: 'radio_task',
        domain: 'cpurad',
        priority: 1,
        startAtUs: 100,
        behaviour: {
          kind: 'sender',
          port: 'ui_port',
          message: 'ui_event_t',
          periodUs: 10,
          count: 400,
          values: { event: 9 },
          counter: 'sequence',
          takeOwnership: true,
          onFailure: 'retry',
        },
      },
    ],
  },
};
