/**
 * The core's public surface: what src/app and src/runtime use. Pure TypeScript, no DOM, no Node,
 * no time or randomness of its own (DESIGN.md §2).
 */
export { ZEPHYR_ERRNO, errnoFromZephyr, formatResult, isErrno, type Errno, type Result } from './errno';
export { fail, ok, type ConfigIssue, type Outcome } from './outcome';
export { fromHex, toHex } from './hex';
export {
  DEFAULT_SHARED_RAM_BASE,
  MemoryMap,
  type MemoryMapSpec,
  type Region,
  type RegionSpec,
  type VirtualAddress,
} from './shm/MemoryMap';
export { MemoryView, type CacheOp, type MemoryObserver, type SharedMemoryAccess } from './shm/MemoryView';
export {
  PBUF_IDX_SIZE,
  PBUF_MAX_PACKET_LEN,
  PBUF_MIN_DATA_LEN,
  PBUF_PACKET_LEN_SZ,
  Pbuf,
  pbufCfgInit,
  pbufDefineAsserts,
  pbufHeaderOverhead,
  pbufOccupied,
  pbufWrap,
  validatePbufCfg,
  type InitialBuf,
  type PbufCfg,
  type PbufMode,
  type PbufObserver,
} from './shm/pbuf';
export {
  PbufByteClass,
  classifyPbufBytes,
  inspectPbuf,
  type PbufByteMap,
  type PbufInspection,
  type PbufPacketView,
  type PbufProblem,
  type PbufSegment,
} from './shm/pbufInspect';
export { createPbufPair, type PbufPair, type PbufPairSpec } from './shm/pbufPair';
