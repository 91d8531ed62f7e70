/// <reference lib="webworker" />
/**
 * The shared-memory probe worker: see `probeProtocol.ts`. It answers one request and stays idle.
 */
import { PROBE_DOORBELL, PROBE_PATTERN, type ProbeReply, type ProbeRequest } from './probeProtocol';

declare const self: DedicatedWorkerGlobalScope;

const reply = (message: ProbeReply): void => self.postMessage(message);

self.onmessage = (event: MessageEvent<ProbeRequest>) => {
  const request = event.data;
  try {
    const words = new Int32Array(request.buffer);
    if (request.kind === 'write') {
      Atomics.store(words, PROBE_PATTERN, request.pattern); // the data, published by the doorbell below
      Atomics.store(words, PROBE_DOORBELL, 1); // publishes: the pattern is in place
      Atomics.notify(words, PROBE_DOORBELL);
      reply({ v: 1, kind: 'written' });
    } else {
      const waited = Atomics.wait(words, PROBE_DOORBELL, 0, request.timeoutMs);
      reply({ v: 1, kind: 'read', pattern: Atomics.load(words, PROBE_PATTERN), waited });
    }
  } catch (error) {
    reply({ v: 1, kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
