/** The runtime's public surface for src/app. */
export {
  ISOLATION_HEADERS,
  createIsolationProbeWorker,
  probeSharedMemory,
  type ProbeEnvironment,
  type SharedMemoryStatus,
} from './isolation';
export { type Runtime, type RuntimeStatus, type RuntimeUpdate, type Ticker, timeoutTicker } from './Runtime';
export { InlineRuntime, type InlineRuntimeOptions } from './inline/InlineRuntime';
