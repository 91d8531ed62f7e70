import { describe, expect, it } from 'vitest';
import { classifyPbufBytes, inspectPbuf, PbufByteClass } from './pbufInspect';
import { createPbufPair } from './pbufPair';

function demo() {
  const created = createPbufPair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false, fill: 0xaa });
  if (!created.ok) throw new Error(created.error);
  const { writer, reader } = created.value;
  writer.txInit();
  reader.rxInit();
  return created.value;
}

describe('inspectPbuf', () => {
  it('walks the packets from rd_idx to wr_idx, with their header, payload and padding', () => {
    const { map, cfg, writer } = demo();
    writer.write(Uint8Array.of(1, 2, 3, 4, 5), 5);
    writer.write(Uint8Array.of(9, 9, 9, 9), 4);
    const view = inspectPbuf(map.bytes, cfg);
    expect(view.problems).toEqual([]);
    expect(view.rdIdx).toBe(0);
    expect(view.wrIdx).toBe(20);
    expect(view.occupied).toBe(20);
    expect(view.free).toBe(32);
    expect(view.maxWritable).toBe(28);
    expect(view.packets).toEqual([
      {
        seq: 0,
        headerIdx: 0,
        len: 5,
        payload: [{ start: 4, length: 5 }],
        padding: [{ start: 9, length: 3 }],
        nextIdx: 12,
        wraps: false,
      },
      { seq: 1, headerIdx: 12, len: 4, payload: [{ start: 16, length: 4 }], padding: [], nextIdx: 20, wraps: false },
    ]);
    expect(view.freeSegments).toEqual([{ start: 20, length: 36 }]);
  });

  it('shows a wrapped payload as two segments', () => {
    const { map, cfg, writer, reader } = demo();
    writer.write(new Uint8Array(28), 28);
    reader.read(new Uint8Array(28));
    writer.write(new Uint8Array(25).fill(7), 25);
    const [packet] = inspectPbuf(map.bytes, cfg).packets;
    expect(packet?.wraps).toBe(true);
    expect(packet?.payload).toEqual([
      { start: 36, length: 20 },
      { start: 0, length: 5 },
    ]);
    expect(packet?.padding).toEqual([{ start: 5, length: 3 }]);
  });

  it('reports corrupted indices and lengths instead of throwing', () => {
    const { map, cfg, writer } = demo();
    writer.write(Uint8Array.of(1, 2, 3, 4), 4);
    map.bytes[9] = 200; // header length
    expect(inspectPbuf(map.bytes, cfg).problems.map((p) => p.kind)).toEqual(['length-exceeds-written']);
    new DataView(map.buffer).setUint32(4, 4096, true);
    expect(inspectPbuf(map.bytes, cfg).problems.map((p) => p.kind)).toEqual(['wr_idx-out-of-range']);
    new DataView(map.buffer).setUint32(0, 6, true);
    expect(inspectPbuf(map.bytes, cfg).problems.map((p) => p.kind)).toEqual([
      'rd_idx-misaligned',
      'wr_idx-out-of-range',
    ]);
  });
});

describe('classifyPbufBytes', () => {
  it('labels index words, header, payload, untouched padding and free space', () => {
    const { map, cfg, writer } = demo();
    writer.write(Uint8Array.of(1, 2, 3, 4, 5), 5);
    const { classes, packet } = classifyPbufBytes(cfg, 64, inspectPbuf(map.bytes, cfg));
    const C = PbufByteClass;
    expect([...classes.subarray(0, 24)]).toEqual([
      ...[C.rdIdx, C.rdIdx, C.rdIdx, C.rdIdx, C.wrIdx, C.wrIdx, C.wrIdx, C.wrIdx],
      ...[C.header, C.header, C.header, C.header, C.payload, C.payload, C.payload, C.payload],
      ...[C.payload, C.padding, C.padding, C.padding, C.free, C.free, C.free, C.free],
    ]);
    expect(packet[8]).toBe(0);
    expect(packet[20]).toBe(-1);
  });
});
