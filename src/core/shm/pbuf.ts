/**
 * pbuf: Zephyr's packet FIFO (`subsys/ipc/ipc_service/lib/pbuf.c`), the transport under ICMsg,
 * byte-compatible with it: the bytes left in memory after every call are the bytes Zephyr leaves.
 *
 * Layout (`PBUF_CFG_INIT`), H = 2 with a handshake word (ICMsg 1.1), else 1:
 *
 *   0        4           WR = MAX(dcache, 4·H)   WR+4                              size
 *   +--------+-----------+-----+-----------------+-----------------------------------+
 *   | rd_idx | handshake | pad | wr_idx          | data[len]  (circular)             |
 *   +--------+-----------+-----+-----------------+-----------------------------------+
 *    written by the reader       written by the writer
 *
 * Packet: [len u16 BE][00 00][payload …][0-3 padding bytes, never written]. Headers sit at
 * 4-aligned indices and `len` is a multiple of 4, so a header never wraps; a payload may
 * (the part that does not fit continues at data[0]). Four bytes are always kept free, so
 * `rd_idx == wr_idx` means empty and the largest payload is `len - 8`.
 *
 * Each core holds its own `Pbuf` over the same memory (a writer view on one core, a reader view on
 * the other), with local copies of its own index (`data.wrIdx` / `data.rdIdx`) that are never
 * re-read from shared memory. All index arithmetic is unsigned 32-bit, as in C.
 *
 * Modes: `faithful` uses the peer's index as Zephyr does (alignment checked, range not), so a
 * corrupted index damages memory as it would on a real core (clipped only at the end of the
 * buffer); `hardened` rejects an out-of-range peer index with -EINVAL before touching anything.
 */
import type { Errno, Result } from '../errno';
import type { SharedMemoryAccess } from './MemoryView';

/** Size of the per-packet header (`PBUF_PACKET_LEN_SZ`). */
export const PBUF_PACKET_LEN_SZ = 4;
/** Size of an index word, and of the gap always kept free (`_PBUF_IDX_SIZE`). */
export const PBUF_IDX_SIZE = 4;
/** Smallest `data[]` that holds a 1-byte packet plus the free gap (`_PBUF_MIN_DATA_LEN`). */
export const PBUF_MIN_DATA_LEN = 12;
/** Largest payload a pbuf can carry: the length field is 16 bits. */
export const PBUF_MAX_PACKET_LEN = 0xffff;

export type PbufMode = 'faithful' | 'hardened';

/** `struct pbuf_cfg`, with locations as byte offsets into the shared-memory buffer. */
export interface PbufCfg {
  readonly rdIdxLoc: number;
  /** null when the layout has no handshake word (ICMsg 1.0). */
  readonly handshakeLoc: number | null;
  readonly wrIdxLoc: number;
  readonly dataLoc: number;
  /** Length of `data[]` in bytes (unsigned 32-bit, as `PBUF_CFG_INIT` computes it). */
  readonly len: number;
  readonly dcacheAlignment: number;
}

/** `PBUF_CFG_INIT(mem, size, dcache_align, use_handshake)`, for a region at buffer offset `mem`. */
export function pbufCfgInit(mem: number, size: number, dcacheAlignment: number, useHandshake: boolean): PbufCfg {
  const wrOffset = Math.max(dcacheAlignment, (useHandshake ? 2 : 1) * PBUF_IDX_SIZE);
  return {
    rdIdxLoc: mem,
    handshakeLoc: useHandshake ? mem + PBUF_IDX_SIZE : null,
    wrIdxLoc: mem + wrOffset,
    dataLoc: mem + wrOffset + PBUF_IDX_SIZE,
    len: (size - wrOffset - PBUF_IDX_SIZE) >>> 0,
    dcacheAlignment,
  };
}

