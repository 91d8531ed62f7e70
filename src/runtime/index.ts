/** The runtime's public surface for src/app. */
export {
  ISOLATION_HEADERS,
  createIsolationProbeWorker,
  probeSharedMemory,
  type ProbeEnvironment,
  type SharedMemoryStatus,
} from './isolation';
