/** A postMessage benchmark peer in a Node worker thread (see src/runtime/bench/pmPeer.ts). */
import { performance } from 'node:perf_hooks';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { type PmRole, runPmPeer } from '../runtime/bench/pmPeer';

const { spec, port } = workerData as { spec: PmRole; port: MessagePort };
const origin = performance.timeOrigin;
runPmPeer(
  { postMessage: (m) => port.postMessage(m), onMessage: (listener) => port.on('message', listener) },
  spec,
  () => origin + performance.now(),
  (report) => parentPort?.postMessage(report),
);
