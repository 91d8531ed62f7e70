/**
 * ICMsg scenarios that later issues grow into the preset gallery; here they are the fixtures of
 * the tests and the benchmark. `icmsgScenario` builds the usual two-core layout: an application
 * core and a radio core, one region each way, two doorbell channels.
 */
import type { ScenarioInput } from '../schema';

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
    memory: {
      size: 2 * size,
      regions: [
        { name: 'sram_app_to_rad', offset: 0, size },
        { name: 'sram_rad_to_app', offset: size, size },
      ],
    },
    domains: [{ name: 'cpuapp' }, { name: 'cpurad', bootAtUs: o.radBootAtUs ?? 0 }],
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
