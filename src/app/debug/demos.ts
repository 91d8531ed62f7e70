/** The scenarios the debugger offers to open; the first is what the app opens on. */
import {
  ICBMSG_NOCOPY_HOLD,
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
}

export const DEMOS: readonly Demo[] = [
  {
    id: 'icmsg-hello',
    scenario: ICMSG_HELLO,
    story: 'The radio core boots late; watch both ICMsg 1.1 endpoints bind, then three pings come back.',
  },
  {
    id: 'icbmsg-three-endpoints',
    scenario: ICBMSG_THREE_ENDPOINTS,
    story:
      'Three endpoints bind by name over one ICBMsg instance; the data travels in shared blocks, only 3-byte control messages in the ICMsg ring.',
  },
  {
    id: 'icbmsg-nocopy-hold',
    scenario: ICBMSG_NOCOPY_HOLD,
    story:
      'No-copy sends into buffers the receiver holds: watch the block map fill, the sender block in get_tx_buffer, and each release free its blocks.',
  },
  {
    id: 'icmsg-echo-500',
    scenario: ICMSG_ECHO_500,
    story: '500 round trips, one in flight: compare the inline and worker runtimes.',
  },
];

export const DEMO_SCENARIO: ScenarioInput = ICMSG_HELLO;
