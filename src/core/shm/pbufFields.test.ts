import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRxHandshake } from '../backends/icmsg/icmsgWire';
import { MemoryMap } from './MemoryMap';
import { MemoryView } from './MemoryView';
import { Pbuf, pbufCfgInit } from './pbuf';
import { createPbufPair } from './pbufPair';
import { fieldPathAt, fieldPathById, flattenFields, type PbufField, pbufFieldTree } from './pbufFields';

function pair(regionSize: number, dcacheAlignment = 0, useHandshake = false) {
  const created = createPbufPair({ regionSize, dcacheAlignment, useHandshake, fill: 0xaa });
  if (!created.ok) throw new Error(created.error);
  created.value.writer.txInit();
  created.value.reader.rxInit();
  return created.value;
}

const byId = (fields: readonly PbufField[], id: string): PbufField => {
  const found = fieldPathById(fields, id).at(-1);
  if (!found) throw new Error(`no field ${id}`);
  return found;
};
const labels = (path: readonly PbufField[]): string[] => path.map((f) => f.label);

describe('pbufFieldTree', () => {
  it('decodes the indices, each packet header, payload and padding, the free space and the kept-free bytes', () => {
    // 64-byte region, no handshake: rd_idx @0, wr_idx @4, data[56] @8.
    const { map, cfg, writer } = pair(64);
    writer.write(Uint8Array.of(1, 2, 3, 4, 5), 5);
    writer.write(Uint8Array.of(9, 9, 9, 9), 4);
    const { fields, size } = pbufFieldTree(map.bytes, cfg);
    expect(size).toBe(64);
    expect(fields.map((f) => f.label)).toEqual(['rd_idx', 'wr_idx', 'data[56]']);
    expect(byId(fields, 'rd_idx')).toMatchObject({ value: '0 → data[0]', ranges: [{ offset: 0, length: 4 }] });
    expect(byId(fields, 'wr_idx')).toMatchObject({ value: '20 → data[20]', ranges: [{ offset: 4, length: 4 }] });

    const data = byId(fields, 'data');
    expect(data.value).toBe('2 packets · 20 B used · 32 B free');
    expect(data.children.map((f) => f.label)).toEqual(['packet 0', 'packet 1', 'free', 'kept free']);
    expect(byId(fields, 'pk@0')).toMatchObject({
      value: 'len 5 · data[0..12)',
      ranges: [{ offset: 8, length: 12 }],
      packet: 0,
    });
    expect(byId(fields, 'pk@0/header')).toMatchObject({ value: '00 05 00 00', ranges: [{ offset: 8, length: 4 }] });
    expect(byId(fields, 'pk@0/header/len')).toMatchObject({
      value: '5 (0x0005, big-endian)',
      ranges: [{ offset: 8, length: 2 }],
    });
    expect(byId(fields, 'pk@0/header/reserved')).toMatchObject({ value: '00 00', ranges: [{ offset: 10, length: 2 }] });
    expect(byId(fields, 'pk@0/payload')).toMatchObject({
      value: '5 bytes: 01 02 03 04 05',
      ranges: [{ offset: 12, length: 5 }],
    });
    expect(byId(fields, 'pk@0/padding')).toMatchObject({
      value: '3 bytes, never written',
      ranges: [{ offset: 17, length: 3 }],
    });
    expect(fieldPathById(fields, 'pk@12/padding')).toEqual([]); // 4 bytes of payload need no padding
    // Free runs from wr_idx (data[20]) to the 4 bytes kept free before rd_idx (data[52..56)).
    expect(byId(fields, 'data/free')).toMatchObject({
      value: '32 bytes · largest write 28',
      ranges: [{ offset: 28, length: 32 }],
    });
    expect(byId(fields, 'data/kept-free').ranges).toEqual([{ offset: 60, length: 4 }]);
    expect(flattenFields(fields).some((f) => f.error)).toBe(false);
  });

  it('splits the ICMsg 1.1 handshake word into its two session ids and shows the cache-line padding', () => {
    // dcache-alignment 32: rd_idx @0, handshake @4, padding 8..32, wr_idx @32, data @36.
    const { map, cfg, reader } = pair(128, 32, true);
    reader.handshakeWrite(makeRxHandshake(3, 0x1234));
    const { fields } = pbufFieldTree(map.bytes, cfg);
    expect(fields.map((f) => f.label)).toEqual(['rd_idx', 'handshake', 'line padding', 'wr_idx', 'data[92]']);
    expect(byId(fields, 'handshake')).toMatchObject({ value: '0x12340003', ranges: [{ offset: 4, length: 4 }] });
    expect(byId(fields, 'handshake/sid_req')).toMatchObject({
      label: 'local_sid_req',
      value: '3 (0x0003)',
      ranges: [{ offset: 4, length: 2 }],
    });
    expect(byId(fields, 'handshake/sid_ack')).toMatchObject({
      label: 'remote_sid_ack',
      value: '4660 (0x1234)',
      ranges: [{ offset: 6, length: 2 }],
    });
    expect(byId(fields, 'line-pad')).toMatchObject({
      value: '24 bytes, never written',
      ranges: [{ offset: 8, length: 24 }],
    });
    expect(byId(fields, 'wr_idx').ranges).toEqual([{ offset: 32, length: 4 }]);
  });

  it('says a session id of 0 is disconnected', () => {
    const { map, cfg } = pair(128, 32, true);
    map.bytes.fill(0, 4, 8);
    expect(byId(pbufFieldTree(map.bytes, cfg).fields, 'handshake/sid_req').value).toBe('0 (disconnected)');
  });

  it('gives a wrapped payload two byte ranges and one part for each', () => {
    const { map, cfg, writer, reader } = pair(64);
    writer.write(new Uint8Array(28), 28);
    reader.read(new Uint8Array(28));
    writer.write(
      Uint8Array.from({ length: 25 }, (_, i) => 0xb0 + i),
      25,
    ); // header at data[32], 20 bytes to the end, 5 at data[0], 3 bytes of padding
    const { fields } = pbufFieldTree(map.bytes, cfg);
    const packet = byId(fields, 'pk@32');
    expect(packet.value).toBe('len 25 · data[32..56) + data[0..8), wraps');
    expect(packet.ranges).toEqual([
      { offset: 40, length: 24 },
      { offset: 8, length: 8 },
    ]);
    const payload = byId(fields, 'pk@32/payload');
    expect(payload.ranges).toEqual([
      { offset: 44, length: 20 },
      { offset: 8, length: 5 },
    ]);
    expect(payload.value).toBe('25 bytes: b0 b1 b2 b3 b4 b5 b6 b7 …');
    expect(payload.children.map((f) => [f.label, f.value])).toEqual([
      ['payload[0..20)', 'data[36..56), up to the end'],
      ['payload[20..25)', 'data[0..5), wrapped'],
    ]);
  });

  it('names the ICMsg magic in a payload', () => {
    const { map, cfg, writer } = pair(64);
    writer.write(new TextEncoder().encode('Em1l1K0rn3li4'), 13);
    expect(byId(pbufFieldTree(map.bytes, cfg).fields, 'pk@0/payload').value).toMatch(/ICMsg magic$/);
  });

  it('locates ranges from the region start when the region sits elsewhere in memory', () => {
    const memory = new Uint8Array(512);
    const cfg = pbufCfgInit(256, 128, 0, false);
    new DataView(memory.buffer).setUint32(256 + 4, 8, true); // wr_idx = 8
    memory.set([0x00, 0x02, 0x00, 0x00, 0x41, 0x42], 256 + 8);
    const { fields, size } = pbufFieldTree(memory, cfg);
    expect(size).toBe(128);
    expect(byId(fields, 'pk@0/payload')).toMatchObject({
      value: '2 bytes: 41 42',
      ranges: [{ offset: 12, length: 2 }],
    });
  });
});

