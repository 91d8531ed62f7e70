/**
 * The sender's side of a TX blocks area: Zephyr's allocation bitmap (`BlockAllocator`) with the
 * header written on allocation and rewritten on shrinking, and beside it what each block holds,
 * kept for the debugger's block map (Zephyr keeps only the bitmap).
 */
import { isErrno } from '../../errno';
import type { BlockArea } from './blockArea';
import { BlockAllocator, type BlockGrant } from './blocks';

/**
 * What a TX block holds: a message for an endpoint, an endpoint's name while it binds, or a
 * buffer granted to the application and not sent yet.
 */
export interface BlockOwner {
  readonly use: 'data' | 'name' | 'granted';
  /** The endpoint's name. */
  readonly endpoint: string;
  /** The control message's id (follow it in the trace), null before it is sent. */
  readonly msgId: number | null;
  /** The first block of the buffer. */
  readonly first: number;
  readonly blocks: number;
}

export interface TxBlocksSnapshot {
  readonly used: Uint8Array;
  readonly owners: readonly (BlockOwner | null)[];
}

export class TxBlocks {
  readonly area: BlockArea;
  readonly allocator: BlockAllocator;
  private owners: (BlockOwner | null)[];
  /** Told of every change of what blocks hold (the backend traces it for the block map). */
  onOwn: ((first: number, blocks: number, owner: BlockOwner | null) => void) | null = null;

  constructor(area: BlockArea) {
    this.area = area;
    this.allocator = new BlockAllocator(area.layout.blockSize, area.layout.blockCount);
    this.owners = new Array<BlockOwner | null>(area.layout.blockCount).fill(null);
  }

  /** What each block holds, by index (null: free). */
  get blockOwners(): readonly (BlockOwner | null)[] {
    return this.owners;
  }

  /** `alloc_tx_buffer` without waiting: the grant with its header written, or -ENOMEM. */
  alloc(size: number): BlockGrant | 'ENOMEM' {
    const grant = this.allocator.alloc(size);
    if (isErrno(grant)) return 'ENOMEM';
    this.area.mem.store32(this.area.header(grant.index), grant.size);
    return grant;
  }

  /** Records what blocks [first, first + blocks) hold (null `use`: nothing, they are free). */
  own(first: number, blocks: number, use: BlockOwner['use'] | null, endpoint: string, msgId: number | null): void {
    const owner = use === null ? null : { use, endpoint, msgId, first, blocks };
    for (let i = first; i < first + blocks && i < this.owners.length; i++) this.owners[i] = owner;
    this.onOwn?.(first, blocks, owner);
  }

  /**
   * `release_tx_blocks`: frees every block of a buffer of `size` bytes, or (newSize ≥ 0) those
   * beyond what `newSize` needs, writing `newSize` into the header. Returns the first block and
   * whether any block was freed.
   */
  release(
    index: number,
    size: number,
    newSize: number,
  ): { readonly index: number; readonly freed: boolean } | 'EINVAL' {
    const blocks = this.allocator.blocksFor(size);
    let from = index;
    let count = blocks;
    if (newSize >= 0) {
      const keep = this.allocator.blocksFor(newSize);
      if (keep > blocks) return 'EINVAL';
      this.area.mem.store32(this.area.header(index), newSize);
      from = index + keep;
      count = blocks - keep;
    }
    if (count === 0) return { index, freed: false };
    const r = this.allocator.release(from, count);
    if (isErrno(r)) return r;
    const kept = this.owners[index];
    this.own(from, count, null, '', null);
    if (from > index && kept) this.own(index, from - index, kept.use, kept.endpoint, kept.msgId);
    return { index, freed: true };
  }

  snapshot(): TxBlocksSnapshot {
    return { used: this.allocator.snapshot(), owners: [...this.owners] };
  }

  restore(s: TxBlocksSnapshot): void {
    this.allocator.restore(s.used);
    this.owners = [...s.owners];
  }
}
