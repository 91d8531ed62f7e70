/**
 * Memory faults in shared memory: where a fault's field lies in its region (as the writer lays the
 * region out) and the corruption itself. Both runtimes use it: the inline fault injector, and the
 * worker runtime's host, which writes into the shared buffer the cores run on.
 */
import { MSG_DATA } from '../backends/icbmsg/control';
import { BLOCK_HEADER_SIZE } from '../backends/icbmsg/layout';
import type { RegionLayout } from '../scenario/regionLayout';
import type { Fault } from './schema';

const hex32 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** Where a memory fault lands: its offset in shared memory and the field's width, or null. */
export function locateField(
  fault: Fault,
  regions: ReadonlyMap<string, RegionLayout>,
  bytes: Uint8Array,
): { at: number; width: number; what: string; region: RegionLayout } | null {
  const t = fault.target;
  const region = t.region === undefined ? undefined : regions.get(t.region);
  if (!region) return null;
  const cfg = region.cfg;
  const word = (at: number) =>
    ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>>
    0;
  const k = t.offset ?? 0;
  const unread = (): number | null => {
    const rd = word(cfg.rdIdxLoc);
    const wr = word(cfg.wrIdxLoc);
    return rd === wr || rd >= cfg.len ? null : rd;
  };
  switch (t.field ?? 'offset') {
    case 'rd_idx':
      return { at: cfg.rdIdxLoc, width: 4, what: 'rd_idx', region };
    case 'wr_idx':
      return { at: cfg.wrIdxLoc, width: 4, what: 'wr_idx', region };
    case 'handshake':
      return cfg.handshakeLoc === null ? null : { at: cfg.handshakeLoc, width: 4, what: 'handshake word', region };
    case 'length': {
      const rd = unread();
      return rd === null
        ? null
        : { at: cfg.dataLoc + rd + Math.min(k, 1), width: 1, what: 'packet length (BE16)', region };
    }
    case 'payload':
    case 'control': {
      const rd = unread();
      if (rd === null) return null;
      const at = cfg.dataLoc + ((rd + 4) % Math.max(1, cfg.len));
      const blocks = region.blocks;
      if (t.field === 'payload' && blocks) {
        // ICBMsg: the payload is in the blocks the next MSG_DATA names (type 0, ept, block).
        const block = bytes[(at + 2) % bytes.length] ?? 0;
        if ((bytes[at] ?? 0) !== MSG_DATA || block >= blocks.blockCount) return null;
        const data = blocks.at + block * blocks.blockSize + BLOCK_HEADER_SIZE;
        return { at: data + k, width: 1, what: `payload byte ${k} (block ${block})`, region };
      }
      const what = t.field === 'control' ? 'control message' : 'payload';
      return { at: cfg.dataLoc + ((rd + 4 + k) % Math.max(1, cfg.len)), width: 1, what: `${what} byte ${k}`, region };
    }
    case 'block-header': {
      const b = region.blocks;
      const block = t.block ?? 0;
      if (!b || block >= b.blockCount) return null;
      return { at: b.at + block * b.blockSize + Math.min(k, 3), width: 1, what: `block ${block} header`, region };
    }
    case 'offset':
      return k < region.size ? { at: region.offset + k, width: 1, what: `byte ${k}`, region } : null;
  }
}

/**
 * Makes a memory fault (corrupt-byte, flip-bit, poke32) happen in `bytes` (all of shared memory,
 * whose byte 0 is at address `base`): what it hit and how, or null when its field does not exist
 * (yet). `draw(n)` gives a random integer below n for the choices the fault leaves open.
 */
export function applyMemoryFault(
  fault: Fault,
  regions: ReadonlyMap<string, RegionLayout>,
  bytes: Uint8Array,
  base: number,
  draw: (n: number) => number,
): { readonly region: RegionLayout; readonly target: string; readonly detail: string } | null {
  const where = locateField(fault, regions, bytes);
  if (!where) return null;
  const target = `${where.region.name}.${where.what}`;
  const addr = base + where.at;
  if (fault.kind === 'poke32') {
    const at = where.width === 4 ? where.at : where.at & ~3;
    const value = (fault.value ?? 0) >>> 0;
    const before =
      (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24);
    for (let i = 0; i < 4; i++) bytes[at + i] = (value >>> (8 * i)) & 0xff;
    return { region: where.region, target, detail: `${hex32(base + at)}: ${hex32(before >>> 0)} → ${hex32(value)}` };
  }
  // A word field is hit in its low byte (the index's least significant byte, little endian).
  const at = where.at;
  const before = bytes[at] ?? 0;
  let after: number;
  if (fault.kind === 'flip-bit') {
    const bit = fault.bit ?? draw(8);
    after = before ^ (1 << bit);
  } else {
    after = fault.value !== undefined ? fault.value & 0xff : before ^ (1 + draw(255));
  }
  bytes[at] = after;
  const b2 = (v: number) => v.toString(16).padStart(2, '0');
  return { region: where.region, target, detail: `${hex32(addr)}: ${b2(before)} → ${b2(after)}` };
}
