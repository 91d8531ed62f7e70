/**
 * One core's view of shared RAM: how protocol code reads and writes it.
 *
 * - Index and handshake words go through `Atomics` on the map's `Int32Array`: that is the memory
 *   barrier Zephyr gets from `__sync_synchronize()`, and it also works on a plain `ArrayBuffer`.
 * - Payload bytes are plain `Uint8Array` copies.
 * - `flush` / `invalidate` are the cache-maintenance calls Zephyr makes
 *   (`sys_cache_data_flush_range` / `sys_cache_data_invd_range`); they are reported to an
 *   observer, in the order the protocol issued them, and act on the core's data cache when it
 *   has one (`DataCache`, a write-back cache every access then goes through; no-copy views
 *   bypass it).
 * - Nothing ever touches memory outside the buffer. A protocol that follows a corrupted index past
 *   the end (as real firmware would) has the access clipped at the buffer's end, and the observer
 *   hears about it: that is the simulator's equivalent of a bus fault.
 */
import type { DataCache } from './DataCache';
import type { MemoryMap } from './MemoryMap';

export type CacheOp = 'flush' | 'invalidate';

/**
 * Copies up to this many bytes go byte by byte: into or out of a SharedArrayBuffer that is faster
 * than creating a subarray view for `set` (measured in the worker benchmark).
 */
const SHORT_COPY = 128;

export interface MemoryObserver {
  /** A cache-maintenance call, with the byte range as the protocol passed it (not line-rounded). */
  cacheOp?(op: CacheOp, offset: number, size: number): void;
  /** An access that reached past the end of shared memory; `inBounds` bytes were really done. */
  outOfBounds?(access: 'read' | 'write', offset: number, length: number, inBounds: number): void;
}

/** What protocol code needs from shared memory. A cache model implements the same contract. */
export interface SharedMemoryAccess {
  readonly map: MemoryMap;
  /** Reads a little-endian u32 word (unsigned). */
  load32(offset: number): number;
  /** Stores a little-endian u32 word; a publishing store that the peer may read at once. */
  store32(offset: number, value: number): void;
  read(offset: number, dst: Uint8Array, dstOffset: number, length: number): void;
  /** A big-endian u16 (a pbuf length header), 0 past the end of memory. */
  readBe16(offset: number): number;
  /** A pbuf packet header: `len` big-endian in the first two bytes, then two zero bytes. */
  writeHeader(offset: number, len: number): void;
  write(offset: number, src: Uint8Array, srcOffset: number, length: number): void;
  flush(offset: number, size: number): void;
  invalidate(offset: number, size: number): void;
}

export class MemoryView implements SharedMemoryAccess {
  readonly map: MemoryMap;
  readonly domain: string;
  observer: MemoryObserver | undefined;
  /** The core's data cache over shared memory, when it has one. */
  cache: DataCache | null = null;
  private readonly bytes: Uint8Array;
  private readonly words: Int32Array;

  constructor(map: MemoryMap, domain: string, observer?: MemoryObserver) {
    this.map = map;
    this.domain = domain;
    this.observer = observer;
    this.bytes = map.bytes;
    this.words = map.words;
  }

  load32(offset: number): number {
    if (!this.wordInBounds(offset)) {
      this.observer?.outOfBounds?.('read', offset, 4, 0);
      return 0;
    }
    if (this.cache) return this.cache.load32(offset);
    return Atomics.load(this.words, offset >>> 2) >>> 0;
  }

  store32(offset: number, value: number): void {
    if (!this.wordInBounds(offset)) {
      this.observer?.outOfBounds?.('write', offset, 4, 0);
      return;
    }
    if (this.cache) this.cache.store32(offset, value >>> 0);
    else Atomics.store(this.words, offset >>> 2, value | 0);
  }

  readBe16(offset: number): number {
    if (offset < 0 || offset + 2 > this.bytes.length) {
      this.clip('read', offset, 2);
      return 0;
    }
    if (this.cache) {
      const two = new Uint8Array(2);
      this.cache.read(offset, two, 0, 2);
      return (((two[0] ?? 0) << 8) | (two[1] ?? 0)) >>> 0;
    }
    return (((this.bytes[offset] ?? 0) << 8) | (this.bytes[offset + 1] ?? 0)) >>> 0;
  }

  writeHeader(offset: number, len: number): void {
    const bytes = this.bytes;
    if (this.cache || offset < 0 || offset + 4 > bytes.length) {
      const header = Uint8Array.of(len >>> 8, len & 0xff, 0, 0);
      this.write(offset, header, 0, 4);
      return;
    }
    bytes[offset] = len >>> 8;
    bytes[offset + 1] = len & 0xff;
    bytes[offset + 2] = 0;
    bytes[offset + 3] = 0;
  }

  read(offset: number, dst: Uint8Array, dstOffset: number, length: number): void {
    const n = this.clip('read', offset, length);
    if (this.cache) {
      this.cache.read(offset, dst, dstOffset, n);
      return;
    }
    const bytes = this.bytes;
    // Short copies byte by byte: cheaper than creating a subarray view for `set`.
    if (n <= SHORT_COPY) for (let i = 0; i < n; i++) dst[dstOffset + i] = bytes[offset + i] ?? 0;
    else dst.set(bytes.subarray(offset, offset + n), dstOffset);
  }

  write(offset: number, src: Uint8Array, srcOffset: number, length: number): void {
    const n = this.clip('write', offset, length);
    if (this.cache) {
      this.cache.write(offset, src, srcOffset, n);
      return;
    }
    const bytes = this.bytes;
    if (n <= SHORT_COPY) for (let i = 0; i < n; i++) bytes[offset + i] = src[srcOffset + i] ?? 0;
    else bytes.set(src.subarray(srcOffset, srcOffset + n), offset);
  }

  /**
   * A zero-copy view of `length` bytes at `offset`, clipped to the buffer (the no-copy API hands
   * these to the application: its writes land in shared memory).
   */
  view(offset: number, length: number): Uint8Array {
    const n = this.clip('read', offset, length);
    const at = Math.max(0, Math.min(offset, this.bytes.length));
    // The view bypasses the core's cache: what the cache holds of the range goes back to RAM first.
    this.cache?.release(at, n);
    return this.bytes.subarray(at, at + n);
  }

  /** The offset a `view` starts at, or null when the array is not a view of this memory. */
  offsetOf(view: Uint8Array): number | null {
    if (view.buffer !== this.bytes.buffer) return null;
    const at = view.byteOffset - this.bytes.byteOffset;
    return at >= 0 && at <= this.bytes.length ? at : null;
  }

  flush(offset: number, size: number): void {
    this.observer?.cacheOp?.('flush', offset, size);
    this.cache?.flush(offset, size);
  }

  invalidate(offset: number, size: number): void {
    this.observer?.cacheOp?.('invalidate', offset, size);
    this.cache?.invalidate(offset, size);
  }

  private wordInBounds(offset: number): boolean {
    return offset >= 0 && (offset & 3) === 0 && offset + 4 <= this.bytes.length;
  }

  /** How many of `length` bytes at `offset` lie inside the buffer; reports the rest. */
  private clip(access: 'read' | 'write', offset: number, length: number): number {
    if (length <= 0) return 0;
    const end = this.bytes.length;
    if (offset >= 0 && offset + length <= end) return length;
    const inBounds = offset < 0 || offset >= end ? 0 : end - offset;
    this.observer?.outOfBounds?.(access, offset, length, inBounds);
    return inBounds;
  }
}
