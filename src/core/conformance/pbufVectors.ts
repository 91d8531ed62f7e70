/**
 * Replays a pbuf conformance config (`zephyr-pbuf-golden/1`) through our pbuf: a writer view and
 * a reader view over the same memory, as two cores have, and after every step compares the
 * return value, both local indices, the shared words, every byte of the region (and of the guard
 * after it), the bytes a read returned, and the cache-maintenance calls in Zephyr's order.
 */
import { type Result, isErrno } from '../errno';
import { fromHex, toHex } from '../hex';
import { MemoryMap } from '../shm/MemoryMap';
import { type CacheOp, MemoryView } from '../shm/MemoryView';
import { Pbuf, pbufCfgInit } from '../shm/pbuf';
import { type ConfigReport, describeFieldDifference, describeImageDifference } from './report';
import { type PbufConfig, type PbufStep } from './vectorFile';

type RecordedCacheOp = readonly ['F' | 'I', number, number];

interface StepOutcome {
  /** What the step returned: a number, or an errno name. */
  readonly ret: Result;
  readonly dataHex?: string;
  readonly outLen?: number;
  readonly outOffset?: number;
}

const num = (step: PbufStep, key: string): number | undefined => {
  const v = step[key];
  return typeof v === 'number' ? v : undefined;
};

/**
 * The result a step expects: its non-negative `ret`, or for a negative one its `ret_name` (the
 * numbers are the generating host's, so names are compared), else the name the file's `errno`
 * table gives that number.
 */
export function expectedResult(
  ret: number,
  retName: string | undefined,
  errnoNames: Readonly<Record<string, number>>,
): string | number {
  if (ret >= 0) return ret;
  if (retName !== undefined) return retName;
  const named = Object.entries(errnoNames).find(([, value]) => value === ret);
  return named ? named[0] : `errno ${ret}`;
}

