/**
 * Replays `icbmsg-layout/1` cases (conformance/README.md): each devicetree configuration through
 * `icbmsgLayout`, compared field by field with what Zephyr's macros computed, or with the EINVAL
 * its build asserts give.
 */
import { z } from 'zod';
import { icbmsgLayout } from '../backends/icbmsg/layout';
import { type ConfigReport, describeFieldDifference } from './report';

export const icbmsgLayoutCaseSchema = z.looseObject({
  name: z.string().optional(),
  reg_addr: z.number().int().nonnegative(),
  reg_size: z.number().int().nonnegative(),
  dcache_alignment: z.number().int().nonnegative(),
  local_blocks: z.number().int().nonnegative(),
  remote_blocks: z.number().int().nonnegative(),
  expected: z.union([
    z.looseObject({ error: z.string() }),
    z.looseObject({
      region_begin: z.number().int(),
      region_size: z.number().int(),
      icmsg_area_size: z.number().int(),
      pbuf_data_offset: z.number().int(),
      pbuf_data_len: z.number().int(),
      block_size: z.number().int(),
      blocks_offset: z.number().int(),
      max_alloc: z.number().int(),
    }),
  ]),
});
export type IcbmsgLayoutCase = z.infer<typeof icbmsgLayoutCaseSchema>;

export function caseName(c: IcbmsgLayoutCase, index: number): string {
  return (
    c.name ??
    `icbmsg-layout #${index} (reg ${c.reg_size} B @0x${c.reg_addr.toString(16)}, dcache ${c.dcache_alignment}, blocks ${c.local_blocks}/${c.remote_blocks})`
  );
}

export function runIcbmsgLayoutCase(c: IcbmsgLayoutCase, index: number): ConfigReport {
  const name = caseName(c, index);
  const layout = icbmsgLayout({
    regAddr: c.reg_addr,
    regSize: c.reg_size,
    dcacheAlignment: c.dcache_alignment,
    localBlocks: c.local_blocks,
    remoteBlocks: c.remote_blocks,
  });
  const expected = c.expected;
  const wantError = 'error' in expected && typeof expected.error === 'string' ? expected.error : null;
  if (wantError !== null) {
    if (!layout.ok && layout.error.errno === wantError) return { name, status: 'pass', steps: 1 };
    return {
      name,
      status: 'fail',
      step: null,
      message: layout.ok
        ? `expected -${wantError}, got a layout with block size ${layout.value.blockSize}`
        : `expected -${wantError}, got -${layout.error.errno}`,
    };
  }
  if ('error' in expected) return { name, status: 'fail', step: null, message: 'expected.error is not a string' };
  if (!layout.ok) {
    return { name, status: 'fail', step: null, message: `expected a layout, got -EINVAL: ${layout.error.reason}` };
  }
  const l = layout.value;
  const difference = describeFieldDifference([
    ['region_begin', expected.region_begin, l.regionBegin],
    ['region_size', expected.region_size, l.regionSize],
    ['icmsg_area_size', expected.icmsg_area_size, l.icmsgAreaSize],
    ['pbuf_data_offset', expected.pbuf_data_offset, l.pbuf.dataLoc],
    ['pbuf_data_len', expected.pbuf_data_len, l.pbuf.len],
    ['block_size', expected.block_size, l.blockSize],
    ['blocks_offset', expected.blocks_offset, l.blocksOffset],
    ['max_alloc', expected.max_alloc, l.maxAlloc],
  ]);
  return difference === null
    ? { name, status: 'pass', steps: 1 }
    : { name, status: 'fail', step: null, message: difference };
}
