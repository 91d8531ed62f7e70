/**
 * The scenario's shared-memory regions as the ring inspector shows them: each region's pbuf layout
 * (exactly as the instance that writes it lays it out) and who writes, reads and rings for it.
 */
import { icmsgUsesHandshake, type IcmsgNodeSpec, pbufCfgInit, type PbufCfg, type Scenario } from '../../core';

/** What an instance runs, as a firmware engineer names it. */
export const backendLabel = (n: IcmsgNodeSpec): string =>
  n.zephyr === '3.6' ? 'ICMsg (Zephyr 3.6–4.0)' : n.unbound === 'disable' ? 'ICMsg 1.0' : 'ICMsg 1.1';

export interface RegionInfo {
  readonly name: string;
  /** Offset of the region's first byte in shared memory. */
  readonly offset: number;
  readonly size: number;
  /** Virtual address of the region's first byte. */
  readonly address: number;
  /** The pbuf layout, with locations as offsets into shared memory. */
  readonly cfg: PbufCfg;
  /** The instance (`domain/node`) that uses it as tx-region: it writes packets and wr_idx. */
  readonly writer: string | null;
  /** The instance that uses it as rx-region: it reads packets and writes rd_idx. */
  readonly reader: string | null;
  /** The mailbox channel the writer rings after writing (its `mboxes.tx`). */
  readonly doorbell: string | null;
}

export function regionsOf(scenario: Scenario): RegionInfo[] {
  return scenario.memory.regions.map((region): RegionInfo => {
    const writer = scenario.instances.find((n) => n['tx-region'] === region.name);
    const reader = scenario.instances.find((n) => n['rx-region'] === region.name);
    const node = writer ?? reader;
    const useHandshake = node !== undefined && icmsgUsesHandshake(node.zephyr, node.unbound);
    return {
      name: region.name,
      offset: region.offset,
      size: region.size,
      address: scenario.memory.base + region.offset,
      cfg: pbufCfgInit(region.offset, region.size, node?.['dcache-alignment'] ?? 0, useHandshake),
      writer: writer ? `${writer.domain}/${writer.node}` : null,
      reader: reader ? `${reader.domain}/${reader.node}` : null,
      doorbell: writer?.mboxes.tx ?? null,
    };
  });
}
