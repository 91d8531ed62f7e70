import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockAllocator } from './blocks';
import { decodeControl, encodeControl } from './control';

describe('the ICBMsg block allocator', () => {
  it('takes DIV_ROUND_UP(size + 4, B) blocks and lets the caller use all of them', () => {
    const a = new BlockAllocator(108, 16);
    expect(a.alloc(104)).toEqual({ index: 0, blocks: 1, size: 104 });
    expect(a.alloc(105)).toEqual({ index: 1, blocks: 2, size: 212 });
    expect(a.free).toBe(13);
  });

  it('is first-fit over contiguous free blocks', () => {
    const a = new BlockAllocator(16, 8);
    for (let i = 0; i < 8; i++) a.alloc(12);
    expect(a.release(2, 1)).toBe(0);
    expect(a.release(4, 2)).toBe(0);
    expect(a.alloc(20)).toEqual({ index: 4, blocks: 2, size: 28 }); // block 2 alone is too small
    expect(a.alloc(12)).toEqual({ index: 2, blocks: 1, size: 12 });
  });

  it('size 0 takes the first free block and every free block after it', () => {
    const a = new BlockAllocator(16, 8);
    a.alloc(12);
    a.alloc(12);
    a.alloc(12);
    a.release(1, 1);
    expect(a.alloc(0)).toEqual({ index: 1, blocks: 1, size: 12 });
    expect(a.alloc(0)).toEqual({ index: 3, blocks: 5, size: 76 });
    expect(a.alloc(0)).toBe('ENOMEM');
  });

  it('answers -ENOMEM when no run is long enough or the request exceeds every block together', () => {
    const a = new BlockAllocator(16, 4);
    expect(a.alloc(61)).toBe('ENOMEM');
    expect(a.alloc(60)).toEqual({ index: 0, blocks: 4, size: 60 });
    expect(a.alloc(1)).toBe('ENOMEM');
  });

  it('refuses to free blocks that are not allocated, and frees nothing then', () => {
    const a = new BlockAllocator(16, 4);
    a.alloc(12);
    expect(a.release(0, 2)).toBe('EINVAL');
    expect(a.isUsed(0)).toBe(true);
    expect(a.release(3, 2)).toBe('EINVAL');
  });

  it('send_nocopy shrinks a grant to what the message needs, and refuses to grow it', () => {
    const a = new BlockAllocator(16, 8);
    const grant = a.alloc(0);
    if (typeof grant === 'string') throw new Error(grant);
    expect(a.shrink(grant, 20)).toEqual({ index: 0, blocks: 2, size: 28 });
    expect(a.free).toBe(6);
    expect(a.shrink({ index: 0, blocks: 2, size: 28 }, 29)).toBe('EINVAL');
  });

  it('never hands out a block twice, and frees every block it granted (random traffic)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 200 })), { maxLength: 200 }), (ops) => {
        const a = new BlockAllocator(24, 12);
        const owner = new Int32Array(12).fill(-1);
        const live: { index: number; blocks: number }[] = [];
        ops.forEach(([allocate, n], k) => {
          if (allocate || live.length === 0) {
            const g = a.alloc(n);
            if (typeof g === 'string') return;
            for (let i = g.index; i < g.index + g.blocks; i++) {
              expect(owner[i]).toBe(-1);
              owner[i] = k;
            }
            live.push(g);
          } else {
            const g = live.splice(n % live.length, 1)[0];
            if (!g) return;
            expect(a.release(g.index, g.blocks)).toBe(0);
            owner.fill(-1, g.index, g.index + g.blocks);
          }
        });
        for (const g of live) a.release(g.index, g.blocks);
        expect(a.free).toBe(12);
      }),
    );
  });
});

describe('ICBMsg control messages', () => {
  it('are three bytes: type, endpoint address, block index', () => {
    expect(Array.from(encodeControl({ type: 'MSG_BOUND', eptAddr: 1, blockIndex: 5 }))).toEqual([2, 1, 5]);
    expect(Array.from(encodeControl({ type: 'MSG_RELEASE_DATA', eptAddr: 0, blockIndex: 15 }))).toEqual([1, 0, 15]);
  });

  it('are read from 3 bytes or more, the rest ignored', () => {
    expect(decodeControl(Uint8Array.of(0, 2, 7, 0xaa), 4)).toEqual({ type: 'MSG_DATA', eptAddr: 2, blockIndex: 7 });
    expect(decodeControl(Uint8Array.of(0, 2), 4)).toBe('EINVAL');
  });

  it('refuse an endpoint address of NUM_EPT or more, and ignore unknown types silently', () => {
    expect(decodeControl(Uint8Array.of(1, 4, 0), 4)).toBe('EINVAL');
    expect(decodeControl(Uint8Array.of(4, 0, 0), 4)).toBeNull();
    expect(decodeControl(Uint8Array.of(9, 9, 0), 4)).toBe('EINVAL');
  });
});
