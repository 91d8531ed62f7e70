import { describe, expect, it } from 'vitest';
import { MemoryMap, MemoryView, Pbuf, pbufCfgInit, type TraceBody } from '../../../core';
import type { RegionInfo } from '../../debug/regions';
import { ColumnTrace } from '../../trace/TraceTable';
import { packetHistoryOf } from './packetHistory';
import {
  buildRegionView,
  focusedPath,
  packetName,
  packetOfMessage,
  regionTitle,
  selectionForField,
} from './regionView';

/** Two 64-byte regions; the inspected one is the second, at shared-memory offset 64. */
function setup() {
  const created = MemoryMap.create({
    buffer: new ArrayBuffer(128),
    regions: [
      { name: 'sram_app_to_rad', offset: 0, size: 64 },
      { name: 'sram_rad_to_app', offset: 64, size: 64 },
    ],
  });
  if (!created.ok) throw new Error('memory map');
  const map = created.value;
  const cfg = pbufCfgInit(64, 64, 0, false); // rd_idx @64, wr_idx @68, data[56] @72
  const writer = new Pbuf(cfg, new MemoryView(map, 'cpurad'));
  const reader = new Pbuf(cfg, new MemoryView(map, 'cpuapp'));
  writer.txInit();
  reader.rxInit();
  const region: RegionInfo = {
    name: 'sram_rad_to_app',
    offset: 64,
    size: 64,
    address: map.base + 64,
    cfg,
    writer: 'cpurad/ipc0',
    reader: 'cpuapp/ipc0',
    doorbell: 'rad_to_app',
    backend: 'icmsg',
    blockCount: 0,
  };
  const table = new ColumnTrace();
  let seq = 0;
  const trace = (body: TraceBody) => table.append({ ...body, seq, t: ++seq * 100, domain: 'cpurad' });
  return { map, region, writer, reader, table, trace };
}

describe('region view', () => {
  it('decodes the region from its own first byte and names each packet by the message the trace gives it', () => {
    const { map, region, writer, reader, table, trace } = setup();
    writer.write(Uint8Array.of(1, 2, 3, 4, 5), 5);
    trace({ kind: 'packet-written', region: region.name, offset: 0, length: 5, msgId: 41 });
    writer.write(Uint8Array.of(6, 7), 2);
    trace({ kind: 'packet-written', region: region.name, offset: 12, length: 2, msgId: 42 });
    reader.read(new Uint8Array(16));
    trace({ kind: 'packet-read', region: region.name, offset: 0, length: 5, msgId: 41 });
    map.bytes.fill(0xee, 0, 64); // the other region's bytes never show up here

    const view = buildRegionView(region, map.bytes, packetHistoryOf(table).region(region.name), table.length);
    expect(view.bytes.length).toBe(64);
    expect(view.tree.inspection.packets.map((p) => packetName(view, p))).toEqual(['#42']);
    expect(packetOfMessage(view, 42)?.headerIdx).toBe(12);
    expect(packetOfMessage(view, 41)).toBeNull();
    // At an earlier cursor (before the read) the trace names the packet the memory no longer holds.
    expect(
      buildRegionView(region, map.bytes, packetHistoryOf(table).region(region.name), 1).origins.get(12)?.msgId,
    ).toBe(null);
  });

  it('titles a region with its writer and reader domains', () => {
    expect(regionTitle(setup().region)).toBe('sram_rad_to_app · cpurad → cpuapp');
  });

  it('names a packet the trace does not know by its place in the FIFO', () => {
    const { map, region, writer, table } = setup();
    writer.write(Uint8Array.of(1), 1);
    const view = buildRegionView(region, map.bytes, packetHistoryOf(table).region(region.name), 0);
    expect(view.tree.inspection.packets.map((p) => packetName(view, p))).toEqual(['p0']);
  });
});

describe('selection rule', () => {
  function twoPackets() {
    const s = setup();
    s.writer.write(Uint8Array.of(1, 2, 3), 3);
    s.trace({ kind: 'packet-written', region: s.region.name, offset: 0, length: 3, msgId: 7 });
    s.writer.write(Uint8Array.of(4), 1); // untraced: unknown message
    const view = buildRegionView(s.region, s.map.bytes, packetHistoryOf(s.table).region(s.region.name), s.table.length);
    return { ...s, view };
  }

  it('selects the message when the clicked field belongs to a packet whose message is known', () => {
    const { view } = twoPackets();
    const len = focusedPath(view, { kind: 'bytes', region: view.region.name, offset: 8, length: 2 }, null, null).at(-1);
    expect(len?.id).toBe('pk@0/header/len');
    if (!len) return;
    expect(selectionForField(view, len)).toEqual({ kind: 'message', msgId: 7 });
  });

  it('selects the bytes of any other field', () => {
    const { view } = twoPackets();
    const [, unknown] = view.tree.fields.find((f) => f.id === 'data')?.children ?? [];
    expect(unknown?.id).toBe('pk@8');
    if (!unknown) return;
    expect(selectionForField(view, unknown)).toEqual({
      kind: 'bytes',
      region: 'sram_rad_to_app',
      offset: 16,
      length: 8,
    });
    const rdIdx = view.tree.fields[0];
    if (!rdIdx) return;
    expect(selectionForField(view, rdIdx)).toEqual({ kind: 'bytes', region: 'sram_rad_to_app', offset: 0, length: 4 });
  });

  it('focuses the field the inspector chose while the selection it made stands, and the packet of a message selected elsewhere', () => {
    const { view } = twoPackets();
    const made = { kind: 'message', msgId: 7 } as const;
    const local = { fieldId: 'pk@0/payload', made };
    expect(focusedPath(view, made, 7, local).map((f) => f.id)).toEqual(['data', 'pk@0', 'pk@0/payload']);
    // Another view selected the same message later: the inspector still shows the field it chose.
    expect(focusedPath(view, { kind: 'message', msgId: 7 }, 7, local).at(-1)?.id).toBe('pk@0/payload');
    // An event of the message, selected in the timeline: the whole packet.
    expect(focusedPath(view, { kind: 'event', seq: 0 }, 7, local).at(-1)?.id).toBe('pk@0');
    expect(focusedPath(view, { kind: 'message', msgId: 99 }, 99, local)).toEqual([]);
  });

  it('focuses the field whose bytes a selection names exactly, else the deepest field there', () => {
    const { view } = twoPackets();
    const sel = (offset: number, length: number) =>
      focusedPath(view, { kind: 'bytes', region: view.region.name, offset, length }, null, null).at(-1)?.id;
    expect(sel(8, 8)).toBe('pk@0');
    expect(sel(8, 4)).toBe('pk@0/header');
    expect(sel(9, 1)).toBe('pk@0/header/len');
    expect(focusedPath(view, { kind: 'bytes', region: 'sram_app_to_rad', offset: 8, length: 4 }, null, null)).toEqual(
      [],
    );
  });
});
