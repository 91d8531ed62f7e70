/**
 * A core's write-back data cache over shared memory, for the failures wrong cache maintenance
 * causes (reference §12 F10, §14 "Cache modelling"). Lines of `lineSize` bytes (the hardware's,
 * which the devicetree's `dcache-alignment` must match):
 *
 * - a read or write of a line not held fills it from memory (allocate on read and on write);
 * - writes stay in the line, dirty, until `flush` writes the whole line back;
 * - reads hit the line until `invalidate` drops it (dirty data with it, as `dcache invalidate`
 *   does);
 * - lines are never evicted, so a missing flush or invalidate shows every time instead of
 *   "sooner or later".
 *
 * Because whole lines are written back, two fields that share a line but are written by different
 * cores (rd_idx and wr_idx with `dcache-alignment` smaller than the line) overwrite each other's
 * updates: the F10 failure. Fault injection can make a core skip its next flushes or invalidates.
 */

interface Line {
  readonly data: Uint8Array;
  dirty: boolean;
}

export interface DataCacheSnapshot {
  readonly lines: readonly (readonly [number, Uint8Array, boolean])[];
  readonly skipFlushes: number;
  readonly skipInvalidates: number;
}

export class DataCache {
  readonly lineSize: number;
  private readonly memory: Uint8Array;
  private lines = new Map<number, Line>();
  /** Fault injection: how many of the next flushes / invalidates do nothing. */
  skipFlushes = 0;
  skipInvalidates = 0;

  constructor(memory: Uint8Array, lineSize: number) {
    this.memory = memory;
    this.lineSize = lineSize;
  }

  /** Lines held, and how many are dirty (for inspection). */
  get held(): { readonly lines: number; readonly dirty: number } {
    let dirty = 0;
    for (const l of this.lines.values()) if (l.dirty) dirty += 1;
    return { lines: this.lines.size, dirty };
  }

  private line(index: number): Line {
    let l = this.lines.get(index);
    if (!l) {
      const at = index * this.lineSize;
      l = { data: this.memory.slice(at, Math.min(at + this.lineSize, this.memory.length)), dirty: false };
      this.lines.set(index, l);
    }
    return l;
  }

  /** Reads `length` bytes at `offset` (inside memory) into `dst`. */
  read(offset: number, dst: Uint8Array, dstOffset: number, length: number): void {
    const size = this.lineSize;
    for (let i = 0; i < length; i++) {
      const at = offset + i;
      dst[dstOffset + i] = this.line(Math.floor(at / size)).data[at % size] ?? 0;
    }
  }

  /** Writes `length` bytes of `src` at `offset` (inside memory) into the cache. */
  write(offset: number, src: Uint8Array, srcOffset: number, length: number): void {
    const size = this.lineSize;
    for (let i = 0; i < length; i++) {
      const at = offset + i;
      const l = this.line(Math.floor(at / size));
      l.data[at % size] = src[srcOffset + i] ?? 0;
      l.dirty = true;
    }
  }

  private readonly word = new Uint8Array(4);

  load32(offset: number): number {
    const w = this.word;
    this.read(offset, w, 0, 4);
    return ((w[0] ?? 0) | ((w[1] ?? 0) << 8) | ((w[2] ?? 0) << 16) | ((w[3] ?? 0) << 24)) >>> 0;
  }

  store32(offset: number, value: number): void {
    const w = this.word;
    w[0] = value & 0xff;
    w[1] = (value >>> 8) & 0xff;
    w[2] = (value >>> 16) & 0xff;
    w[3] = (value >>> 24) & 0xff;
    this.write(offset, w, 0, 4);
  }

  /** `sys_cache_data_flush_range`: writes back every dirty line the range touches. */
  flush(offset: number, size: number): void {
    if (this.skipFlushes > 0) {
      this.skipFlushes -= 1;
      return;
    }
    for (const index of this.linesOf(offset, size)) {
      const l = this.lines.get(index);
      if (!l?.dirty) continue;
      this.memory.set(l.data, index * this.lineSize);
      l.dirty = false;
    }
  }

  /** `sys_cache_data_invd_range`: drops every line the range touches (dirty data is lost). */
  invalidate(offset: number, size: number): void {
    if (this.skipInvalidates > 0) {
      this.skipInvalidates -= 1;
      return;
    }
    for (const index of this.linesOf(offset, size)) this.lines.delete(index);
  }

  /**
   * Hands a range over to uncached access (a no-copy view: the application reads and writes RAM
   * directly): dirty lines are written back and every line is dropped, so later cached accesses
   * see what the application wrote. Not cache maintenance of the protocol's: faults never skip it.
   */
  release(offset: number, size: number): void {
    for (const index of this.linesOf(offset, size)) {
      const l = this.lines.get(index);
      if (l?.dirty) this.memory.set(l.data, index * this.lineSize);
      this.lines.delete(index);
    }
  }

  private linesOf(offset: number, size: number): number[] {
    if (size <= 0) return [];
    const first = Math.floor(offset / this.lineSize);
    const last = Math.floor((offset + size - 1) / this.lineSize);
    const out: number[] = [];
    for (let i = first; i <= last; i++) out.push(i);
    return out;
  }

  snapshot(): DataCacheSnapshot {
    return {
      lines: [...this.lines].map(([i, l]) => [i, l.data.slice(), l.dirty] as const),
      skipFlushes: this.skipFlushes,
      skipInvalidates: this.skipInvalidates,
    };
  }

  restore(saved: unknown): void {
    const s = saved as DataCacheSnapshot;
    this.lines = new Map(s.lines.map(([i, data, dirty]) => [i, { data: data.slice(), dirty }]));
    this.skipFlushes = s.skipFlushes;
    this.skipInvalidates = s.skipInvalidates;
  }
}
