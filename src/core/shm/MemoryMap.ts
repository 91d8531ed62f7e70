/**
 * The SoC's shared RAM: one buffer (a `SharedArrayBuffer` when the page is cross-origin isolated,
 * a plain `ArrayBuffer` otherwise) seen at a virtual base address, carved into named regions.
 *
 *   virtual address   base (default 0x2007_0000)                      base + size
 *                     |                                                |
 *   buffer offset     0 ── region "a→b" ──┬── region "b→a" ──┬── …  ──┘
 *                                         offset              offset
 *
 * Addresses that the real protocols store or compare (legacy ICBMsg picks its initiator by
 * address, vrings hold addresses) are virtual addresses; everything that touches bytes uses
 * buffer offsets. The map holds no protocol state: every core builds its own view on it.
 */
import { type ConfigIssue, fail, ok, type Outcome } from '../outcome';

/** An address on the simulated SoC's bus, as firmware would see it. */
export type VirtualAddress = number & { readonly __brand: 'VirtualAddress' };

/** Where nRF5340's application core places IPC shared memory in Zephyr's samples. */
export const DEFAULT_SHARED_RAM_BASE = 0x2007_0000 as VirtualAddress;

export interface RegionSpec {
  readonly name: string;
  /** Bytes from the start of the buffer; a multiple of 4 (every index word is word-aligned). */
  readonly offset: number;
  readonly size: number;
}

export interface Region extends RegionSpec {
  readonly address: VirtualAddress;
}

export interface MemoryMapSpec {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly base?: number;
  readonly regions: readonly RegionSpec[];
}

const isWordAligned = (value: number): boolean => value % 4 === 0;

export class MemoryMap {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly base: VirtualAddress;
  /** Byte view of the whole buffer. */
  readonly bytes: Uint8Array;
  /** Word view for index and handshake words, always accessed through `Atomics`. */
  readonly words: Int32Array;
  readonly regions: readonly Region[];

  private constructor(buffer: ArrayBuffer | SharedArrayBuffer, base: VirtualAddress, regions: readonly Region[]) {
    this.buffer = buffer;
    this.base = base;
    this.bytes = new Uint8Array(buffer);
    this.words = new Int32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
    this.regions = regions;
  }

  /** Validates the layout and builds the map; every problem is reported, none is thrown. */
  static create(spec: MemoryMapSpec): Outcome<MemoryMap, ConfigIssue[]> {
    const issues: ConfigIssue[] = [];
    const size = spec.buffer.byteLength;
    const base = spec.base ?? DEFAULT_SHARED_RAM_BASE;
    if (!Number.isInteger(base) || base < 0 || !isWordAligned(base) || base + size > 0x1_0000_0000) {
      issues.push({
        path: 'base',
        message: `base address ${String(base)} must be a word-aligned 32-bit address with room for ${size} bytes`,
      });
    }
    if (!isWordAligned(size)) {
      issues.push({ path: 'size', message: `shared memory size ${size} must be a multiple of 4 bytes` });
    }
    const seen = new Set<string>();
    spec.regions.forEach((region, i) => {
      const path = `regions[${i}]`;
      if (region.name.length === 0) issues.push({ path: `${path}.name`, message: 'a region needs a name' });
      if (seen.has(region.name))
        issues.push({ path: `${path}.name`, message: `region name "${region.name}" is used twice` });
      seen.add(region.name);
      if (!Number.isInteger(region.offset) || region.offset < 0 || !isWordAligned(region.offset)) {
        issues.push({
          path: `${path}.offset`,
          message: `offset ${region.offset} must be a non-negative multiple of 4`,
        });
      }
      if (!Number.isInteger(region.size) || region.size <= 0) {
        issues.push({ path: `${path}.size`, message: `size ${region.size} must be a positive whole number of bytes` });
      } else if (region.offset + region.size > size) {
        issues.push({
          path: `${path}.size`,
          message: `region "${region.name}" (${region.offset}..${region.offset + region.size}) ends past the ${size}-byte shared memory`,
        });
      }
    });
    spec.regions.forEach((a, i) => {
      spec.regions.slice(i + 1).forEach((b) => {
        if (a.offset < b.offset + b.size && b.offset < a.offset + a.size) {
          issues.push({ path: `regions[${i}]`, message: `regions "${a.name}" and "${b.name}" overlap` });
        }
      });
    });
    if (issues.length > 0) return fail(issues);
    const vbase = base as VirtualAddress;
    const regions = spec.regions.map((r) => ({ ...r, address: (vbase + r.offset) as VirtualAddress }));
    return ok(new MemoryMap(spec.buffer, vbase, regions));
  }

  get size(): number {
    return this.buffer.byteLength;
  }

  /** True when the buffer really is shared between threads. */
  get isShared(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.buffer instanceof SharedArrayBuffer;
  }

  region(name: string): Region | undefined {
    return this.regions.find((r) => r.name === name);
  }

  addressOf(offset: number): VirtualAddress {
    return (this.base + offset) as VirtualAddress;
  }

  /** The buffer offset of a virtual address, or undefined when it lies outside shared memory. */
  offsetOf(address: number): number | undefined {
    const offset = address - this.base;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }
}
