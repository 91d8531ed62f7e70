import { describe, expect, it } from 'vitest';
import { DEFAULT_SHARED_RAM_BASE, MemoryMap } from './MemoryMap';
import { MemoryView } from './MemoryView';

describe('MemoryMap', () => {
  it('places named regions at virtual addresses above the base', () => {
    const map = MemoryMap.create({
      buffer: new SharedArrayBuffer(1024),
      regions: [
        { name: 'tx', offset: 0, size: 512 },
        { name: 'rx', offset: 512, size: 512 },
      ],
    });
    expect(map.ok).toBe(true);
    if (!map.ok) return;
    expect(map.value.base).toBe(DEFAULT_SHARED_RAM_BASE);
    expect(map.value.region('rx')?.address).toBe(0x2007_0200);
    expect(map.value.offsetOf(0x2007_0200)).toBe(512);
    expect(map.value.offsetOf(0x2007_0400)).toBeUndefined();
    expect(map.value.isShared).toBe(true);
  });

  it('reports every layout problem by path instead of throwing', () => {
    const map = MemoryMap.create({
      buffer: new ArrayBuffer(256),
      base: 0x2007_0002,
      regions: [
        { name: 'a', offset: 0, size: 128 },
        { name: 'a', offset: 64, size: 64 },
        { name: 'b', offset: 6, size: 0 },
        { name: 'c', offset: 200, size: 100 },
      ],
    });
    expect(map.ok).toBe(false);
    if (map.ok) return;
    const paths = map.error.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'base',
        'regions[1].name',
        'regions[2].offset',
        'regions[2].size',
        'regions[3].size',
        'regions[0]',
      ]),
    );
    expect(map.error.find((e) => e.path === 'regions[0]')?.message).toBe('regions "a" and "a" overlap');
  });
});

describe('MemoryView', () => {
  it('clips an access that runs past the end of the buffer and reports it', () => {
    const created = MemoryMap.create({ buffer: new ArrayBuffer(16), regions: [] });
    if (!created.ok) throw new Error('map');
    const reports: string[] = [];
    const view = new MemoryView(created.value, 'core', {
      outOfBounds: (access, offset, length, inBounds) => reports.push(`${access} ${offset} ${length} ${inBounds}`),
    });
    view.write(12, Uint8Array.of(1, 2, 3, 4, 5, 6), 0, 6);
    expect([...created.value.bytes.subarray(12)]).toEqual([1, 2, 3, 4]);
    const dst = new Uint8Array(6);
    view.read(12, dst, 0, 6);
    expect([...dst]).toEqual([1, 2, 3, 4, 0, 0]);
    expect(view.load32(16)).toBe(0);
    expect(reports).toEqual(['write 12 6 4', 'read 12 6 4', 'read 16 4 0']);
  });

  it('reads and writes index words as little-endian unsigned 32-bit values', () => {
    const created = MemoryMap.create({ buffer: new SharedArrayBuffer(8), regions: [] });
    if (!created.ok) throw new Error('map');
    const view = new MemoryView(created.value, 'core');
    view.store32(4, 0xfffffffc);
    expect(view.load32(4)).toBe(0xfffffffc);
    expect([...created.value.bytes.subarray(4)]).toEqual([0xfc, 0xff, 0xff, 0xff]);
  });
});
