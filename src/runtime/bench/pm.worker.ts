/// <reference lib="webworker" />
/** A postMessage benchmark peer in a Web Worker: one message with its role and port, then it runs. */
import { type PmRole, runPmPeer } from './pmPeer';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<{ spec: PmRole; port: MessagePort }>) => {
  const { spec, port } = event.data;
  const origin = performance.timeOrigin;
  runPmPeer(
    {
      postMessage: (m) => port.postMessage(m),
      onMessage: (listener) => {
        port.onmessage = (e: MessageEvent) => listener(e.data);
      },
    },
    spec,
    () => origin + performance.now(),
    (report) => self.postMessage(report),
  );
};
