/**
 * A memory map with one pbuf region and a writer/reader pair over
 * it, as two cores would hold them: what the pbuf demo, tests and benchmarks start from.
 */
import { fail, ok, type Outcome } from '../outcome';
import { MemoryMap } from './MemoryMap';
import { type MemoryObserver, MemoryView } from './MemoryView';
import { Pbuf, type PbufCfg, pbufCfgInit, type PbufMode } from './pbuf';

export interface PbufPairSpec {
  readonly regionSize: number;
  readonly dcacheAlignment: number;
  readonly useHandshake: boolean;
  readonly mode?: PbufMode;
  /** Byte the region is filled with before anything runs (stale memory). */
  readonly fill?: number;
  /** Extra bytes after the region (a guard a corrupted index may reach). */
  readonly guard?: number;
  readonly shared?: boolean;
  readonly writerObserver?: MemoryObserver;
  readonly readerObserver?: MemoryObserver;
}

export interface PbufPair {
  readonly map: MemoryMap;
  readonly cfg: PbufCfg;
  readonly writer: Pbuf;
  readonly reader: Pbuf;
}

export function createPbufPair(spec: PbufPairSpec): Outcome<PbufPair, string> {
  const guard = spec.guard ?? 0;
  const total = Math.ceil((spec.regionSize + guard) / 4) * 4;
  const buffer = spec.shared === true ? new SharedArrayBuffer(total) : new ArrayBuffer(total);
  const created = MemoryMap.create({ buffer, regions: [{ name: 'pbuf', offset: 0, size: spec.regionSize }] });
  if (!created.ok) return fail(created.error.map((e) => `${e.path}: ${e.message}`).join('; '));
  const map = created.value;
  map.bytes.fill(spec.fill ?? 0, 0, spec.regionSize);
  const cfg = pbufCfgInit(0, spec.regionSize, spec.dcacheAlignment, spec.useHandshake);
  const mode = spec.mode ?? 'faithful';
  return ok({
    map,
    cfg,
    writer: new Pbuf(cfg, new MemoryView(map, 'writer', spec.writerObserver), mode),
    reader: new Pbuf(cfg, new MemoryView(map, 'reader', spec.readerObserver), mode),
  });
}
