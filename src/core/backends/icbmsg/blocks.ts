/**
 * ICBMsg's block allocator over one region's blocks (`alloc_tx_buffer` / `release_tx_blocks` on
 * Zephyr's `sys_bitarray`): a buffer is a run of contiguous blocks, found first-fit from block 0.
 * Each buffer starts with a 4-byte header holding its size, so a request for `size` bytes takes
 * `DIV_ROUND_UP(size + 4, B)` blocks, and the caller may use all of them: `B * n - 4` bytes.
 *
 *   bits:   [1 1 0 0 0 1 0 0]     alloc(size needing 2 blocks) → index 2 (first run of 2 free)
 *   size 0: the first free block and every free block after it → index 2, 3 blocks
 *
 * Errors are Zephyr's after `alloc_tx_buffer` maps them: no room (or a request larger than every
 * block together) is -ENOMEM. Waiting with a timeout is the caller's business (the backend retries
 * after each release).
 */
import type { Errno } from '../../errno';
import { BLOCK_HEADER_SIZE } from './layout';

export interface BlockGrant {
  /** Index of the first block. */
  readonly index: number;
  /** Blocks taken. */
  readonly blocks: number;
  /** Bytes the caller may use: every taken block, less the header. */
  readonly size: number;
}

export class BlockAllocator {
  readonly blockSize: number;
  readonly blockCount: number;
  /** 1 = allocated. */
  private used: Uint8Array;

  constructor(blockSize: number, blockCount: number) {
    this.blockSize = blockSize;
    this.blockCount = blockCount;
    this.used = new Uint8Array(blockCount);
  }

  /** Blocks needed for a buffer of `size` bytes (with its header). */
  blocksFor(size: number): number {
    return Math.ceil((size + BLOCK_HEADER_SIZE) / this.blockSize);
  }

  /** Bytes a buffer of `blocks` blocks holds. */
  sizeOf(blocks: number): number {
    return this.blockSize * blocks - BLOCK_HEADER_SIZE;
  }

  isUsed(index: number): boolean {
    return this.used[index] === 1;
  }

  get free(): number {
    let n = 0;
    for (const bit of this.used) if (bit === 0) n += 1;
    return n;
  }

  /**
   * `sys_bitarray_alloc` first-fit for `size` bytes; `size` 0 takes the first free block and
   * every free block that follows it.
   */
  alloc(size: number): BlockGrant | Errno {
    if (!Number.isInteger(size) || size < 0) return 'EINVAL';
    if (size === 0) {
      const first = this.used.indexOf(0);
      if (first < 0) return 'ENOMEM';
      let end = first;
      while (end < this.blockCount && this.used[end] === 0) end += 1;
      return this.take(first, end - first);
    }
    const blocks = this.blocksFor(size);
    if (blocks > this.blockCount) return 'ENOMEM';
    let run = 0;
    for (let i = 0; i < this.blockCount; i++) {
      run = this.used[i] === 0 ? run + 1 : 0;
      if (run === blocks) return this.take(i - blocks + 1, blocks);
    }
    return 'ENOMEM';
  }

  /**
   * Frees `blocks` blocks from `index` (`sys_bitarray_free`): -EINVAL, and nothing freed, when the
   * range leaves the array or any of it is not allocated.
   */
  release(index: number, blocks: number): 0 | 'EINVAL' {
    if (!Number.isInteger(index) || !Number.isInteger(blocks) || blocks < 1) return 'EINVAL';
    if (index < 0 || index + blocks > this.blockCount) return 'EINVAL';
    for (let i = index; i < index + blocks; i++) if (this.used[i] !== 1) return 'EINVAL';
    this.used.fill(0, index, index + blocks);
    return 0;
  }

  /**
   * `send_nocopy` on a grant of `grant.blocks`: keeps the blocks `len` needs and frees the rest;
   * -EINVAL when `len` needs more blocks than the grant has.
   */
  shrink(grant: BlockGrant, len: number): BlockGrant | 'EINVAL' {
    const needed = this.blocksFor(len);
    if (needed > grant.blocks) return 'EINVAL';
    if (needed < grant.blocks) this.release(grant.index + needed, grant.blocks - needed);
    return { index: grant.index, blocks: needed, size: this.sizeOf(needed) };
  }

  snapshot(): Uint8Array {
    return this.used.slice();
  }

  restore(state: Uint8Array): void {
    this.used = state.slice();
  }

  private take(index: number, blocks: number): BlockGrant {
    this.used.fill(1, index, index + blocks);
    return { index, blocks, size: this.sizeOf(blocks) };
  }
}
