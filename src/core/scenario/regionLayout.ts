/**
 * Where things lie in a scenario's shared-memory region, as the instance that writes it lays it
 * out: the pbuf (the whole region for ICMsg; the ICMsg control area at its start for ICBMsg) with
 * locations as offsets into shared memory, and for ICBMsg the blocks after it. The debugger draws
 * regions from this and fault injection finds fields (`rd_idx`, a block header…) with it.
 */
import { icbmsgLayout } from '../backends/icbmsg/layout';
import { icmsgUsesHandshake } from '../backends/icmsg/icmsgWire';
import { pbufCfgInit, type PbufCfg } from '../shm/pbuf';
import { asBuilt } from './asBuilt';
import type { InstanceSpec, Scenario } from './schema';

export interface RegionBlocksLayout {
  /** Offset in shared memory of block 0 (its 4-byte size header). */
  readonly at: number;
  readonly blockSize: number;
  readonly blockCount: number;
}

export interface RegionLayout {
  readonly name: string;
  /** Offset of the region's first byte in shared memory, and its size. */
  readonly offset: number;
  readonly size: number;
  /** The node that uses it as tx-region / rx-region. */
  readonly writer: InstanceSpec | null;
  readonly reader: InstanceSpec | null;
  readonly backend: 'icmsg' | 'icbmsg';
  readonly cfg: PbufCfg;
  /** ICBMsg: the writer's TX blocks (the reader's RX blocks); null otherwise or when invalid. */
  readonly blocks: RegionBlocksLayout | null;
}

function icbmsgLayoutOf(
  n: InstanceSpec & { compatible: 'zephyr,ipc-icbmsg' },
  isTx: boolean,
  at: number,
  size: number,
) {
  return icbmsgLayout({
    regAddr: at,
    regSize: size,
    dcacheAlignment: n['dcache-alignment'] ?? 0,
    localBlocks: isTx ? n['tx-blocks'] : n['rx-blocks'],
    remoteBlocks: isTx ? n['rx-blocks'] : n['tx-blocks'],
  });
}

/** Every region of the scenario with its layout. */
export function regionLayouts(scenario: Scenario): RegionLayout[] {
  const base = scenario.memory.base;
  return scenario.memory.regions.map((region): RegionLayout => {
    const declaredWriter = scenario.instances.find((n) => n['tx-region'] === region.name) ?? null;
    const declaredReader = scenario.instances.find((n) => n['rx-region'] === region.name) ?? null;
    // The writer lays the region out as it was built (a misconfigured side included).
    const built = declaredWriter
      ? asBuilt(scenario, declaredWriter)
      : declaredReader
        ? asBuilt(scenario, declaredReader)
        : null;
    const writer = declaredWriter && built ? built.node : null;
    const reader = declaredReader;
    const node = built?.node ?? null;
    const shift = built?.alias?.region === region.name ? built.alias.offset : 0;
    const plain = pbufCfgInit(region.offset, region.size, 0, false);
    const common = { name: region.name, offset: region.offset, size: region.size, writer, reader };
    if (node === null) return { ...common, backend: 'icmsg', cfg: plain, blocks: null };
    if (node.compatible === 'zephyr,ipc-icmsg') {
      const cfg = pbufCfgInit(
        region.offset,
        region.size,
        node['dcache-alignment'] ?? 0,
        icmsgUsesHandshake(node.zephyr, node.unbound),
      );
      return { ...common, backend: 'icmsg', cfg, blocks: null };
    }
    const layout = icbmsgLayoutOf(node, writer !== null, base + region.offset + shift, region.size);
    if (!layout.ok) return { ...common, backend: 'icbmsg', cfg: plain, blocks: null };
    const l = layout.value;
    const begin = region.offset + (l.regionBegin - (base + region.offset + shift));
    return {
      ...common,
      backend: 'icbmsg',
      cfg: pbufCfgInit(begin, l.icmsgAreaSize, l.alignment, false),
      blocks: { at: begin + l.blocksOffset, blockSize: l.blockSize, blockCount: l.blockCount },
    };
  });
}