describe('pbufFieldTree on corrupted memory', () => {
  it('flags a misaligned wr_idx and leaves data[] undecoded', () => {
    const { map, cfg, writer } = pair(64);
    writer.write(Uint8Array.of(1, 2, 3), 3);
    new DataView(map.buffer).setUint32(4, 13, true);
    const { fields } = pbufFieldTree(map.bytes, cfg);
    expect(byId(fields, 'wr_idx')).toMatchObject({ error: true, value: '13 · wr_idx = 13 is not a multiple of 4' });
    expect(byId(fields, 'data')).toMatchObject({ error: true, value: 'not decoded: the indices are unusable' });
    expect(byId(fields, 'problem/0')).toMatchObject({ error: true, ranges: [{ offset: 4, length: 4 }] });
  });

  it('flags an out-of-range rd_idx', () => {
    const { map, cfg } = pair(64);
    new DataView(map.buffer).setUint32(0, 0xfffffff0, true);
    const { fields } = pbufFieldTree(map.bytes, cfg);
    expect(byId(fields, 'rd_idx').error).toBe(true);
    expect(byId(fields, 'problem/0')).toMatchObject({
      value: 'rd_idx = 4294967280 is outside data[0..56)',
      ranges: [{ offset: 0, length: 4 }],
    });
  });

  it('shows a header longer than what was written as a malformed packet', () => {
    const { map, cfg, writer } = pair(64);
    writer.write(Uint8Array.of(1, 2, 3, 4), 4);
    writer.write(Uint8Array.of(5, 6, 7, 8), 4);
    map.bytes[8 + 8] = 0x01; // second header: length 0x0104
    const { fields } = pbufFieldTree(map.bytes, cfg);
    expect(byId(fields, 'data').children.map((f) => f.label)).toEqual([
      'packet 0',
      'packet 1 (malformed)',
      'free',
      'kept free',
    ]);
    expect(byId(fields, 'pk@8')).toMatchObject({
      error: true,
      value: 'len 260 > 4 bytes written',
      ranges: [{ offset: 16, length: 8 }],
    });
    expect(byId(fields, 'pk@8/header/len').error).toBe(true);
    expect(byId(fields, 'problem/0').ranges).toEqual([{ offset: 16, length: 4 }]);
  });

  it('never throws and keeps every range inside the region, whatever the bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 96, maxLength: 96 }),
        fc.constantFrom(0, 8, 32),
        fc.boolean(),
        (bytes, dcache, handshake) => {
          const cfg = pbufCfgInit(0, 96, dcache, handshake && dcache >= 8);
          const { fields, size } = pbufFieldTree(bytes, cfg);
          for (const f of flattenFields(fields)) {
            for (const r of f.ranges) {
              expect(r.offset).toBeGreaterThanOrEqual(0);
              expect(r.offset + r.length).toBeLessThanOrEqual(size);
            }
          }
          // Every byte belongs to a top-level field: the layout words, the padding or data[].
          for (let i = 0; i < size; i++) expect(fieldPathAt(fields, i).length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('clips a layout that claims more memory than there is', () => {
    const cfg = pbufCfgInit(0, 4096, 0, false);
    const { fields, size } = pbufFieldTree(new Uint8Array(64), cfg);
    expect(size).toBe(64);
    expect(byId(fields, 'data').ranges).toEqual([{ offset: 8, length: 56 }]);
  });
});

describe('fieldPathAt', () => {
  it('finds the deepest field that covers a byte', () => {
    const { map, cfg, writer, reader } = pair(64);
    writer.write(new Uint8Array(28), 28);
    reader.read(new Uint8Array(28));
    writer.write(new Uint8Array(25), 25);
    const { fields } = pbufFieldTree(map.bytes, cfg);
    expect(labels(fieldPathAt(fields, 1))).toEqual(['rd_idx']);
    expect(labels(fieldPathAt(fields, 41))).toEqual(['data[56]', 'packet 0', 'header', 'len']);
    expect(labels(fieldPathAt(fields, 43))).toEqual(['data[56]', 'packet 0', 'header', 'reserved']);
    expect(labels(fieldPathAt(fields, 10))).toEqual(['data[56]', 'packet 0', 'payload', 'payload[20..25)']);
    expect(labels(fieldPathAt(fields, 14))).toEqual(['data[56]', 'packet 0', 'padding']);
    expect(labels(fieldPathAt(fields, 20))).toEqual(['data[56]', 'free']);
    expect(labels(fieldPathAt(fields, 38))).toEqual(['data[56]', 'kept free']); // data[28..32), before rd_idx 32
    expect(fieldPathAt(fields, 64)).toEqual([]);
  });
});

describe('what a payload means to the protocol above', () => {
  it('is shown after the payload bytes when the caller can decode it', () => {
    const created = MemoryMap.create({ buffer: new ArrayBuffer(64), regions: [{ name: 'r', offset: 0, size: 64 }] });
    if (!created.ok) throw new Error('map');
    const cfg = pbufCfgInit(0, 64, 0, false);
    const pb = new Pbuf(cfg, new MemoryView(created.value, 'a'));
    pb.txInit();
    pb.write(Uint8Array.of(0, 2, 7), 3);
    const tree = pbufFieldTree(created.value.bytes, cfg, {
      describePayload: (p) => (p[0] === 0 ? `MSG_DATA ept ${p[1]} block ${p[2]}` : null),
    });
    const payload = flattenFields(tree.fields).find((f) => f.kind === 'payload');
    expect(payload?.value).toBe('3 bytes: 00 02 07 · MSG_DATA ept 2 block 7');
  });
});
