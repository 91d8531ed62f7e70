/** The scenarios the debugger offers to open; the first is what the app opens on. */
import {
  FAULT_PRESETS,
  ICBMSG_NOCOPY_HOLD,
  ICMSG_BACKPRESSURE,
  ICBMSG_THREE_ENDPOINTS,
  ICMSG_ECHO_500,
  ICMSG_HELLO,
  type ScenarioInput,
} from '../../core';

export interface Demo {
  readonly id: string;
  readonly scenario: ScenarioInput;
  /** One line: what the user will see. */
  readonly story: string;
  /** Where the scenario list shows it. */
  readonly group: 'Demos' | 'Field failures';
}

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

export const SCENARIOS: readonly Demo[] = [...DEMOS, ...FIELD_FAILURES];

export const DEMO_SCENARIO: ScenarioInput = ICMSG_HELLO;
