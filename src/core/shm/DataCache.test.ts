import { describe, expect, it } from 'vitest';
import { DataCache } from './DataCache';

describe('a write-back data cache over shared memory', () => {
  it('keeps writes in the line until a flush writes the whole line back', () => {
    const memory = new Uint8Array(64);
    const cache = new DataCache(memory, 32);
    cache.store32(4, 0x11223344);
    expect(memory[4]).toBe(0);
    expect(cache.load32(4)).toBe(0x11223344);
    cache.flush(4, 4);
    expect(Array.from(memory.subarray(4, 8))).toEqual([0x44, 0x33, 0x22, 0x11]);
  });

  it('writes back the stale rest of a line with it: two fields in one line overwrite each other', () => {
    const memory = new Uint8Array(64);
    const writer = new DataCache(memory, 32);
    const reader = new DataCache(memory, 32);
    reader.load32(0); // the reader holds line 0 (rd_idx @0, wr_idx @4) with wr_idx = 0
    writer.store32(4, 20); // wr_idx = 20, published
    writer.flush(4, 4);
    expect(memory[4]).toBe(20);
    reader.store32(0, 8); // rd_idx = 8 in the reader's old copy of the line
    reader.flush(0, 4);
    expect(memory[0]).toBe(8);
    expect(memory[4]).toBe(0); // the writer's wr_idx is gone: F10
  });

  it('reads its own stale line until an invalidate, which drops dirty data too', () => {
    const memory = new Uint8Array(64);
    const cache = new DataCache(memory, 32);
    expect(cache.load32(36)).toBe(0);
    memory[36] = 7;
    expect(cache.load32(36)).toBe(0);
    cache.store32(40, 5);
    cache.invalidate(36, 4);
    expect(cache.load32(36)).toBe(7);
    expect(cache.load32(40)).toBe(0);
  });

  it('skips the flushes and invalidates a fault asked it to, then works again', () => {
    const memory = new Uint8Array(64);
    const cache = new DataCache(memory, 32);
    cache.skipFlushes = 1;
    cache.store32(0, 9);
    cache.flush(0, 4);
    expect(memory[0]).toBe(0);
    cache.flush(0, 4);
    expect(memory[0]).toBe(9);
  });

  it('snapshots and restores its lines', () => {
    const memory = new Uint8Array(64);
    const cache = new DataCache(memory, 32);
    cache.store32(0, 1);
    const saved = cache.snapshot();
    cache.store32(0, 2);
    cache.restore(saved);
    expect(cache.load32(0)).toBe(1);
    expect(cache.held).toEqual({ lines: 1, dirty: 1 });
  });
});
