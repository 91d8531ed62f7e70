/**
 * The scenario's shared-memory regions as the ring inspector shows them: each region's pbuf layout
 * (exactly as the instance that writes it lays it out) and who writes, reads and rings for it.
 */
import { decodeControl, type InstanceSpec, type PbufCfg, regionLayouts, type Scenario } from '../../core';

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

/**
 * The regions that hold a pbuf ring. libipc's area (`libipc.region`: port queues of `ipc_ref_t`,
 * the mempool, static objects) is no ring: the Ports panel shows it, so it is left out here unless
 * an ICMsg instance also names it as its tx- or rx-region. The same holds for the synchronous
 * channels' message buffer (`channels.region`).
 */
export function regionsOf(scenario: Scenario): RegionInfo[] {
  const areas = [scenario.libipc?.region, scenario.channels?.region];
  return regionLayouts(scenario)
    .filter((r) => !areas.includes(r.name) || r.writer !== null || r.reader !== null)
    .map((r): RegionInfo => ({
      name: r.name,
      offset: r.offset,
      size: r.size,
      address: scenario.memory.base + r.offset,
      cfg: r.cfg,
      writer: r.writer ? `${r.writer.domain}/${r.writer.node}` : null,
      reader: r.reader ? `${r.reader.domain}/${r.reader.node}` : null,
      doorbell: r.writer?.mboxes.tx ?? null,
      backend: r.backend,
      blockCount: r.blocks?.blockCount ?? 0,
    }));
}
