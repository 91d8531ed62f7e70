/**
 * A two-core ICBMsg rig for tests: one instance per core over two regions (core B's RX blocks lie
 * lower, so B is the initiator), endpoints registered straight through the IPC service front.
 */
import * as ipc from '../../ipc/ipcService';
import { createEndpoint, type EndpointConfig, type IpcInstance } from '../../ipc/types';
import { MemoryMap } from '../../shm/MemoryMap';
import { Simulation } from '../../sim/Simulation';
import { decodeUtf8 } from '../../utf8';
import { Icbmsg } from './Icbmsg';

const REGION = 1024;

/**
 * Two cores, one ICBMsg instance each, over two 1 KiB regions (8 blocks each way). Core B's RX
 * blocks lie lower (region 0), so B is the initiator.
 */
export function rig(blocks = 8, mode: 'faithful' | 'hardened' = 'faithful') {
  const created = MemoryMap.create({
    buffer: new ArrayBuffer(2 * REGION),
    regions: [
      { name: 'a_to_b', offset: 0, size: REGION },
      { name: 'b_to_a', offset: REGION, size: REGION },
    ],
  });
  if (!created.ok) throw new Error('map');
  const map = created.value;
  const sim = new Simulation(map, { seed: 3 });
  sim.defineChannel('a->b', 'A', 'B');
  sim.defineChannel('b->a', 'B', 'A');
  const [ab, ba] = [map.region('a_to_b'), map.region('b_to_a')];
  if (!ab || !ba) throw new Error('regions');
  const side = (name: 'A' | 'B') => {
    const kernel = sim.kernel(name);
    const made = Icbmsg.create(kernel, {
      name: 'ipc0',
      txRegion: name === 'A' ? ab : ba,
      rxRegion: name === 'A' ? ba : ab,
      dcacheAlignment: 0,
      txBlocks: blocks,
      rxBlocks: blocks,
      mboxTx: name === 'A' ? 'a->b' : 'b->a',
      mboxRx: name === 'A' ? 'b->a' : 'a->b',
      mode,
    });
    if (!made.ok) throw new Error(made.error);
    sim.register(`icbmsg:${name}`, made.value);
    const instance: IpcInstance = { name: 'ipc0', backend: made.value, kernel };
    return { backend: made.value, instance, kernel };
  };
  return { sim, map, A: side('A'), B: side('B') };
}

export interface Log {
  bound: number;
  received: string[];
}

export function endpoint(instance: IpcInstance, name: string, log: Log, onReceived?: (data: Uint8Array) => void) {
  const ept = createEndpoint();
  const cfg: EndpointConfig = {
    name,
    cb: {
      bound: () => (log.bound += 1),
      received: (data) => {
        log.received.push(decodeUtf8(data));
        onReceived?.(data);
      },
    },
  };
  return { ept, cfg, register: () => ipc.registerEndpoint(instance, ept, cfg) };
}
