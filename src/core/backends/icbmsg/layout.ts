/**
 * The legacy ICBMsg region layout (Zephyr 3.6 → v4.4, `backends/ipc_icbmsg.c`), computed from the
 * devicetree exactly as Zephyr's macros do. Each direction has one region, seen here by the side
 * that owns its blocks (`localBlocks`: tx-blocks for my TX region, rx-blocks for my RX region):
 *
 *   region_begin                                  region_begin+K                          region_end
 *   +-- ICMsg pbuf (rd_idx | pad | wr_idx | ring) --+-- block 0 --+-- block 1 --+ … +-- block N-1 --+
 *                                                   | size (u32) | data[size] …            |
 *
 *   A = MAX(4, dcache-alignment)                     GET_CACHE_ALIGNMENT
 *   begin = ROUND_UP(reg_addr, A), end = ROUND_DOWN(reg_addr + reg_size, A), S = end - begin
 *   M = ROUND_UP(3, sizeof(void *)) + 4 = 8          BYTES_PER_ICMSG_MESSAGE (32-bit targets)
 *   O = (MAX(A, 4) + 4) + 2M                         ICMSG_BUFFER_OVERHEAD
 *   I = ROUND_UP(O + M * (local + remote), A)        GET_ICMSG_MIN_SIZE
 *   B = ROUND_DOWN((S - I) / local, 4)               block size: 4-aligned, not cache-aligned
 *   K = S - B * local                                the ICMsg area (its pbuf: PBUF_CFG_INIT(begin, K, A, 0))
 *
 * Both counts enter the formula, so both sides must be configured with the same pair. Zephyr's
 * BUILD_ASSERTs reject: A not a power of two, more than 256 blocks either way, B < 4 or B >= S
 * (and a region with no local blocks does not compile).
 */
import { fail, ok, type Outcome } from '../../outcome';
import { PBUF_PACKET_LEN_SZ, pbufCfgInit, pbufHeaderOverhead, type PbufCfg } from '../../shm/pbuf';

/** `sizeof(struct control_message)`: type, endpoint address, block index. */
export const CONTROL_MESSAGE_SIZE = 3;
/** `sizeof(void *)` on the 32-bit cores ICBMsg runs on. */
const POINTER_SIZE = 4;
/** `BYTES_PER_ICMSG_MESSAGE`: one control message as a pbuf packet (header + padded payload). */
export const BYTES_PER_ICMSG_MESSAGE = roundUp(CONTROL_MESSAGE_SIZE, POINTER_SIZE) + PBUF_PACKET_LEN_SZ;
/** Block header: `size_t size`, 4 bytes on 32-bit targets, native (little) endian. */
export const BLOCK_HEADER_SIZE = 4;
/** Block sizes are rounded down to `sizeof(uint32_t)`, not to the cache line. */
const BLOCK_ALIGNMENT = 4;
/** `tx-blocks` / `rx-blocks` at most (block indices travel in one byte). */
export const MAX_BLOCKS = 256;

export interface IcbmsgLayoutInput {
  /** `reg` address of the region (virtual address as both cores see it). */
  readonly regAddr: number;
  readonly regSize: number;
  /** `dcache-alignment`, 0 when absent. */
  readonly dcacheAlignment: number;
  /** Blocks of this region (the owner's tx-blocks for its TX region, rx-blocks for its RX region). */
  readonly localBlocks: number;
  /** Blocks of the other direction's region. */
  readonly remoteBlocks: number;
}

export interface IcbmsgLayout {
  /** `GET_CACHE_ALIGNMENT`. */
  readonly alignment: number;
  /** Address of the region's first used byte. */
  readonly regionBegin: number;
  /** S: bytes from region_begin to region_end. */
  readonly regionSize: number;
  /** I: the ICMsg area's minimum (`GET_ICMSG_MIN_SIZE`). */
  readonly icmsgMinSize: number;
  /** K: bytes of the ICMsg area = offset of block 0 from region_begin. */
  readonly icmsgAreaSize: number;
  readonly blocksOffset: number;
  /** B. */
  readonly blockSize: number;
  readonly blockCount: number;
  /** The largest allocation: every block, less the header (`B * blocks - 4`). */
  readonly maxAlloc: number;
  /** The ICMsg pbuf, with locations as offsets from region_begin. */
  readonly pbuf: PbufCfg;
}

export function roundUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

export function roundDown(value: number, align: number): number {
  return Math.floor(value / align) * align;
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** The layout, or EINVAL with the build assert Zephyr would fail on. */
export function icbmsgLayout(input: IcbmsgLayoutInput): Outcome<IcbmsgLayout, { errno: 'EINVAL'; reason: string }> {
  const einval = (reason: string) => fail({ errno: 'EINVAL' as const, reason });
  const { regAddr, regSize, dcacheAlignment, localBlocks, remoteBlocks } = input;
  for (const [name, v] of [
    ['reg address', regAddr],
    ['reg size', regSize],
    ['dcache-alignment', dcacheAlignment],
    ['local blocks', localBlocks],
    ['remote blocks', remoteBlocks],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) return einval(`${name} ${v} is not a non-negative integer`);
  }
  const alignment = Math.max(4, dcacheAlignment);
  if (!isPowerOfTwo(alignment)) return einval(`dcache-alignment ${dcacheAlignment} is not a power of two`);
  if (localBlocks < 1) return einval('a region needs at least one block');
  if (localBlocks > MAX_BLOCKS || remoteBlocks > MAX_BLOCKS) {
    return einval(`at most ${MAX_BLOCKS} blocks per direction (${localBlocks} and ${remoteBlocks})`);
  }
  const regionBegin = roundUp(regAddr, alignment);
  const regionEnd = roundDown(regAddr + regSize, alignment);
  const regionSize = regionEnd - regionBegin;
  const overhead = pbufHeaderOverhead(alignment) + 2 * BYTES_PER_ICMSG_MESSAGE;
  const icmsgMinSize = roundUp(overhead + BYTES_PER_ICMSG_MESSAGE * (localBlocks + remoteBlocks), alignment);
  // C division of a signed difference truncates toward zero.
  const blockSize = roundDown(Math.trunc((regionSize - icmsgMinSize) / localBlocks), BLOCK_ALIGNMENT);
  if (blockSize < BLOCK_HEADER_SIZE || blockSize >= regionSize) {
    return einval(
      `block size ${blockSize} out of range: ${regionSize} bytes cannot hold an ICMsg area of ${icmsgMinSize} and ${localBlocks} blocks`,
    );
  }
  const icmsgAreaSize = regionSize - blockSize * localBlocks;
  return ok({
    alignment,
    regionBegin,
    regionSize,
    icmsgMinSize,
    icmsgAreaSize,
    blocksOffset: icmsgAreaSize,
    blockSize,
    blockCount: localBlocks,
    maxAlloc: blockSize * localBlocks - BLOCK_HEADER_SIZE,
    pbuf: pbufCfgInit(0, icmsgAreaSize, alignment, false),
  });
}
