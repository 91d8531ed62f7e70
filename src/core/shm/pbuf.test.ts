import { describe, expect, it } from 'vitest';
import { toHex } from '../hex';
import { MemoryMap } from './MemoryMap';
import { MemoryView } from './MemoryView';
import { Pbuf, pbufCfgInit, pbufDefineAsserts, validatePbufCfg } from './pbuf';
import { createPbufPair, type PbufPairSpec } from './pbufPair';

function pair(spec: PbufPairSpec) {
  const created = createPbufPair(spec);
  if (!created.ok) throw new Error(created.error);
  return created.value;
}

const bytes = (...values: number[]) => Uint8Array.from(values);
const seq = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('PBUF_CFG_INIT layout', () => {
  it.each([
    // size, dcache, handshake -> rd, hs, wr, data, len
    [64, 0, false, 0, null, 4, 8, 56],
    [64, 4, false, 0, null, 4, 8, 56],
    [128, 32, false, 0, null, 32, 36, 92],
    [64, 8, true, 0, 4, 8, 12, 52],
    [128, 32, true, 0, 4, 32, 36, 92],
  ])(
    'a %i-byte region with dcache %i and handshake %s puts rd_idx, handshake, wr_idx and data where Zephyr does',
    (size, dcache, hs, rd, hsLoc, wr, data, len) => {
      expect(pbufCfgInit(0, size, dcache, hs)).toEqual({
        rdIdxLoc: rd,
        handshakeLoc: hsLoc,
        wrIdxLoc: wr,
        dataLoc: data,
        len,
        dcacheAlignment: dcache,
      });
    },
  );

  it('rejects a handshake word with dcache-alignment below 8, as validate_cfg does (ICMsg 1.1 needs dcache >= 8)', () => {
    expect(validatePbufCfg(pbufCfgInit(0, 64, 0, true), 0x2007_0000)).toBe('EINVAL');
    expect(validatePbufCfg(pbufCfgInit(0, 64, 4, true), 0x2007_0000)).toBe('EINVAL');
    expect(validatePbufCfg(pbufCfgInit(0, 64, 8, true), 0x2007_0000)).toBe(0);
  });

  it('rejects a data[] shorter than 12 bytes and a region that is not word-aligned for its cache line', () => {
    expect(validatePbufCfg(pbufCfgInit(0, 16, 0, false), 0x2007_0000)).toBe('EINVAL');
    expect(validatePbufCfg(pbufCfgInit(0, 20, 0, false), 0x2007_0000)).toBe(0);
    expect(validatePbufCfg(pbufCfgInit(16, 128, 32, false), 0x2007_0000)).toBe('EINVAL');
  });

  it('reports PBUF_DEFINE build asserts for impossible devicetree values', () => {
    expect(pbufDefineAsserts(0x2007_0000, 64, 0, false)).toEqual([]);
    expect(pbufDefineAsserts(0x2007_0000, 62, 0, false)).toContain('Incorrect size.');
    expect(pbufDefineAsserts(0x2007_0010, 128, 32, false)).toContain('Misaligned memory.');
    expect(pbufDefineAsserts(0x2007_0000, 16, 0, false)).toContain('Insufficient size.');
    expect(pbufDefineAsserts(0x2007_0000, 64, 4, true)).toContain(
      'Data cache alignment must be at least 8 if compatibility is enabled.',
    );
  });
});

