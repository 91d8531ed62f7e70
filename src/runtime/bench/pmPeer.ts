/**
 * The postMessage baseline of the benchmark: two workers talking through a MessagePort, the way
 * an app would without shared memory (each message a structured clone). The same code runs in a
 * Web Worker and in a Node worker thread; only the port differs.
 *
 * Throughput: the producer sends `count` messages of `size` bytes with a credit window (at most
 * WINDOW in flight, the consumer returns credit every ACK_EVERY), so queues stay bounded as a real
 * IPC layer keeps them. Round trip: the pinger sends one message, the echo returns it.
 */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

export type PmRole =
  | { readonly role: 'producer'; readonly size: number; readonly count: number }
  | { readonly role: 'consumer'; readonly count: number }
  | { readonly role: 'pinger'; readonly size: number; readonly rounds: number }
  | { readonly role: 'echo' };

export type PmReport = {
  readonly kind: 'done';
  readonly firstMs: number;
  readonly lastMs: number;
  readonly count: number;
};

const WINDOW = 4096;
const ACK_EVERY = 512;

/** Runs one side; `report` goes to the host when the side has a figure (consumer, pinger). */
export function runPmPeer(port: PortLike, spec: PmRole, clock: () => number, report: (r: PmReport) => void): void {
  switch (spec.role) {
    case 'producer': {
      let sent = 0;
      let credit = WINDOW;
      const pump = () => {
        while (credit > 0 && sent < spec.count) {
          const data = new Uint8Array(spec.size);
          data[0] = sent & 0xff;
          port.postMessage(data);
          sent += 1;
          credit -= 1;
        }
      };
      port.onMessage((message) => {
        credit += typeof message === 'number' ? message : 0;
        pump();
      });
      pump();
      return;
    }
    case 'consumer': {
      let received = 0;
      let firstMs = 0;
      port.onMessage((message) => {
        if (!(message instanceof Uint8Array)) return;
        if (received === 0) firstMs = clock();
        received += 1;
        if (received % ACK_EVERY === 0) port.postMessage(ACK_EVERY);
        if (received === spec.count) report({ kind: 'done', firstMs, lastMs: clock(), count: received });
      });
      return;
    }
    case 'pinger': {
      let done = 0;
      const data = new Uint8Array(spec.size);
      const firstMs = clock();
      port.onMessage(() => {
        done += 1;
        if (done === spec.rounds) report({ kind: 'done', firstMs, lastMs: clock(), count: done });
        else port.postMessage(data);
      });
      port.postMessage(data);
      return;
    }
    case 'echo':
      port.onMessage((message) => port.postMessage(message));
      return;
  }
}