/** `PBUF_HEADER_OVERHEAD(dcache_align)`: bytes before `data[]` in the layout without handshake. */
export function pbufHeaderOverhead(dcacheAlignment: number): number {
  return Math.max(dcacheAlignment, PBUF_IDX_SIZE) + PBUF_IDX_SIZE;
}

/** `IS_PTR_ALIGNED_BYTES(addr, align)`: the low bits under `align` are clear. */
const isAligned = (address: number, align: number): boolean => ((address >>> 0) & (align - 1)) === 0;

/**
 * `validate_cfg()`, run by tx/rx init: alignment of every location (checked on the virtual
 * address, as Zephyr checks pointers), a `data[]` of at least 12 bytes and a multiple of 4, and
 * the order rd < handshake < wr < data with `rd + MAX(4, dcache) == wr`.
 *
 * Zephyr quirk kept on purpose: with a handshake word and `dcache_alignment < 8`, PBUF_CFG_INIT
 * puts wr_idx at rd + 8 while the last check wants rd + 4, so ICMsg 1.1 needs dcache >= 8.
 */
export function validatePbufCfg(cfg: PbufCfg, base: number): 0 | 'EINVAL' {
  const lineAlign = Math.max(cfg.dcacheAlignment, PBUF_IDX_SIZE);
  const rd = base + cfg.rdIdxLoc;
  const wr = base + cfg.wrIdxLoc;
  const data = base + cfg.dataLoc;
  const hs = cfg.handshakeLoc === null ? 0 : base + cfg.handshakeLoc;
  if (!isAligned(rd, lineAlign) || !isAligned(wr, lineAlign) || !isAligned(hs, 4) || !isAligned(data, 4)) {
    return 'EINVAL';
  }
  if (cfg.len < PBUF_MIN_DATA_LEN || !isAligned(cfg.len, PBUF_IDX_SIZE)) return 'EINVAL';
  if (!(rd < wr) || (hs !== 0 && !(rd < hs)) || !(hs < wr) || !(wr < data) || rd + lineAlign !== wr) {
    return 'EINVAL';
  }
  return 0;
}

/**
 * `PBUF_DEFINE`'s build asserts, which reject a devicetree configuration before any code runs.
 * Returns the failed assertions' messages (empty when the configuration builds).
 */
export function pbufDefineAsserts(
  address: number,
  size: number,
  dcacheAlignment: number,
  compatibility: boolean,
): string[] {
  const failed: string[] = [];
  const align = Math.max(dcacheAlignment, PBUF_IDX_SIZE);
  if (dcacheAlignment < 0) failed.push('Cache line size must be non negative.');
  if (!(size > 0 && isAligned(size, PBUF_IDX_SIZE))) failed.push('Incorrect size.');
  if (!isAligned(address, align)) failed.push('Misaligned memory.');
  if (size < align + PBUF_IDX_SIZE + PBUF_MIN_DATA_LEN) failed.push('Insufficient size.');
  if (compatibility && dcacheAlignment < 8) {
    failed.push('Data cache alignment must be at least 8 if compatibility is enabled.');
  }
  return failed;
}

/** Bytes written and not yet read, `idx_occupied()`. Assumes the indices differ by at most len. */
export function pbufOccupied(len: number, wrIdx: number, rdIdx: number): number {
  return rdIdx > wrIdx ? (len - (rdIdx - wrIdx)) >>> 0 : (wrIdx - rdIdx) >>> 0;
}

/** `idx_wrap()`: back to the start once past the end. */
export function pbufWrap(len: number, idx: number): number {
  return idx >= len ? idx % len : idx;
}

/** `ROUND_UP(x, 4)` in unsigned 32-bit arithmetic. */
const roundUp4 = (x: number): number => (((x + 3) >>> 0) & ~3) >>> 0;

/** Where `pbuf_get_initial_buf()` found the first packet: its payload's buffer offset and length. */
export interface InitialBuf {
  readonly offset: number;
  readonly len: number;
}

