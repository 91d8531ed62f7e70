/**
 * ICMsg scenarios that later issues grow into the preset gallery; here they are the fixtures of
 * the tests and the benchmark. `icmsgScenario` builds the usual two-core layout: an application
 * core and a radio core, one region each way, two doorbell channels.
 */
import type { ScenarioInput } from '../schema';
import { twoCores } from './twoCores';

type Behaviour = ScenarioInput['endpoints'][number]['behaviour'];

export interface IcmsgScenarioOptions {
  readonly name?: string;
  readonly seed?: number;
  readonly regionSize?: number;
  readonly dcacheAlignment?: number;
  readonly unbound?: 'disable' | 'enable' | 'detect';
  readonly zephyr?: '4.1' | '3.6';
  /** Behaviour of the endpoint on the application core and on the radio core (none: no endpoint). */
  readonly app?: Behaviour;
  readonly rad?: Behaviour;
  readonly radBootAtUs?: number;
  readonly runtime?: ScenarioInput['runtime'];
}

export function icmsgScenario(o: IcmsgScenarioOptions): ScenarioInput {
  const size = o.regionSize ?? 1024;
  const node = (domain: string, tx: string, rx: string, mboxTx: string, mboxRx: string) => ({
    node: 'ipc0',
    domain,
    compatible: 'zephyr,ipc-icmsg' as const,
    'tx-region': tx,
    'rx-region': rx,
    ...(o.dcacheAlignment === undefined ? {} : { 'dcache-alignment': o.dcacheAlignment }),
    unbound: o.unbound ?? 'disable',
    mboxes: { tx: mboxTx, rx: mboxRx },
    zephyr: o.zephyr ?? '4.1',
  });
  return {
    version: 1,
    name: o.name ?? 'ICMsg between two cores',
    seed: o.seed ?? 1,
    ...twoCores(size, o.radBootAtUs),
    instances: [
      node('cpuapp', 'sram_app_to_rad', 'sram_rad_to_app', 'app_to_rad', 'rad_to_app'),
      node('cpurad', 'sram_rad_to_app', 'sram_app_to_rad', 'rad_to_app', 'app_to_rad'),
    ],
    endpoints: [
      ...(o.app ? [{ domain: 'cpuapp', instance: 'ipc0', name: 'ep0', behaviour: o.app }] : []),
      ...(o.rad ? [{ domain: 'cpurad', instance: 'ipc0', name: 'ep0', behaviour: o.rad }] : []),
    ],
    ...(o.runtime ? { runtime: o.runtime } : {}),
  };
}

/** Ping from the application core, echo on the radio core, ICMsg 1.1 sessions. */
export const ICMSG_PING_ECHO = icmsgScenario({
  name: 'ICMsg ping / echo (unbound = enable)',
  unbound: 'enable',
  dcacheAlignment: 32,
  app: { kind: 'ping', periodUs: 50, size: 16 },
  rad: { kind: 'echo' },
  radBootAtUs: 120,
});

/**
 * The app's opening demo: two cores bind over ICMsg 1.1 (the radio core boots 120 µs late, so the
 * application core waits in INITIALIZING_SID_ENABLED), then three round trips. Small regions, so
 * every byte fits on screen. Messages can be added by hand from either endpoint.
 */
export const ICMSG_HELLO = icmsgScenario({
  name: 'Two-core ICMsg: bind, then three round trips',
  unbound: 'enable',
  dcacheAlignment: 32,
  regionSize: 256,
  app: { kind: 'pingpong', size: 16, count: 3, pauseUs: 30 },
  rad: { kind: 'echo' },
  radBootAtUs: 120,
  runtime: { mode: 'inline' },
});

/**
 * 500 closed-loop round trips (one message in flight), so every message arrives on either runtime
 * however the host schedules the worker threads: the runtimes' comparison.
 */
export const ICMSG_ECHO_500 = icmsgScenario({
  name: 'Two-core ICMsg echo, 500 round trips',
  unbound: 'enable',
  dcacheAlignment: 32,
  app: { kind: 'pingpong', size: 32, count: 500, pauseUs: 50 },
  rad: { kind: 'echo' },
  radBootAtUs: 120,
  runtime: { mode: 'inline' },
});

/**
 * A ring full and backpressure: the application core streams 48-byte messages into a 256-byte
 * region faster than the radio core, busy 40 µs per message, takes them; send() answers -ENOMEM
 * whenever the ring is full and the stream tries again 10 µs later. Every message still arrives,
 * in order.
 */
export const ICMSG_BACKPRESSURE: ScenarioInput = {
  ...icmsgScenario({
    name: 'ICMsg: a full ring and backpressure',
    unbound: 'enable',
    dcacheAlignment: 32,
    regionSize: 256,
    app: { kind: 'stream', size: 48, count: 60, retryUs: 10 },
    rad: { kind: 'sink' },
    radBootAtUs: 20,
  }),
  runtime: { mode: 'inline', costs: { workUs: 40 } },
};