describe('pbuf write and read', () => {
  it('frames a packet as a big-endian length, two zero bytes and the payload, leaving padding bytes untouched', () => {
    const { map, writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false, fill: 0xaa });
    expect(writer.txInit()).toBe(0);
    expect(reader.rxInit()).toBe(0);
    expect(writer.write(bytes(1, 2, 3, 4, 5), 5)).toBe(5);
    // rd_idx=0, wr_idx=12, header 00 05 00 00, payload, 3 stale bytes
    expect(toHex(map.bytes.subarray(0, 24))).toBe('000000000c00000000050000' + '0102030405aaaaaa' + 'aaaaaaaa');
  });

  it('reads back what was written and publishes rd_idx', () => {
    const { map, writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false });
    writer.txInit();
    reader.rxInit();
    writer.write(seq(9), 9);
    const out = new Uint8Array(16);
    expect(reader.read(null)).toBe(9);
    expect(reader.read(out)).toBe(9);
    expect(out.subarray(0, 9)).toEqual(seq(9));
    expect(new DataView(map.buffer).getUint32(0, true)).toBe(16);
    expect(reader.read(out)).toBe(0);
  });

  it('keeps four bytes free: the largest payload into an empty 56-byte data[] is 48 bytes', () => {
    const { writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false });
    writer.txInit();
    reader.rxInit();
    expect(writer.write(seq(49), 49)).toBe('ENOMEM');
    expect(writer.write(seq(48), 48)).toBe(48);
    expect(writer.write(seq(1), 1)).toBe('ENOMEM');
  });

  it('wraps a payload that does not fit before the end, continuing at data[0]', () => {
    const { map, writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false, fill: 0xaa });
    writer.txInit();
    reader.rxInit();
    const out = new Uint8Array(64);
    writer.write(seq(28), 28); // data[0..32)
    reader.read(out);
    writer.write(seq(25, 0xb0), 25); // header at data[32], 20 bytes to the end, 5 at data[0]
    expect(writer.data.wrIdx).toBe(8);
    expect(toHex(map.bytes.subarray(8, 13))).toBe('c4c5c6c7c8');
    expect(reader.read(out)).toBe(25);
    expect(out.subarray(0, 25)).toEqual(seq(25, 0xb0));
  });

  it('refuses a read into a buffer too small with -ENOMEM and consumes nothing', () => {
    const { writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false });
    writer.txInit();
    reader.rxInit();
    writer.write(seq(13), 13);
    expect(reader.read(new Uint8Array(12))).toBe('ENOMEM');
    expect(reader.data.rdIdx).toBe(0);
    expect(reader.read(new Uint8Array(13))).toBe(13);
  });

  it('answers -EAGAIN and consumes nothing when a header claims more bytes than were written', () => {
    const { map, writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false });
    writer.txInit();
    reader.rxInit();
    writer.write(seq(4), 4);
    map.bytes[9] = 40; // the header's low length byte
    expect(reader.read(null)).toBe(40);
    expect(reader.read(new Uint8Array(64))).toBe('EAGAIN');
    expect(reader.data.rdIdx).toBe(0);
  });

  it('answers -EINVAL for a zero length or missing data, and for a misaligned peer index', () => {
    const { map, writer, reader } = pair({ regionSize: 64, dcacheAlignment: 0, useHandshake: false });
    writer.txInit();
    reader.rxInit();
    expect(writer.write(seq(1), 0)).toBe('EINVAL');
    expect(writer.write(null, 4)).toBe('EINVAL');
    new DataView(map.buffer).setUint32(0, 6, true);
    expect(writer.write(seq(4), 4)).toBe('EINVAL');
    new DataView(map.buffer).setUint32(4, 10, true);
    expect(reader.read(new Uint8Array(8))).toBe('EINVAL');
  });

  it('truncates a length above 65535 to 16 bits, as the uint16_t parameter does', () => {
    const { writer, reader } = pair({ regionSize: 256, dcacheAlignment: 0, useHandshake: false });
    writer.txInit();
    reader.rxInit();
    expect(writer.write(seq(65537), 65537)).toBe(1);
  });

  it('stores and reads the handshake word at offset 4', () => {
    const { map, writer, reader } = pair({ regionSize: 64, dcacheAlignment: 8, useHandshake: true });
    reader.handshakeWrite(0x0002_0001);
    expect(new DataView(map.buffer).getUint32(4, true)).toBe(0x0002_0001);
    expect(writer.handshakeRead()).toBe(0x0002_0001);
  });
});

describe('pbuf_get_initial_buf', () => {
  it('peeks at the first packet of an unread FIFO without consuming it', () => {
    const { writer, reader } = pair({ regionSize: 128, dcacheAlignment: 32, useHandshake: true });
    expect(reader.getInitialBuf()).toBe('EINVAL'); // nothing written: wr_idx is 0 after tx init
    writer.txInit();
    expect(reader.getInitialBuf()).toBe('EINVAL');
    writer.write(seq(13), 13);
    expect(reader.getInitialBuf()).toEqual({ offset: 40, len: 13 });
    expect(reader.data.rdIdx).toBe(0);
  });

  it('refuses once the reader has read', () => {
    const { writer, reader } = pair({ regionSize: 128, dcacheAlignment: 32, useHandshake: true });
    writer.txInit();
    writer.write(seq(13), 13);
    reader.read(new Uint8Array(16));
    expect(reader.getInitialBuf()).toBe('EINVAL');
  });
});

