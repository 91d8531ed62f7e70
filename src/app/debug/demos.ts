/** The scenarios the debugger offers to open; the first is what the app opens on. */
import {
  FAULT_PRESETS,
  ICBMSG_NOCOPY_HOLD,
  ICMSG_BACKPRESSURE,
  ICBMSG_THREE_ENDPOINTS,
  ICMSG_ECHO_500,
  ICMSG_HELLO,
  LIBIPC_BY_REFERENCE,
  LIBIPC_BY_REFERENCE_FIXED,
  LIBIPC_POWER_OFF_RESET,
  LIBIPC_PROTO_STALE,
  LIBIPC_TWO_CORES,
  LIBIPC_UI_POLLING,
  type ScenarioInput,
  CHANNELS_ANCKOR_PING,
  CHANNELS_ANCKOR_TWO_SENDERS,
  CHANNELS_CLIENT_SERVER,
  CHANNELS_DEADLOCK,
  CHANNELS_PRIORITY_INHERITANCE,
  CHANNELS_PRIORITY_INVERSION,
  CHANNELS_SERVER_RESTART,
} from '../../core';

export interface Demo {
  readonly id: string;
  readonly scenario: ScenarioInput;
  /** One line: what the user will see. */
  readonly story: string;
  /** Where the scenario list shows it. */
  readonly group: DemoGroup;
}

/** The groups, in the order lists show them. */
export const DEMO_GROUPS = ['Demos', 'libipc ports', 'Synchronous channels', 'Field failures'] as const;
export type DemoGroup = (typeof DEMO_GROUPS)[number];

export const DEMOS: readonly Demo[] = [
  {
    id: 'icmsg-hello',
    scenario: ICMSG_HELLO,
    group: 'Demos',
    story: 'The radio core boots late; watch both ICMsg 1.1 endpoints bind, then three pings come back.',
  },
  {
    id: 'icbmsg-three-endpoints',
    scenario: ICBMSG_THREE_ENDPOINTS,
    group: 'Demos',
    story:
      'Three endpoints bind by name over one ICBMsg instance; the data travels in shared blocks, only 3-byte control messages in the ICMsg ring.',
  },
  {
    id: 'icbmsg-nocopy-hold',
    scenario: ICBMSG_NOCOPY_HOLD,
    group: 'Demos',
    story:
      'No-copy sends into buffers the receiver holds: watch the block map fill, the sender block in get_tx_buffer, and each release free its blocks.',
  },
  {
    id: 'icmsg-backpressure',
    scenario: ICMSG_BACKPRESSURE,
    group: 'Demos',
    story:
      'A full ring and backpressure: the stream outruns a slow reader, send() answers -ENOMEM while the ring is full, and every message still arrives in order.',
  },
  {
    id: 'icmsg-echo-500',
    scenario: ICMSG_ECHO_500,
    group: 'Demos',
    story: '500 round trips, one in flight: compare the inline and worker runtimes.',
  },
];

/** FreeRTOS tasks talking through libipc ports (reference libipc-and-channels.md §1). */
export const LIBIPC_DEMOS: readonly Demo[] = [
  {
    id: 'libipc-ui-polling',
    scenario: LIBIPC_UI_POLLING,
    group: 'libipc ports',
    story:
      'ui_task polls its depth-10 queue once per frame; a burst of events fills it and the senders block until polls make room.',
  },
  {
    id: 'libipc-power-off-reset',
    scenario: LIBIPC_POWER_OFF_RESET,
    group: 'libipc ports',
    story:
      'The power-off timer sends to a full 4-slot queue with a 100 ms timeout; the send fails and the device resets with MCU_RESET_SHUTDOWN_IPC_FAILED.',
  },
  {
    id: 'libipc-proto-stale',
    scenario: LIBIPC_PROTO_STALE,
    group: 'libipc ports',
    story:
      'A proto command routed with seq 1 times out while its handler is busy; the late response is dropped as stale, and seq 2 is answered in time.',
  },
  {
    id: 'libipc-by-reference',
    scenario: LIBIPC_BY_REFERENCE,
    group: 'libipc ports',
    story:
      'A sender rewrites its static message while earlier sends still point at it: the checker flags reference-overwritten.',
  },
  {
    id: 'libipc-by-copy',
    scenario: LIBIPC_BY_REFERENCE_FIXED,
    group: 'libipc ports',
    story: 'The same sends with ipc_send_cp: each message is a mempool copy the receiver releases.',
  },
  {
    id: 'libipc-two-cores',
    scenario: LIBIPC_TWO_CORES,
    group: 'libipc ports',
    story:
      'Ports across two cores: the radio core streams reports to a port on the application core, which routes proto commands back; one mempool in shared memory, a doorbell wakes the waiting task. Try it on Workers.',
  },
];

/** Rendezvous IPC as Anckor, Hubris, QNX and L4 do it (reference libipc-and-channels.md §2–3). */
export const CHANNEL_DEMOS: readonly Demo[] = [
  {
    id: 'channels-anckor-ping',
    scenario: CHANNELS_ANCKOR_PING,
    group: 'Synchronous channels',
    story: 'Anckor’s own ping test: MAGIC_WORD in one register and a direct switch, receiver first, then sender first.',
  },
  {
    id: 'channels-client-server',
    scenario: CHANNELS_CLIENT_SERVER,
    group: 'Synchronous channels',
    story:
      'A server with replies: 8-byte calls go in a register, 64-byte ones through the channel buffer; a timer’s notification bits arrive at the next receive.',
  },
  {
    id: 'channels-deadlock',
    scenario: CHANNELS_DEADLOCK,
    group: 'Synchronous channels',
    story: 'Two servers call each other while handling a request: a cycle of blocked sends, named by the checker.',
  },
  {
    id: 'channels-priority-inversion',
    scenario: CHANNELS_PRIORITY_INVERSION,
    group: 'Synchronous channels',
    story: 'A high-priority client waits 2 ms for a low-priority server that a medium task preempts.',
  },
  {
    id: 'channels-priority-inheritance',
    scenario: CHANNELS_PRIORITY_INHERITANCE,
    group: 'Synchronous channels',
    story: 'The same with priority inheritance: the server runs at its client’s priority and replies after 200 µs.',
  },
  {
    id: 'channels-server-restart',
    scenario: CHANNELS_SERVER_RESTART,
    group: 'Synchronous channels',
    story: 'The server faults and restarts with a new generation; its waiting clients get a dead code and send again.',
  },
  {
    id: 'channels-anckor-two-senders',
    scenario: CHANNELS_ANCKOR_TWO_SENDERS,
    group: 'Synchronous channels',
    story: 'Faithful Anckor: a second sender overwrites the first in the channel’s one slot; the first is never woken.',
  },
];

/** The field failures of the catalogue: each failing run, then the configuration that avoids it. */
export const FIELD_FAILURES: readonly Demo[] = FAULT_PRESETS.flatMap((p): Demo[] => [
  { id: p.id.toLowerCase(), scenario: p.scenario, group: 'Field failures', story: `${p.id} · ${p.title}: ${p.story}` },
  ...(p.fixed
    ? [
        {
          id: `${p.id.toLowerCase()}-fixed`,
          scenario: p.fixed.scenario,
          group: 'Field failures' as const,
          story: `${p.id}, avoided (${p.fixed.label}): the same run, configured the way that does not fail.`,
        },
      ]
    : []),
]);

export const SCENARIOS: readonly Demo[] = [...DEMOS, ...LIBIPC_DEMOS, ...CHANNEL_DEMOS, ...FIELD_FAILURES];

export const DEMO_SCENARIO: ScenarioInput = ICMSG_HELLO;
