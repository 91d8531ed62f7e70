/**
 * A two-core rig for backend contract tests, modelled on Zephyr's two-core test suites
 * (`tests/subsys/ipc/ipc_service_api`, `ipc_sessions`): a host and a remote, each with an IPC
 * instance over the same shared memory, driven through the IPC service front, with the
 * simulation's scheduler delivering doorbells and running work queues in between calls.
 */
import { isErrno, type Result } from '../../errno';
import * as ipc from '../../ipc/ipcService';
import { createEndpoint, type IpcEndpoint, type IpcInstance } from '../../ipc/types';
import { buildWorld } from '../../scenario/build';
import { parseScenario } from '../../scenario/parse';
import type { ScenarioInput } from '../../scenario/schema';
import type { Simulation } from '../../sim/Simulation';

export interface SideLog {
  bound: number;
  unbound: number;
  received: Uint8Array[];
  errors: string[];
}

export interface Side {
  readonly name: string;
  readonly instance: IpcInstance;
  ept: IpcEndpoint;
  readonly log: SideLog;
  /** What `received()` does besides logging (e.g. echo). */
  onReceived: ((side: Side, data: Uint8Array) => void) | null;
  register(name?: string): Result;
  deregister(): Result;
  send(data: Uint8Array): Result;
}

export interface Harness {
  readonly sim: Simulation;
  readonly host: Side;
  readonly remote: Side;
  /** Runs the simulation until `until` holds; false if it went idle or hit the time limit first. */
  runUntil(until: () => boolean, maxTimeNs?: number): boolean;
  /** Sends `data`, letting the simulation run while the transport answers -ENOMEM (a full ring). */
  sendRetrying(side: Side, data: Uint8Array, maxTimeNs?: number): Result;
}

/** What a backend configuration can do, so the suite runs only the cases that apply. */
export interface BackendCapabilities {
  /** Reports `unbound()` when the peer goes away, and binds again after both re-register. */
  readonly unbound: boolean;
  /** The largest payload one message may carry (ICMsg: the peer's RX buffer). */
  readonly maxMessage: number;
  /** Has the no-copy API (get_tx_buffer / send_nocopy, hold / release of RX buffers). */
  readonly nocopy?: boolean;
}

export interface BackendUnderTest {
  readonly name: string;
  readonly scenario: ScenarioInput;
  readonly capabilities: BackendCapabilities;
}

export function createHarness(backend: BackendUnderTest): Harness {
  const parsed = parseScenario(backend.scenario);
  if (!parsed.ok) throw new Error(parsed.error.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(built.error.map((e) => e.message).join('\n'));
  const { sim, instances } = built.value;
  const [hostInstance, remoteInstance] = [...instances.values()];
  if (!hostInstance || !remoteInstance) throw new Error('the scenario needs two instances');

  const side = (name: string, instance: IpcInstance): Side => {
    const log: SideLog = { bound: 0, unbound: 0, received: [], errors: [] };
    const self: Side = {
      name,
      instance,
      ept: createEndpoint(),
      log,
      onReceived: null,
      register: (epName = 'ep0') => {
        ipc.openInstance(instance);
        return ipc.registerEndpoint(instance, self.ept, {
          name: epName,
          cb: {
            bound: () => (log.bound += 1),
            unbound: () => (log.unbound += 1),
            received: (data) => {
              log.received.push(data.slice());
              self.onReceived?.(self, data);
            },
            error: (message) => log.errors.push(message),
          },
        });
      },
      deregister: () => ipc.deregisterEndpoint(self.ept),
      send: (data) => ipc.send(self.ept, data),
    };
    return self;
  };
  const host = side('host', hostInstance.ipc);
  const remote = side('remote', remoteInstance.ipc);

  const runUntil = (until: () => boolean, maxTimeNs = 50_000_000): boolean => {
    const limit = sim.now + maxTimeNs;
    return sim.run({ until: () => until(), maxTimeNs: limit }) === 'until';
  };

  const sendRetrying = (s: Side, data: Uint8Array, maxTimeNs = 50_000_000): Result => {
    const limit = sim.now + maxTimeNs;
    for (;;) {
      const result = s.send(data);
      if (result !== 'ENOMEM' || sim.now >= limit) return result;
      // The ring is full: let the peer drain it (at least one more decision).
      if (sim.step(limit).kind === 'idle') return result;
    }
  };

  return { sim, host, remote, runUntil, sendRetrying };
}

export const isError = (r: Result): boolean => isErrno(r);