/** What a pbuf reports besides its return values: the seams for tracing and anomalies. */
export interface PbufObserver {
  /** A packet is in place at `data[index]` (`len` payload bytes); called just before it is published. */
  packetWritten?(pb: Pbuf, index: number, len: number): void;
  /** A packet was copied out; called just before its space is freed. */
  packetRead?(pb: Pbuf, index: number, len: number): void;
  /** Zephyr would hit `__ASSERT` here; the call continues as a CONFIG_ASSERT=n build does. */
  assertFailed?(pb: Pbuf, message: string): void;
  /** Hardened mode refused a peer index outside data[] (faithful mode would have used it). */
  indexRejected?(pb: Pbuf, which: 'rd_idx' | 'wr_idx', value: number): void;
  /**
   * Faithful mode, misled by a peer index, wrote or read `length` bytes outside data[] from
   * shared-memory offset `offset` on: Zephyr does the same to whatever lies there.
   */
  outsideData?(pb: Pbuf, access: 'read' | 'write', offset: number, length: number): void;
}

export class Pbuf {
  readonly cfg: PbufCfg;
  readonly mem: SharedMemoryAccess;
  readonly mode: PbufMode;
  observer: PbufObserver | undefined;
  /** `struct pbuf_data`: the local copies of the indices (writer uses wrIdx, reader rdIdx). */
  readonly data = { wrIdx: 0, rdIdx: 0 };
  /** Packets and payload bytes this view wrote / read (plain counters, for statistics). */
  readonly counts = { packetsWritten: 0, bytesWritten: 0, packetsRead: 0, bytesRead: 0 };
  /** validate_cfg() of this configuration; an invalid configuration refuses every call. */
  readonly cfgStatus: 0 | 'EINVAL';

  constructor(cfg: PbufCfg, mem: SharedMemoryAccess, mode: PbufMode = 'faithful', observer?: PbufObserver) {
    this.cfg = cfg;
    this.mem = mem;
    this.mode = mode;
    this.observer = observer;
    this.cfgStatus = validatePbufCfg(cfg, mem.map.base);
  }

  /** `pbuf_tx_init()`: resets the local indices and publishes an empty FIFO (wr_idx = rd_idx = 0). */
  txInit(): Result {
    if (this.cfgStatus !== 0) return this.cfgStatus;
    const { cfg, mem } = this;
    this.data.wrIdx = 0;
    this.data.rdIdx = 0;
    mem.store32(cfg.wrIdxLoc, 0); // publishes: the FIFO is empty
    mem.store32(cfg.rdIdxLoc, 0); // publishes: nothing has been read
    mem.flush(cfg.wrIdxLoc, PBUF_IDX_SIZE);
    mem.flush(cfg.rdIdxLoc, PBUF_IDX_SIZE);
    return 0;
  }

  /** `pbuf_rx_init()`: resets the local indices only; writes nothing to shared memory. */
  rxInit(): Result {
    if (this.cfgStatus !== 0) return this.cfgStatus;
    this.data.wrIdx = 0;
    this.data.rdIdx = 0;
    return 0;
  }

