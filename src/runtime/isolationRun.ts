/**
 * The two-worker shared-memory check itself (see `isolation.ts`). Throws an Error whose message
 * says what failed; `probeSharedMemory` turns it into a report.
 */
import { PROBE_PATTERN, type ProbeReply, type ProbeRequest } from './workers/probeProtocol';

/** 0x2007_0000 is where the simulated shared RAM starts; any distinctive value would do. */
const PATTERN = 0x2007_5a5a;

function ask(worker: Worker, request: ProbeRequest, timeoutMs: number, role: string): Promise<ProbeReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${role} worker did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    worker.onmessage = (event: MessageEvent<ProbeReply>) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.onerror = (event: ErrorEvent) => {
      clearTimeout(timer);
      reject(
        new Error(`the ${role} worker failed to start: ${event.message || 'no message (blocked by the browser?)'}`),
      );
    };
    try {
      worker.postMessage(request);
    } catch (error) {
      clearTimeout(timer);
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      reject(new Error(`posting a SharedArrayBuffer to a worker failed (${reason}).`));
    }
  });
}

export async function runProbe(createWorker: () => Worker, timeoutMs: number): Promise<number> {
  let buffer: SharedArrayBuffer;
  try {
    buffer = new SharedArrayBuffer(8);
  } catch (error) {
    throw new Error(
      `creating a SharedArrayBuffer failed (${error instanceof Error ? error.message : String(error)}).`,
      {
        cause: error,
      },
    );
  }
  const reader = createWorker();
  const writer = createWorker();
  try {
    const read = ask(reader, { v: 1, kind: 'read', buffer, timeoutMs }, timeoutMs + 1000, 'reader');
    const written = await ask(writer, { v: 1, kind: 'write', buffer, pattern: PATTERN }, timeoutMs, 'writer');
    if (written.kind === 'error') throw new Error(`the writer worker failed: ${written.message}`);
    const result = await read;
    if (result.kind === 'error') throw new Error(`the reader worker failed: ${result.message}`);
    if (result.kind !== 'read') throw new Error('the reader worker answered out of protocol');
    if (result.waited === 'timed-out' || result.pattern !== PATTERN) {
      throw new Error(
        `the reader worker did not see the writer's word (saw 0x${(result.pattern >>> 0).toString(16)}): the buffer is not shared between threads.`,
      );
    }
    const seenHere = Atomics.load(new Int32Array(buffer), PROBE_PATTERN);
    if (seenHere !== PATTERN)
      throw new Error("this thread does not see the workers' writes: the buffer is not shared.");
    return result.pattern;
  } finally {
    reader.terminate();
    writer.terminate();
  }
}
