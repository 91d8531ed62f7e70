/**
 * What the ring inspector shows of one region at the time cursor, and its selection rules, as pure
 * functions of the memory, the trace and the store's selection (no React, so they are tested in
 * Node).
 *
 * Selection rule (Wireshark's click-a-byte, tied to the shared selection): clicking a byte or a
 * field focuses the deepest field there. When that field is part of a packet whose message the
 * trace knows, the shared selection becomes the message (so the timeline and every other view
 * light it); otherwise it becomes the field's bytes. The inspector remembers which field it
 * focused for the selection it made; a selection made elsewhere focuses the matching bytes' field
 * or the message's packet.
 */
import {
  type ByteRange,
  classifyPbufBytes,
  fieldPathAt,
  fieldPathById,
  type PbufByteMap,
  type PbufCfg,
  type PbufField,
  type PbufFieldTree,
  type PbufPacketView,
  pbufFieldTree,
} from '../../../core';
import { describeControl, type RegionInfo } from '../../debug/regions';
import { messageColour } from '../../theme/colours';
import { type Selection, sameSelection } from '../../store/selectionSlice';
import { type PacketOrigin, packetOrigins, type RegionPackets } from './packetHistory';

export interface RegionView {
  readonly region: RegionInfo;
  /** The region's bytes at the cursor (a copy). */
  readonly bytes: Uint8Array;
  /** The layout with locations as offsets into `bytes`. */
  readonly cfg: PbufCfg;
  readonly tree: PbufFieldTree;
  readonly byteMap: PbufByteMap;
  /** By header data[] index: the message of each packet in the ring, per the trace. */
  readonly origins: ReadonlyMap<number, PacketOrigin>;
}

/** The domain of an instance key `domain/node`. */
export const domainOf = (instance: string | null): string | null => instance?.split('/')[0] ?? null;

/** `sram_app_to_rad · cpuapp → cpurad`: the region, its writer and its reader. */
export const regionTitle = (r: RegionInfo): string =>
  `${r.name} · ${domainOf(r.writer) ?? '—'} → ${domainOf(r.reader) ?? '—'}`;

/** The region's layout with locations relative to its first byte. */
export function localCfg(region: RegionInfo): PbufCfg {
  const { cfg, offset } = region;
  return {
    ...cfg,
    rdIdxLoc: cfg.rdIdxLoc - offset,
    handshakeLoc: cfg.handshakeLoc === null ? null : cfg.handshakeLoc - offset,
    wrIdxLoc: cfg.wrIdxLoc - offset,
    dataLoc: cfg.dataLoc - offset,
  };
}

/** Decodes `region` from `memory` (all of shared memory) at table index `cursor`. */
export function buildRegionView(
  region: RegionInfo,
  memory: Uint8Array,
  packets: RegionPackets,
  cursor: number,
): RegionView {
  const bytes = memory.slice(region.offset, region.offset + region.size);
  const cfg = localCfg(region);
  const tree = pbufFieldTree(bytes, cfg, region.backend === 'icbmsg' ? { describePayload: describeControl } : {});
  const byteMap = classifyPbufBytes(cfg, tree.size, tree.inspection);
  const origins = packetOrigins(
    packets,
    cursor,
    tree.inspection.packets.map((p) => p.headerIdx),
  );
  return { region, bytes, cfg, tree, byteMap, origins };
}

export const msgIdOf = (view: RegionView, packet: PbufPacketView): number | null =>
  view.origins.get(packet.headerIdx)?.msgId ?? null;

/** The packet in the ring that carries `msgId`, if any. */
export function packetOfMessage(view: RegionView, msgId: number): PbufPacketView | null {
  return view.tree.inspection.packets.find((p) => msgIdOf(view, p) === msgId) ?? null;
}

export function packetAt(view: RegionView, headerIdx: number | null): PbufPacketView | null {
  if (headerIdx === null) return null;
  return view.tree.inspection.packets.find((p) => p.headerIdx === headerIdx) ?? null;
}

/** Packets whose message the trace does not know are drawn grey. */
export const UNKNOWN_MESSAGE_COLOUR = '#6e7681';

export function packetColour(view: RegionView, packet: PbufPacketView): string {
  const id = msgIdOf(view, packet);
  return id === null ? UNKNOWN_MESSAGE_COLOUR : messageColour(id);
}

/** How a packet is named: `#msgId` when the trace knows its message, else its place in the FIFO. */
export function packetName(view: RegionView, packet: PbufPacketView): string {
  const id = msgIdOf(view, packet);
  return id === null ? `p${packet.seq}` : `#${id}`;
}

/** The shared selection a click on `field` makes (see the rule in the header). */
export function selectionForField(view: RegionView, field: PbufField): Selection | null {
  const packet = packetAt(view, field.packet);
  const msgId = packet ? msgIdOf(view, packet) : null;
  if (msgId !== null) return { kind: 'message', msgId };
  const first = field.ranges[0];
  if (!first) return null;
  return { kind: 'bytes', region: view.region.name, offset: first.offset, length: first.length };
}

/** A field the inspector focused, and the shared selection it made with it. */
export interface LocalFocus {
  readonly fieldId: string;
  readonly made: Selection | null;
}

/** The fields from the top down to the focused one (empty: nothing focused in this region). */
export function focusedPath(
  view: RegionView,
  selection: Selection | null,
  message: number | null,
  local: LocalFocus | null,
): PbufField[] {
  const { fields } = view.tree;
  if (local && sameSelection(local.made, selection)) {
    const path = fieldPathById(fields, local.fieldId);
    if (path.length > 0) return path;
  }
  if (selection?.kind === 'bytes' && selection.region === view.region.name) {
    // The deepest field whose bytes start exactly where the selection does, else the deepest there.
    const path = fieldPathAt(fields, selection.offset);
    for (let i = path.length - 1; i >= 0; i--) {
      const r = path[i]?.ranges[0];
      if (r && r.offset === selection.offset && r.length === selection.length) return path.slice(0, i + 1);
    }
    return path;
  }
  if (message !== null) {
    const packet = packetOfMessage(view, message);
    if (packet) return fieldPathById(fields, `pk@${packet.headerIdx}`);
  }
  return [];
}

/** The byte ranges of the packet whose header is at `headerIdx`. */
export function packetRanges(view: RegionView, headerIdx: number | null): readonly ByteRange[] {
  if (headerIdx === null) return [];
  return fieldPathById(view.tree.fields, `pk@${headerIdx}`).at(-1)?.ranges ?? [];
}