  /**
   * `pbuf_write(pb, data, len)`: appends one packet and publishes it by storing wr_idx last.
   * `len` is a `uint16_t` in Zephyr, so larger values are truncated to 16 bits here too.
   * Returns len, -EINVAL (len 0, no data, misaligned peer rd_idx; `src` shorter than len, which C
   * cannot express), or -ENOMEM (not enough free space).
   */
  write(src: Uint8Array | null, len: number): Result {
    const length = len & 0xffff;
    if (length === 0 || src === null || src.length < length) return 'EINVAL';
    if (this.cfgStatus !== 0) return this.cfgStatus;
    const { cfg, mem } = this;
    const blen = cfg.len;

    // Only rd_idx is re-read; the local wr_idx is trusted ("to increase buffer security").
    mem.invalidate(cfg.rdIdxLoc, PBUF_IDX_SIZE);
    const rdIdx = mem.load32(cfg.rdIdxLoc);
    let wrIdx = this.data.wrIdx;
    if ((wrIdx & 3) !== 0) this.observer?.assertFailed?.(this, 'pbuf_write: local wr_idx is not word-aligned');
    if ((rdIdx & 3) !== 0) return 'EINVAL';
    if (this.mode === 'hardened' && rdIdx >= blen) return this.reject('rd_idx', rdIdx);

    const freeSpace = (blen - pbufOccupied(blen, wrIdx, rdIdx) - PBUF_IDX_SIZE) >>> 0;
    if (freeSpace < length + PBUF_PACKET_LEN_SZ) return 'ENOMEM';

    // Header word: cleared, then the big-endian length in its first two bytes.
    const headerIdx = wrIdx;
    mem.writeHeader(cfg.dataLoc + wrIdx, length);
    mem.flush(cfg.dataLoc + wrIdx, PBUF_PACKET_LEN_SZ);

    wrIdx = pbufWrap(blen, wrIdx + PBUF_PACKET_LEN_SZ);
    const tail = Math.min(length, blen - wrIdx);
    mem.write(cfg.dataLoc + wrIdx, src, 0, tail);
    mem.flush(cfg.dataLoc + wrIdx, tail);
    if (length > tail) {
      mem.write(cfg.dataLoc, src, tail, length - tail);
      mem.flush(cfg.dataLoc, length - tail);
      // More than data[] holds after the wrap (a free space computed from a bogus rd_idx).
      if (length - tail > blen) this.observer?.outsideData?.(this, 'write', cfg.dataLoc + blen, length - tail - blen);
    }

    wrIdx = pbufWrap(blen, roundUp4(wrIdx + length));
    this.data.wrIdx = wrIdx;
    this.counts.packetsWritten += 1;
    this.counts.bytesWritten += length;
    // Reported before the publishing store, so a trace from another thread can never show the
    // packet read before it was written.
    this.observer?.packetWritten?.(this, headerIdx, length);
    mem.store32(cfg.wrIdxLoc, wrIdx); // publishes the packet to the reader
    mem.flush(cfg.wrIdxLoc, PBUF_IDX_SIZE);
    return length;
  }

  /**
   * `pbuf_read(pb, buf, len)`: with `dst === null`, returns the next packet's length without
   * consuming it (peek). Otherwise copies the packet into `dst` and frees its bytes by storing
   * rd_idx. `len` is the buffer capacity (`uint16_t`), `dst.length` when omitted.
   * Returns the packet length, 0 when empty, -EINVAL (misaligned peer wr_idx; `dst` shorter than
   * len), -ENOMEM (packet larger than len; nothing consumed) or -EAGAIN (the header claims more
   * bytes than were written: "should never happen", nothing consumed).
   */
  read(dst: Uint8Array | null, len: number = dst === null ? 0 : dst.length): Result {
    if (this.cfgStatus !== 0) return this.cfgStatus;
    const { cfg, mem } = this;
    const blen = cfg.len;

    // Only wr_idx is re-read; the local rd_idx is trusted.
    mem.invalidate(cfg.wrIdxLoc, PBUF_IDX_SIZE);
    const wrIdx = mem.load32(cfg.wrIdxLoc);
    let rdIdx = this.data.rdIdx;
    if ((rdIdx & 3) !== 0) this.observer?.assertFailed?.(this, 'pbuf_read: local rd_idx is not word-aligned');
    if ((wrIdx & 3) !== 0) return 'EINVAL';
    if (this.mode === 'hardened' && wrIdx >= blen) return this.reject('wr_idx', wrIdx);
    if (rdIdx === wrIdx) return 0;

    mem.invalidate(cfg.dataLoc + rdIdx, PBUF_PACKET_LEN_SZ);
    const plen = mem.readBe16(cfg.dataLoc + rdIdx);
    if (dst === null) return plen;

    const capacity = len & 0xffff;
    if (dst.length < capacity) return 'EINVAL';
    if (plen > capacity) return 'ENOMEM';
    if (pbufOccupied(blen, wrIdx, rdIdx) < plen + PBUF_PACKET_LEN_SZ) return 'EAGAIN';

    const headerIdx = rdIdx;
    rdIdx = pbufWrap(blen, rdIdx + PBUF_PACKET_LEN_SZ);
    const tail = Math.min(blen - rdIdx, plen);
    mem.invalidate(cfg.dataLoc + rdIdx, tail);
    mem.read(cfg.dataLoc + rdIdx, dst, 0, tail);
    if (plen > tail) {
      mem.invalidate(cfg.dataLoc, plen - tail);
      mem.read(cfg.dataLoc, dst, tail, plen - tail);
      if (plen - tail > blen) this.observer?.outsideData?.(this, 'read', cfg.dataLoc + blen, plen - tail - blen);
    }

    rdIdx = pbufWrap(blen, roundUp4(rdIdx + plen));
    this.data.rdIdx = rdIdx;
    this.counts.packetsRead += 1;
    this.counts.bytesRead += plen;
    // Reported before the freeing store, so the next packet written into this space is traced after it.
    this.observer?.packetRead?.(this, headerIdx, plen);
    mem.store32(cfg.rdIdxLoc, rdIdx); // publishes: the packet's bytes are free for the writer
    mem.flush(cfg.rdIdxLoc, PBUF_IDX_SIZE);
    return plen;
  }

