import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runVectorDocument } from '../../conformance/runVectors';
import { BYTES_PER_ICMSG_MESSAGE, icbmsgLayout } from './layout';

const BASE = 0x2007_0000;
const layout = (
  regSize: number,
  dcacheAlignment: number,
  localBlocks: number,
  remoteBlocks = localBlocks,
  regAddr = BASE,
) => icbmsgLayout({ regAddr, regSize, dcacheAlignment, localBlocks, remoteBlocks });

describe('the legacy ICBMsg region layout', () => {
  it('gives the worked examples of the reference (§5.1)', () => {
    const rows = [
      [2048, 32, 16, 320, 36, 284, 108, 1724],
      [2048, 0, 16, 320, 8, 312, 108, 1724],
      [32768, 0, 16, 320, 8, 312, 2028, 32444],
      [1024, 0, 8, 160, 8, 152, 108, 860],
    ] as const;
    for (const [size, dcache, blocks, k, dataAt, dataLen, b, maxAlloc] of rows) {
      const l = layout(size, dcache, blocks);
      expect(l.ok && l.value).toMatchObject({
        regionBegin: BASE,
        regionSize: size,
        icmsgAreaSize: k,
        blocksOffset: k,
        blockSize: b,
        maxAlloc,
        pbuf: { dataLoc: dataAt, len: dataLen, handshakeLoc: null },
      });
    }
  });

  it('a control message takes 8 bytes of the ICMsg ring (4-byte header, 3 bytes padded to 4)', () => {
    expect(BYTES_PER_ICMSG_MESSAGE).toBe(8);
  });

  it('rounds a block down to 4 bytes, not to the cache line', () => {
    const l = layout(2048, 64, 16);
    // A = 64: I = ROUND_UP((64 + 4) + 16 + 8 * 32, 64) = 384; B = ROUND_DOWN(1664 / 16, 4) = 104.
    expect(l.ok && [l.value.icmsgMinSize, l.value.blockSize, l.value.icmsgAreaSize]).toEqual([384, 104, 384]);
  });

  it("uses both block counts: the other direction's blocks grow my ICMsg area", () => {
    const a = layout(2048, 0, 16, 16);
    const b = layout(2048, 0, 16, 64);
    expect(a.ok && b.ok && b.value.icmsgMinSize - a.value.icmsgMinSize).toBe(48 * BYTES_PER_ICMSG_MESSAGE);
  });

  it('aligns an unaligned region inward to the cache line at both ends', () => {
    const l = layout(2048, 32, 16, 16, BASE + 4);
    expect(l.ok && [l.value.regionBegin, l.value.regionSize]).toEqual([BASE + 32, 2048 - 32]);
  });

  it("fails Zephyr's build asserts with EINVAL and says which", () => {
    const reason = (r: ReturnType<typeof layout>) => (r.ok ? 'ok' : r.error.reason);
    expect(reason(layout(2048, 24, 16))).toMatch(/power of two/);
    expect(reason(layout(65536, 0, 257, 16))).toMatch(/at most 256/);
    expect(reason(layout(65536, 0, 16, 257))).toMatch(/at most 256/);
    expect(reason(layout(2048, 0, 0))).toMatch(/at least one block/);
    expect(reason(layout(256, 0, 32))).toMatch(/block size/); // the ICMsg area alone needs more
    expect(layout(256, 0, 32).ok).toBe(false);
  });

  it('always leaves the ICMsg area at least I and the blocks within the region (random configurations)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 1 << 20 }),
        fc.constantFrom(0, 4, 8, 16, 32, 64, 128),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: 0, max: 255 }),
        (size, dcache, local, remote, misalign) => {
          const l = layout(size, dcache, local, remote, BASE + misalign);
          if (!l.ok) return;
          const v = l.value;
          expect(v.blockSize % 4).toBe(0);
          expect(v.blockSize).toBeGreaterThanOrEqual(4);
          expect(v.icmsgAreaSize).toBeGreaterThanOrEqual(v.icmsgMinSize);
          expect(v.icmsgAreaSize - v.icmsgMinSize).toBeLessThan(4 * local);
          expect(v.blocksOffset + v.blockSize * local).toBe(v.regionSize);
          expect(v.regionBegin % v.alignment).toBe(0);
        },
      ),
    );
  });
});

describe('the conformance runner on icbmsg-layout/1 files', () => {
  const file = (cases: unknown[]) => ({ format: 'icbmsg-layout/1', cases });
  const case0 = {
    reg_addr: BASE,
    reg_size: 2048,
    dcache_alignment: 32,
    local_blocks: 16,
    remote_blocks: 16,
    expected: {
      region_begin: BASE,
      region_size: 2048,
      icmsg_area_size: 320,
      pbuf_data_offset: 36,
      pbuf_data_len: 284,
      block_size: 108,
      blocks_offset: 320,
      max_alloc: 1724,
    },
  };

  it('passes a right case and an expected EINVAL', () => {
    const reports = runVectorDocument(
      't',
      file([case0, { ...case0, dcache_alignment: 24, expected: { error: 'EINVAL' } }]),
    );
    expect(reports.map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  it('fails a tampered expectation, naming the field', () => {
    const [report] = runVectorDocument('t', file([{ ...case0, expected: { ...case0.expected, block_size: 112 } }]));
    expect(report).toMatchObject({ status: 'fail', message: 'block_size: expected 112, got 108' });
  });

  it('fails a layout where Zephyr expects EINVAL, and a malformed case, without throwing', () => {
    const reports = runVectorDocument('t', file([{ ...case0, expected: { error: 'EINVAL' } }, { reg_addr: 'x' }]));
    expect(reports.map((r) => r.status)).toEqual(['fail', 'fail']);
  });
});
