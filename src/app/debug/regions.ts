/**
 * The scenario's shared-memory regions as the ring inspector shows them: each region's pbuf layout
 * (exactly as the instance that writes it lays it out) and who writes, reads and rings for it.
 */
import {
  decodeControl,
  icbmsgLayout,
  icmsgUsesHandshake,
  type InstanceSpec,
  pbufCfgInit,
  type PbufCfg,
  type Scenario,
} from '../../core';

/** What an instance runs, as a firmware engineer names it. */
export const backendLabel = (n: InstanceSpec): string =>
  n.compatible === 'zephyr,ipc-icbmsg'
    ? 'ICBMsg'
    : n.zephyr === '3.6'
      ? 'ICMsg (Zephyr 3.6–4.0)'
      : n.unbound === 'disable'
        ? 'ICMsg 1.0'
        : 'ICMsg 1.1';

/** The devicetree properties that matter most, on one line. */
export const nodeSummary = (n: InstanceSpec): string =>
  n.compatible === 'zephyr,ipc-icbmsg'
    ? `blocks ${n['tx-blocks']}/${n['rx-blocks']} · dcache-alignment=${n['dcache-alignment'] ?? 0}`
    : `unbound=${n.unbound} · dcache-alignment=${n['dcache-alignment'] ?? 0}`;

/**
 * The pbuf an instance's region holds, with locations as offsets into shared memory: the whole
 * region for ICMsg, the ICMsg area at its start for ICBMsg (null when the layout is invalid).
 */
function pbufOf(
  n: InstanceSpec | undefined,
  isTx: boolean,
  region: { offset: number; size: number },
  base: number,
): PbufCfg | null {
  if (n === undefined) return pbufCfgInit(region.offset, region.size, 0, false);
  if (n.compatible === 'zephyr,ipc-icmsg') {
    return pbufCfgInit(region.offset, region.size, n['dcache-alignment'] ?? 0, icmsgUsesHandshake(n.zephyr, n.unbound));
  }
  // The region's blocks are its writer's TX blocks (the reader's RX blocks).
  const mine = isTx ? n['tx-blocks'] : n['rx-blocks'];
  const other = isTx ? n['rx-blocks'] : n['tx-blocks'];
  const layout = icbmsgLayout({
    regAddr: base + region.offset,
    regSize: region.size,
    dcacheAlignment: n['dcache-alignment'] ?? 0,
    localBlocks: mine,
    remoteBlocks: other,
  });
  if (!layout.ok) return null;
  const begin = region.offset + (layout.value.regionBegin - (base + region.offset));
  return pbufCfgInit(begin, layout.value.icmsgAreaSize, layout.value.alignment, false);
}

function blockCountOf(
  n: InstanceSpec | undefined,
  isTx: boolean,
  region: { readonly offset: number; readonly size: number },
  base: number,
): number {
  if (n?.compatible !== 'zephyr,ipc-icbmsg') return 0;
  const layout = icbmsgLayout({
    regAddr: base + region.offset,
    regSize: region.size,
    dcacheAlignment: n['dcache-alignment'] ?? 0,
    localBlocks: isTx ? n['tx-blocks'] : n['rx-blocks'],
    remoteBlocks: isTx ? n['rx-blocks'] : n['tx-blocks'],
  });
  return layout.ok ? layout.value.blockCount : 0;
}

export interface RegionInfo {
  readonly name: string;
  /** Offset of the region's first byte in shared memory. */
  readonly offset: number;
  readonly size: number;
  /** Virtual address of the region's first byte. */
  readonly address: number;
  /** The pbuf layout (for ICBMsg, of the ICMsg area), with locations as offsets into shared memory. */
  readonly cfg: PbufCfg;
  /** The instance (`domain/node`) that uses it as tx-region: it writes packets and wr_idx. */
  readonly writer: string | null;
  /** The instance that uses it as rx-region: it reads packets and writes rd_idx. */
  readonly reader: string | null;
  /** The mailbox channel the writer rings after writing (its `mboxes.tx`). */
  readonly doorbell: string | null;
  /** What the pbuf carries: ICMsg packets, or (ICBMsg) 3-byte control messages for blocks after it. */
  readonly backend: 'icmsg' | 'icbmsg';
  /** ICBMsg: how many blocks follow the ICMsg area (its writer's TX blocks); 0 otherwise. */
  readonly blockCount: number;
}

/** An ICBMsg control message in words (`MSG_DATA ept 1 block 3`), or null when it is none. */
export function describeControl(payload: Uint8Array): string | null {
  const m = decodeControl(payload, 255);
  return m === null || typeof m === 'string' ? null : `${m.type} ept ${m.eptAddr} block ${m.blockIndex}`;
}

export function regionsOf(scenario: Scenario): RegionInfo[] {
  return scenario.memory.regions.map((region): RegionInfo => {
    const writer = scenario.instances.find((n) => n['tx-region'] === region.name);
    const reader = scenario.instances.find((n) => n['rx-region'] === region.name);
    const node = writer ?? reader;
    const cfg =
      pbufOf(node, writer !== undefined, region, scenario.memory.base) ??
      pbufCfgInit(region.offset, region.size, 0, false);
    return {
      name: region.name,
      offset: region.offset,
      size: region.size,
      address: scenario.memory.base + region.offset,
      cfg,
      writer: writer ? `${writer.domain}/${writer.node}` : null,
      reader: reader ? `${reader.domain}/${reader.node}` : null,
      doorbell: writer?.mboxes.tx ?? null,
      backend: node?.compatible === 'zephyr,ipc-icbmsg' ? 'icbmsg' : 'icmsg',
      blockCount: blockCountOf(node, writer !== undefined, region, scenario.memory.base),
    };
  });
}
