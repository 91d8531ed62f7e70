/**
 * The pbuf demo's two cores: core A holds the writer view of one pbuf region, core B the reader
 * view, over one shared memory (a SharedArrayBuffer when the page is isolated). Every call goes
 * through the real `Pbuf` and is logged with its result and the cache maintenance it issued.
 * Both cores run in this thread, one call at a time.
 */
import {
  type CacheOp,
  createPbufPair,
  fail,
  type InitialBuf,
  isErrno,
  ok,
  type Outcome,
  type PbufMode,
  type PbufPair,
  pbufDefineAsserts,
  pbufWrap,
  PBUF_PACKET_LEN_SZ,
  type Result,
  DEFAULT_SHARED_RAM_BASE,
} from '../../../core';

export interface DemoConfig {
  readonly regionSize: number;
  readonly dcacheAlignment: number;
  readonly useHandshake: boolean;
  readonly mode: PbufMode;
  /** The byte the region holds before anything runs: stale memory, to show what pbuf never writes. */
  readonly fill: number;
}

export const DEFAULT_DEMO_CONFIG: DemoConfig = {
  regionSize: 128,
  dcacheAlignment: 0,
  useHandshake: false,
  mode: 'faithful',
  fill: 0xaa,
};

export const DEMO_MAX_REGION = 4096;
export const DCACHE_CHOICES = [0, 4, 8, 16, 32, 64] as const;

export type Core = 'A' | 'B';

export interface LogEntry {
  readonly id: number;
  readonly core: Core;
  readonly call: string;
  readonly result: Result;
  readonly note?: string;
  readonly cacheOps: readonly string[];
}

/** Checks what the demo cannot build at all; Zephyr's own rejections are left to happen. */
export function validateDemoConfig(config: DemoConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(config.regionSize) || config.regionSize <= 0) {
    problems.push('Region size must be a positive whole number of bytes.');
  } else if (config.regionSize > DEMO_MAX_REGION) {
    problems.push(`Region size is limited to ${DEMO_MAX_REGION} bytes in this demo.`);
  }
  if (!(DCACHE_CHOICES as readonly number[]).includes(config.dcacheAlignment)) {
    problems.push(`dcache-alignment must be one of ${DCACHE_CHOICES.join(', ')}.`);
  }
  if (!Number.isInteger(config.fill) || config.fill < 0 || config.fill > 255)
    problems.push('Fill must be a byte (0-255).');
  return problems;
}

export class DemoSession {
  readonly config: DemoConfig;
  readonly pair: PbufPair;
  /** PBUF_DEFINE build asserts this configuration fails (a firmware build would stop here). */
  readonly buildAsserts: readonly string[];
  readonly log: LogEntry[] = [];
  private nextId = 1;
  private cacheOps: string[] = [];

  private constructor(config: DemoConfig, pair: PbufPair) {
    this.config = config;
    this.pair = pair;
    this.buildAsserts = pbufDefineAsserts(DEFAULT_SHARED_RAM_BASE, config.regionSize, config.dcacheAlignment, false);
  }

  static create(config: DemoConfig, shared: boolean): Outcome<DemoSession, string[]> {
    const problems = validateDemoConfig(config);
    if (problems.length > 0) return fail(problems);
    const sessionRef: { current?: DemoSession } = {};
    const record = (core: Core) => (op: CacheOp, offset: number, size: number) =>
      sessionRef.current?.recordCacheOp(core, op, offset, size);
    const pair = createPbufPair({
      regionSize: config.regionSize,
      dcacheAlignment: config.dcacheAlignment,
      useHandshake: config.useHandshake,
      mode: config.mode,
      fill: config.fill,
      shared,
      writerObserver: { cacheOp: record('A') },
      readerObserver: { cacheOp: record('B') },
    });
    if (!pair.ok) return fail([pair.error]);
    const session = new DemoSession(config, pair.value);
    sessionRef.current = session;
    session.run('A', 'pbuf_tx_init()', () => pair.value.writer.txInit());
    session.run('B', 'pbuf_rx_init()', () => pair.value.reader.rxInit());
    return ok(session);
  }

  get initFailed(): boolean {
    return this.pair.writer.cfgStatus !== 0;
  }

  write(payload: Uint8Array): LogEntry {
    const len = this.pair.cfg.len;
    const payloadStart = pbufWrap(len, this.pair.writer.data.wrIdx + PBUF_PACKET_LEN_SZ);
    return this.run(
      'A',
      `pbuf_write(len=${payload.length})`,
      () => this.pair.writer.write(payload, payload.length),
      (r) => {
        if (isErrno(r)) return r === 'ENOMEM' ? 'not enough free space (4 bytes are always kept free)' : undefined;
        return payloadStart + r > len
          ? `payload wrapped: ${len - payloadStart} bytes at the end, ${payloadStart + r - len} at data[0]`
          : undefined;
      },
    );
  }

  read(capacity: number): { entry: LogEntry; bytes: Uint8Array | null } {
    const dst = new Uint8Array(capacity);
    const entry = this.run(
      'B',
      `pbuf_read(buf, len=${capacity})`,
      () => this.pair.reader.read(dst, capacity),
      (r) => {
        if (r === 0) return 'FIFO empty';
        if (r === 'ENOMEM') return 'packet larger than the buffer: nothing consumed';
        if (r === 'EAGAIN') return 'header claims more bytes than were written: nothing consumed';
        return undefined;
      },
    );
    const bytes = isErrno(entry.result) || entry.result === 0 ? null : dst.slice(0, entry.result);
    return { entry, bytes };
  }

  peek(): LogEntry {
    return this.run(
      'B',
      'pbuf_read(NULL, 0)',
      () => this.pair.reader.read(null),
      (r) => (r === 0 ? 'FIFO empty' : 'peek: nothing consumed'),
    );
  }

  getInitialBuf(): LogEntry {
    let found: InitialBuf | undefined;
    return this.run(
      'B',
      'pbuf_get_initial_buf()',
      () => {
        const got = this.pair.reader.getInitialBuf();
        if (isErrno(got)) return got;
        found = got;
        return 0;
      },
      () => (found ? `first packet: ${found.len} bytes at offset ${found.offset}` : undefined),
    );
  }

  private recordCacheOp(core: Core, op: CacheOp, offset: number, size: number): void {
    this.cacheOps.push(`${core}:${op === 'flush' ? 'flush' : 'invd'}(${offset}, ${size})`);
  }

  private run(core: Core, call: string, body: () => Result, explain?: (r: Result) => string | undefined): LogEntry {
    this.cacheOps = [];
    const result = body();
    const note = explain?.(result);
    const entry: LogEntry = {
      id: this.nextId++,
      core,
      call,
      result,
      cacheOps: this.cacheOps,
      ...(note === undefined ? {} : { note }),
    };
    this.log.push(entry);
    return entry;
  }
}
