/**
 * ICBMsg scenarios: the usual two-core layout (an application core and a radio core, one region
 * each way, two doorbell channels) with a legacy ICBMsg instance on each side and several
 * endpoints, as Bluetooth HCI plus application channels use it on nRF53/54.
 */
import type { ScenarioInput } from '../schema';
import { twoCores } from './twoCores';

type Endpoint = ScenarioInput['endpoints'][number];

export interface IcbmsgScenarioOptions {
  readonly name?: string;
  readonly seed?: number;
  readonly regionSize?: number;
  readonly dcacheAlignment?: number;
  /** Blocks of the application core's TX region (the radio core's RX) and the other way. */
  readonly appToRadBlocks?: number;
  readonly radToAppBlocks?: number;
  /** Endpoints, by name: behaviour on the application core and on the radio core. */
  readonly endpoints: readonly {
    readonly name: string;
    readonly app: Endpoint['behaviour'];
    readonly rad: Endpoint['behaviour'];
  }[];
  readonly radBootAtUs?: number;
  readonly runtime?: ScenarioInput['runtime'];
}

export function icbmsgScenario(o: IcbmsgScenarioOptions): ScenarioInput {
  const size = o.regionSize ?? 2048;
  const appToRad = o.appToRadBlocks ?? 16;
  const radToApp = o.radToAppBlocks ?? 16;
  const node = (
    domain: string,
    tx: string,
    rx: string,
    mboxTx: string,
    mboxRx: string,
    txBlocks: number,
    rxBlocks: number,
  ) => ({
    node: 'ipc0',
    domain,
    compatible: 'zephyr,ipc-icbmsg' as const,
    'tx-region': tx,
    'rx-region': rx,
    ...(o.dcacheAlignment === undefined ? {} : { 'dcache-alignment': o.dcacheAlignment }),
    'tx-blocks': txBlocks,
    'rx-blocks': rxBlocks,
    mboxes: { tx: mboxTx, rx: mboxRx },
  });
  return {
    version: 1,
    name: o.name ?? 'ICBMsg between two cores',
    seed: o.seed ?? 1,
    ...twoCores(size, o.radBootAtUs),
    instances: [
      node('cpuapp', 'sram_app_to_rad', 'sram_rad_to_app', 'app_to_rad', 'rad_to_app', appToRad, radToApp),
      node('cpurad', 'sram_rad_to_app', 'sram_app_to_rad', 'rad_to_app', 'app_to_rad', radToApp, appToRad),
    ],
    endpoints: o.endpoints.flatMap((e) => [
      { domain: 'cpuapp', instance: 'ipc0', name: e.name, behaviour: e.app },
      { domain: 'cpurad', instance: 'ipc0', name: e.name, behaviour: e.rad },
    ]),
    ...(o.runtime ? { runtime: o.runtime } : {}),
  };
}

/** Three endpoints on one ICBMsg instance: each side pings its peer's echo, one in flight each. */
export const ICBMSG_THREE_ENDPOINTS = icbmsgScenario({
  name: 'ICBMsg: three endpoints on one instance',
  dcacheAlignment: 32,
  radBootAtUs: 80,
  endpoints: [
    { name: 'hci', app: { kind: 'pingpong', size: 40, count: 5, pauseUs: 20 }, rad: { kind: 'echo' } },
    { name: 'app', app: { kind: 'pingpong', size: 200, count: 5, pauseUs: 30 }, rad: { kind: 'echo' } },
    { name: 'log', app: { kind: 'echo' }, rad: { kind: 'pingpong', size: 16, count: 5, pauseUs: 10 } },
  ],
  runtime: { mode: 'inline' },
});

/**
 * No-copy bulk traffic: the application core writes 300-byte messages straight into its TX
 * blocks (`get_tx_buffer`, K_FOREVER, `send_nocopy`); the radio core holds each one for 150 µs
 * before releasing it, so the sender runs out of blocks and waits for releases.
 */
export const ICBMSG_NOCOPY_HOLD = icbmsgScenario({
  name: 'ICBMsg: no-copy sends into held buffers',
  appToRadBlocks: 8,
  radToAppBlocks: 8,
  radBootAtUs: 40,
  endpoints: [
    {
      name: 'bulk',
      app: { kind: 'stream', size: 300, count: 40, api: 'nocopy', txWaitMs: 'forever' },
      rad: { kind: 'sink', holdUs: 150 },
    },
  ],
  runtime: { mode: 'inline' },
});