  /** `pbuf_handshake_read()`: the handshake word, as the writer of this region reads it. */
  handshakeRead(): number {
    const loc = this.cfg.handshakeLoc;
    if (loc === null) {
      this.observer?.assertFailed?.(this, 'pbuf_handshake_read: this pbuf has no handshake word');
      return 0;
    }
    this.mem.invalidate(loc, PBUF_IDX_SIZE);
    return this.mem.load32(loc);
  }

  /** `pbuf_handshake_write()`: stores the handshake word (the reader of this region owns it). */
  handshakeWrite(value: number): void {
    const loc = this.cfg.handshakeLoc;
    if (loc === null) {
      this.observer?.assertFailed?.(this, 'pbuf_handshake_write: this pbuf has no handshake word');
      return;
    }
    this.mem.store32(loc, value); // publishes this side's session request/acknowledge
    this.mem.flush(loc, PBUF_IDX_SIZE);
  }

  /**
   * `pbuf_get_initial_buf()`: peeks at the first packet of a FIFO nobody has read yet (ICMsg's
   * `unbound = detect` uses it to spot a 1.0 peer's magic). Consumes nothing.
   * -EINVAL if this reader already read, if wr_idx is 0, >= len or > 0xFFFF, or if the first
   * header claims more bytes than wr_idx covers.
   */
  getInitialBuf(): InitialBuf | Errno {
    const { cfg, mem } = this;
    if (this.data.rdIdx !== 0) return 'EINVAL';
    mem.invalidate(cfg.wrIdxLoc, PBUF_IDX_SIZE);
    const wrIdx = mem.load32(cfg.wrIdxLoc);
    if (wrIdx >= cfg.len || wrIdx > 0xffff || wrIdx === 0) return 'EINVAL';
    mem.invalidate(cfg.dataLoc, PBUF_PACKET_LEN_SZ);
    const plen = mem.readBe16(cfg.dataLoc);
    if (plen + PBUF_PACKET_LEN_SZ > wrIdx) return 'EINVAL';
    const offset = cfg.dataLoc + PBUF_PACKET_LEN_SZ;
    mem.invalidate(offset, plen);
    return { offset, len: plen };
  }

  private reject(which: 'rd_idx' | 'wr_idx', value: number): 'EINVAL' {
    this.observer?.indexRejected?.(this, which, value);
    return 'EINVAL';
  }
}
