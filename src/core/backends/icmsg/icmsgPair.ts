/**
 * Two ICMsg instances facing each other over two regions, as two cores hold them: side A's TX
 * region is side B's RX region and the other way round, with one doorbell channel each way.
 * The starting point of the conformance runner, the contract suite, tests and benchmarks.
 */
import { fail, ok, type Outcome } from '../../outcome';
import { MemoryMap } from '../../shm/MemoryMap';
import type { PbufMode } from '../../shm/pbuf';
import type { MailboxTiming } from '../../sim/Mailbox';
import { type AssertMode, Simulation, type StepCosts } from '../../sim/Simulation';
import { Icmsg, type IcmsgConfig } from './Icmsg';
import type { IcmsgMachine } from './icmsgMachine';
import type { UnboundMode } from './icmsgWire';

export interface IcmsgPairSpec {
  readonly regionSize: number;
  readonly dcacheAlignment: number;
  readonly unbound: UnboundMode | { readonly A: UnboundMode; readonly B: UnboundMode };
  readonly seed?: number;
  readonly fill?: number;
  readonly shared?: boolean;
  readonly mailbox?: Partial<MailboxTiming>;
  readonly costs?: Partial<StepCosts>;
  readonly assertMode?: AssertMode;
  readonly pbufMode?: PbufMode;
  readonly rxBufferSize?: number;
  readonly machine?: IcmsgMachine;
}

export interface IcmsgPair {
  readonly sim: Simulation;
  readonly A: Icmsg;
  readonly B: Icmsg;
}

export const REGION_A_TO_B = 'A->B';
export const REGION_B_TO_A = 'B->A';

export function createIcmsgPair(spec: IcmsgPairSpec): Outcome<IcmsgPair, string> {
  const size = spec.regionSize;
  const buffer = spec.shared === true ? new SharedArrayBuffer(2 * size) : new ArrayBuffer(2 * size);
  const created = MemoryMap.create({
    buffer,
    regions: [
      { name: REGION_A_TO_B, offset: 0, size },
      { name: REGION_B_TO_A, offset: size, size },
    ],
  });
  if (!created.ok) return fail(created.error.map((e) => `${e.path}: ${e.message}`).join('; '));
  const map = created.value;
  map.bytes.fill(spec.fill ?? 0);
  const sim = new Simulation(map, {
    seed: spec.seed ?? 1,
    ...(spec.mailbox ? { mailbox: spec.mailbox } : {}),
    ...(spec.costs ? { costs: spec.costs } : {}),
    ...(spec.assertMode ? { assertMode: spec.assertMode } : {}),
  });
  sim.defineChannel('A->B', 'A', 'B');
  sim.defineChannel('B->A', 'B', 'A');
  const [aToB, bToA] = [map.region(REGION_A_TO_B), map.region(REGION_B_TO_A)];
  if (!aToB || !bToA) return fail('regions missing');
  const modes = typeof spec.unbound === 'string' ? { A: spec.unbound, B: spec.unbound } : spec.unbound;
  const side = (name: 'A' | 'B'): Icmsg => {
    const config: IcmsgConfig = {
      name: `icmsg-${name}`,
      txRegion: name === 'A' ? aToB : bToA,
      rxRegion: name === 'A' ? bToA : aToB,
      dcacheAlignment: spec.dcacheAlignment,
      unbound: modes[name],
      mboxTx: name === 'A' ? 'A->B' : 'B->A',
      mboxRx: name === 'A' ? 'B->A' : 'A->B',
      ...(spec.pbufMode ? { pbufMode: spec.pbufMode } : {}),
      ...(spec.rxBufferSize ? { rxBufferSize: spec.rxBufferSize } : {}),
    };
    const icmsg = new Icmsg(sim.kernel(name), config, spec.machine);
    sim.register(`icmsg:${name}`, icmsg);
    return icmsg;
  };
  return ok({ sim, A: side('A'), B: side('B') });
}