export function runPbufConfig(config: PbufConfig, errnoNames: Readonly<Record<string, number>> = {}): ConfigReport {
  const name = config.name;
  const guardLen = config.guard_len ?? 0;
  const bytesNeeded = config.region_size + guardLen;
  const buffer = new ArrayBuffer(Math.ceil(bytesNeeded / 4) * 4);
  const created = MemoryMap.create({ buffer, regions: [{ name: 'region', offset: 0, size: config.region_size }] });
  if (!created.ok) {
    return { name, status: 'fail', step: null, message: created.error.map((e) => e.message).join('; ') };
  }
  const map = created.value;
  map.bytes.fill(config.initial_fill, 0, config.region_size);
  map.bytes.fill(config.guard_fill ?? 0, config.region_size, bytesNeeded);

  let cacheOps: RecordedCacheOp[] = [];
  const record = (op: CacheOp, offset: number, size: number): void => {
    cacheOps.push([op === 'flush' ? 'F' : 'I', offset, size]);
  };
  const cfg = pbufCfgInit(0, config.region_size, config.dcache_alignment, config.use_handshake);
  const writer = new Pbuf(cfg, new MemoryView(map, 'writer', { cacheOp: record }));
  const reader = new Pbuf(cfg, new MemoryView(map, 'reader', { cacheOp: record }));

  const layoutDiff = describeFieldDifference([
    ['layout.rd_idx_off', config.layout.rd_idx_off, cfg.rdIdxLoc],
    ['layout.handshake_off', config.layout.handshake_off, cfg.handshakeLoc],
    ['layout.wr_idx_off', config.layout.wr_idx_off, cfg.wrIdxLoc],
    ['layout.data_off', config.layout.data_off, cfg.dataLoc],
    ['layout.data_len', config.layout.data_len, cfg.len],
  ]);
  if (layoutDiff !== null) return { name, status: 'fail', step: null, message: layoutDiff };

  const view = new DataView(buffer);
  const word = (offset: number): number => view.getUint32(offset, true);

  const perform = (step: PbufStep): StepOutcome | string => {
    switch (step.op) {
      case 'tx_init':
        return { ret: writer.txInit() };
      case 'rx_init':
        return { ret: reader.rxInit() };
      case 'write': {
        const len = num(step, 'len') ?? 0;
        if (step['data_ptr'] === null) return { ret: writer.write(null, len) };
        const data = fromHex(typeof step['data_hex'] === 'string' ? step['data_hex'] : '');
        if (!data.ok) return `write: bad data_hex: ${data.error}`;
        return { ret: writer.write(data.value, len) };
      }
      case 'read': {
        if (step['buf'] === null) return { ret: reader.read(null) };
        const bufLen = num(step, 'buf_len') ?? 0;
        const dst = new Uint8Array(bufLen);
        const ret = reader.read(dst, bufLen);
        return isErrno(ret) ? { ret } : { ret, dataHex: toHex(dst.subarray(0, ret)) };
      }
      case 'handshake_write':
        reader.handshakeWrite(num(step, 'value') ?? 0);
        return { ret: 0 };
      case 'handshake_read':
        return { ret: writer.handshakeRead() };
      case 'get_initial_buf': {
        const got = reader.getInitialBuf();
        return isErrno(got) ? { ret: got } : { ret: 0, outLen: got.len, outOffset: got.offset };
      }
      case 'poke32': {
        const offset = num(step, 'offset') ?? -1;
        if (offset < 0 || offset + 4 > bytesNeeded) return `poke32: offset ${offset} is outside the memory`;
        view.setUint32(offset, (num(step, 'value') ?? 0) >>> 0, true);
        return { ret: 0 };
      }
      case 'poke8': {
        const offset = num(step, 'offset') ?? -1;
        if (offset < 0 || offset >= bytesNeeded) return `poke8: offset ${offset} is outside the memory`;
        view.setUint8(offset, (num(step, 'value') ?? 0) & 0xff);
        return { ret: 0 };
      }
      default:
        return `unknown op "${step.op}"`;
    }
  };

  for (const step of config.steps) {
    cacheOps = [];
    const outcome = perform(step);
    const failAt = (message: string): ConfigReport => ({
      name,
      status: 'fail',
      step: step.i,
      message: `(${step.op}) ${message}`,
    });
    if (typeof outcome === 'string') return failAt(outcome);

    const expectedRet = expectedResult(step.ret, step.ret_name, errnoNames);
    if (expectedRet !== outcome.ret) {
      return failAt(`ret: expected ${String(expectedRet)}, got ${String(outcome.ret)}`);
    }

    const diff =
      describeFieldDifference([
        ['writer_local_wr_idx', step.writer_local_wr_idx, writer.data.wrIdx],
        ['reader_local_rd_idx', step.reader_local_rd_idx, reader.data.rdIdx],
        ['shm_rd_idx', step.shm_rd_idx, word(cfg.rdIdxLoc)],
        ['shm_wr_idx', step.shm_wr_idx, word(cfg.wrIdxLoc)],
        ['shm_handshake', step.shm_handshake, cfg.handshakeLoc === null ? undefined : word(cfg.handshakeLoc)],
        // A write step's data_hex is its input; only a read's is an output.
        ['data_hex', step.op === 'read' ? step.data_hex : undefined, outcome.dataHex],
        ['out_len', num(step, 'out_len'), outcome.outLen],
        ['out_offset', num(step, 'out_offset'), outcome.outOffset],
      ]) ??
      describeImageDifference('image_hex', step.image_hex, toHex(map.bytes.subarray(0, config.region_size))) ??
      (step.guard_hex === undefined
        ? null
        : describeImageDifference(
            'guard_hex',
            step.guard_hex,
            toHex(map.bytes.subarray(config.region_size, bytesNeeded)),
          )) ??
      (step.cache_ops === undefined ? null : describeCacheOps(step.cache_ops, cacheOps));
    if (diff !== null) return failAt(diff);
  }
  return { name, status: 'pass', steps: config.steps.length };
}

function describeCacheOps(expected: readonly RecordedCacheOp[], actual: readonly RecordedCacheOp[]): string | null {
  const show = (ops: readonly RecordedCacheOp[]): string => JSON.stringify(ops);
  if (show(expected) === show(actual)) return null;
  return `cache_ops: expected ${show(expected)}, got ${show(actual)}`;
}
