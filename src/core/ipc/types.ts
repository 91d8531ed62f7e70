/**
 * The IPC service's types, mirroring `include/zephyr/ipc/ipc_service.h` and
 * `ipc_service_backend.h`.
 *
 *   INSTANCE  one backend device (a devicetree node such as `ipc0`) on one domain
 *   ENDPOINT  a named channel registered on an instance; callbacks arrive on it
 *   BACKEND   the ops table of the instance's transport (ICMsg, ICBMsg, RPMsg…)
 *
 *   HOST                                            REMOTE
 *   openInstance(ipc0)                              openInstance(ipc0)
 *   registerEndpoint(ipc0, ept, cfg) ── bind ──>    registerEndpoint(ipc0, ept, cfg)
 *   cfg.cb.bound()                                  cfg.cb.bound()
 *   send(ept, data) ───────────────────────────>    cfg.cb.received(data)
 */
import type { Result } from '../errno';
import type { Kernel } from '../sim/Simulation';

/** `struct ipc_service_cb`. `priv` is left out: callbacks are closures. */
export interface IpcServiceCallbacks {
  bound?(): void;
  /** 4.1+: the binding was removed (the peer deregistered, reset or the link was lost). */
  unbound?(): void;
  /** `data` is valid only during the call, unless `holdRxBuffer` is called on it. */
  received?(data: Uint8Array): void;
  error?(message: string): void;
}

/** `struct ipc_ept_cfg`. */
export interface EndpointConfig {
  readonly name: string;
  /** Used by the reworked ICBMsg only (0 = normal, non-zero = high). */
  readonly prio?: number;
  readonly cb: IpcServiceCallbacks;
}

/** `k_timeout_t` as the no-copy calls take it. */
export type Timeout = 'no-wait' | 'forever' | { readonly ms: number };

/** A TX buffer granted by `getTxBuffer`: a view into shared memory (zero copy). */
export interface TxBufferGrant {
  readonly result: Result;
  readonly buffer?: Uint8Array;
  /** The granted capacity, or the largest possible one on -ENOMEM. */
  readonly size: number;
  /**
   * No room now and the caller may wait: its thread blocks (Zephyr's `k_sem_take` on the freed-
   * blocks semaphore) until blocks are freed — the backend wakes its task — or until this time
   * (ns; -1 = K_FOREVER). The task then makes the same call again, which grants the buffer, blocks
   * again, or answers -EAGAIN once the time has passed. `result` is -EAGAIN meanwhile.
   */
  readonly blockedUntil?: number;
}

/**
 * `struct ipc_service_backend`: every operation is optional, as in Zephyr; the front checks a
 * hook once and answers -EIO (or 0 for open/close) when it is missing.
 */
export interface IpcBackend {
  /** The backend's name, as a trace shows it (`icmsg`, `icbmsg`…). */
  readonly kind: string;
  openInstance?(): Result;
  closeInstance?(): Result;
  send?(token: unknown, data: Uint8Array, len: number): Result;
  sendCritical?(token: unknown, data: Uint8Array, len: number): Result;
  /** Registers; the token identifies the endpoint in later calls (ICMsg's is null). */
  registerEndpoint?(cfg: EndpointConfig): { readonly result: Result; readonly token: unknown };
  deregisterEndpoint?(token: unknown): Result;
  getTxBufferSize?(token: unknown): Result;
  getTxBuffer?(token: unknown, size: number, wait: Timeout): TxBufferGrant;
  dropTxBuffer?(token: unknown, buffer: Uint8Array): Result;
  sendNocopy?(token: unknown, buffer: Uint8Array, len: number): Result;
  holdRxBuffer?(token: unknown, buffer: Uint8Array): Result;
  releaseRxBuffer?(token: unknown, buffer: Uint8Array): Result;
}

/** A `struct device` of an IPC backend on one domain. `backend: null` is a device with no API. */
export interface IpcInstance {
  readonly name: string;
  readonly backend: IpcBackend | null;
  /** The domain it lives on, for tracing. */
  readonly kernel: Kernel | null;
}

/** `struct ipc_ept`: filled in by `registerEndpoint`. */
export interface IpcEndpoint {
  instance: IpcInstance | null;
  token: unknown;
  /** The name it was registered with, for tracing. */
  name: string;
}

export function createEndpoint(): IpcEndpoint {
  return { instance: null, token: null, name: '' };
}
