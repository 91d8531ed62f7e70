/**
 * One region's blocks area as ICBMsg code reads and writes it in shared memory: block i starts at
 * `at + i * B` with a 4-byte little-endian size header, then its data.
 *
 *   at ─▶ | size | data[size] …    | size | …            (B bytes per block, a buffer spans blocks)
 */
import type { MemoryView } from '../../shm/MemoryView';
import { decodeUtf8 } from '../../utf8';
import { BLOCK_HEADER_SIZE, type IcbmsgLayout } from './layout';

export class BlockArea {
  readonly mem: MemoryView;
  /** Offset of block 0 in shared memory. */
  readonly at: number;
  readonly layout: IcbmsgLayout;

  constructor(mem: MemoryView, at: number, layout: IcbmsgLayout) {
    this.mem = mem;
    this.at = at;
    this.layout = layout;
  }

  header(index: number): number {
    return this.at + index * this.layout.blockSize;
  }

  data(index: number): number {
    return this.header(index) + BLOCK_HEADER_SIZE;
  }

  /** A zero-copy view of a buffer's data. */
  view(index: number, size: number): Uint8Array {
    return this.mem.view(this.data(index), size);
  }

  /**
   * `buffer_from_index_validate` with a size: the buffer's size from its header, or null when
   * the index or the size leaves the area (invalidating the header, then the data, when asked).
   */
  validatedSize(index: number, invalidate: boolean): number | null {
    const { blockCount, blockSize } = this.layout;
    if (!Number.isInteger(index) || index < 0 || index >= blockCount) return null;
    const header = this.header(index);
    if (invalidate) this.mem.invalidate(header, BLOCK_HEADER_SIZE);
    const allocable = blockCount * blockSize;
    const size = this.mem.load32(header);
    if (size > allocable - BLOCK_HEADER_SIZE || index * blockSize + BLOCK_HEADER_SIZE + size > allocable) return null;
    if (invalidate) this.mem.invalidate(header + BLOCK_HEADER_SIZE, size);
    return size;
  }

  /** `buffer_to_index_validate`: the block a buffer view starts in, if it is a block's data. */
  indexOf(buffer: Uint8Array): number | null {
    const at = this.mem.offsetOf(buffer);
    if (at === null) return null;
    const index = Math.floor((at - this.at) / this.layout.blockSize);
    if (index < 0 || index >= this.layout.blockCount) return null;
    return this.data(index) === at ? index : null;
  }

  /** The NUL-terminated name in block `index`, read no further than the end of the area. */
  readName(index: number): string {
    const end = this.at + this.layout.blockCount * this.layout.blockSize;
    const bytes: number[] = [];
    const one = new Uint8Array(1);
    for (let p = this.data(index); p < end - 1; p++) {
      this.mem.read(p, one, 0, 1);
      if (one[0] === 0) break;
      bytes.push(one[0] ?? 0);
    }
    return decodeUtf8(Uint8Array.from(bytes));
  }
}