describe('cache maintenance', () => {
  it('records flush and invalidate ranges in the order pbuf_write issues them', () => {
    const ops: string[] = [];
    const { writer } = pair({
      regionSize: 64,
      dcacheAlignment: 0,
      useHandshake: false,
      writerObserver: { cacheOp: (op, off, size) => ops.push(`${op[0]}${off}+${size}`) },
    });
    writer.txInit();
    ops.length = 0;
    writer.write(seq(5), 5);
    expect(ops).toEqual(['i0+4', 'f8+4', 'f12+5', 'f4+4']);
  });
});

describe('corrupted peer indices', () => {
  const corruptRd = (mode: 'faithful' | 'hardened') => {
    const events: string[] = [];
    const p = pair({
      regionSize: 64,
      dcacheAlignment: 0,
      useHandshake: false,
      mode,
      fill: 0xaa,
      guard: 64,
      writerObserver: {
        outOfBounds: (access, off, len, inBounds) => events.push(`${access}@${off}+${len}:${inBounds}`),
      },
    });
    p.map.bytes.fill(0x55, 64);
    p.writer.txInit();
    p.reader.rxInit();
    p.writer.write(seq(4), 4); // wr_idx = 8
    new DataView(p.map.buffer).setUint32(0, 1000, true); // rd_idx far outside data[]
    return { ...p, events };
  };

  it('faithful mode uses an out-of-range rd_idx as Zephyr does and writes past the region, never past the buffer', () => {
    const { map, writer, events } = corruptRd('faithful');
    expect(writer.write(seq(120, 0x80), 120)).toBe(120);
    // 4 header bytes at data[8]; 44 payload bytes reach the end of data[]; the other 76 start at
    // data[0] and run 20 bytes into the guard.
    expect(toHex(map.bytes.subarray(64, 84))).not.toBe('55'.repeat(20));
    expect(map.bytes[84]).toBe(0x55);
    expect(events).toEqual([]);
    expect(writer.write(seq(200), 200)).toBe(200);
    expect(events.some((e) => e.startsWith('write@'))).toBe(true);
  });

  it('hardened mode rejects the out-of-range rd_idx with -EINVAL and writes nothing', () => {
    const { map, writer } = corruptRd('hardened');
    const before = toHex(map.bytes);
    expect(writer.write(seq(120), 120)).toBe('EINVAL');
    expect(toHex(map.bytes)).toBe(before);
  });

  it('faithful mode reads past data[] when wr_idx is out of range; hardened mode refuses', () => {
    for (const mode of ['faithful', 'hardened'] as const) {
      const { map, reader, writer } = pair({
        regionSize: 64,
        dcacheAlignment: 0,
        useHandshake: false,
        mode,
        guard: 64,
      });
      map.bytes.fill(0x55, 64);
      writer.txInit();
      reader.rxInit();
      writer.write(seq(4), 4);
      const view = new DataView(map.buffer);
      view.setUint8(8, 0);
      view.setUint8(9, 120); // header claims 120 bytes
      view.setUint32(4, 4096, true);
      const out = new Uint8Array(128);
      if (mode === 'faithful') {
        // 52 bytes to the end of data[], then 68 from data[0]: the last 12 come from the guard.
        expect(reader.read(out)).toBe(120);
        expect(out.subarray(108, 120)).toEqual(new Uint8Array(12).fill(0x55));
      } else {
        expect(reader.read(out)).toBe('EINVAL');
        expect(reader.data.rdIdx).toBe(0);
      }
    }
  });
});

describe('pbuf over a plain ArrayBuffer and a SharedArrayBuffer', () => {
  it('behaves identically on both', () => {
    const images = [false, true].map((shared) => {
      const { map, writer, reader } = pair({ regionSize: 96, dcacheAlignment: 0, useHandshake: false, shared });
      writer.txInit();
      reader.rxInit();
      writer.write(seq(30), 30);
      reader.read(new Uint8Array(32));
      writer.write(seq(50, 7), 50);
      return toHex(map.bytes);
    });
    expect(images[0]).toBe(images[1]);
  });

  it('refuses every call when the configuration fails validation', () => {
    const map = MemoryMap.create({ buffer: new ArrayBuffer(16), regions: [{ name: 'r', offset: 0, size: 16 }] });
    if (!map.ok) throw new Error('map');
    const pb = new Pbuf(pbufCfgInit(0, 16, 0, false), new MemoryView(map.value, 'core'));
    expect(pb.txInit()).toBe('EINVAL');
    expect(pb.write(seq(1), 1)).toBe('EINVAL');
    expect(pb.read(new Uint8Array(4))).toBe('EINVAL');
  });
});
