/**
 * The IPC service front (`subsys/ipc/ipc_service/ipc_service.c`): validates arguments, checks
 * registration and the backend's hook, then dispatches, in Zephyr's order and with Zephyr's
 * results. Null arguments are accepted so those checks can be exercised as in C.
 *
 * | call                 | null args | not registered | backend/hook missing          |
 * |----------------------|-----------|----------------|-------------------------------|
 * | openInstance         | -EINVAL   | –              | no API: -EIO; no hook: 0      |
 * | closeInstance        | -EINVAL   | –              | no API: -EIO; no hook: 0      |
 * | registerEndpoint     | -EINVAL   | –              | -EIO (ept->instance set first)|
 * | deregisterEndpoint   | -EINVAL   | -ENOENT        | -EIO                          |
 * | send / sendCritical  | -EINVAL   | -ENOENT        | -EIO                          |
 * | getTxBufferSize      | -EINVAL   | -ENOENT        | -EIO (header says -ENOTSUP)   |
 * | getTxBuffer/sendNocopy | -EINVAL | -ENOENT        | -EIO unless both hooks exist  |
 * | dropTxBuffer         | -EINVAL   | -ENOENT        | -EIO                          |
 * | hold/releaseRxBuffer | -EINVAL   | -ENOENT        | -EIO unless both hooks exist  |
 *
 * Every call is traced with its result on the instance's domain.
 */
import type { Result } from '../errno';
import type { EndpointConfig, IpcEndpoint, IpcInstance, Timeout, TxBufferGrant } from './types';

function trace(
  instance: IpcInstance | null,
  call: string,
  result: Result,
  endpoint?: IpcEndpoint,
  extra?: { msgId?: number | null; length?: number },
): Result {
  const kernel = instance?.kernel;
  if (!instance || !kernel) return result;
  // Sends and buffer grants are per-message events: skipped when only counters are kept (see
  // Kernel.traceMessages); the endpoint's own statistics still count them.
  if (!kernel.traceMessages && extra !== undefined) return result;
  const event: {
    kind: 'api';
    call: string;
    instance: string;
    result: Result;
    endpoint?: string;
    msgId?: number;
    length?: number;
  } = {
    kind: 'api',
    call,
    instance: instance.name,
    result,
  };
  if (endpoint && endpoint.name !== '') event.endpoint = endpoint.name;
  if (extra?.msgId !== undefined && extra.msgId !== null) event.msgId = extra.msgId;
  if (extra?.length !== undefined) event.length = extra.length;
  kernel.emit(event);
  return result;
}

export function openInstance(instance: IpcInstance | null): Result {
  if (!instance) return 'EINVAL';
  const backend = instance.backend;
  if (!backend) return trace(instance, 'ipc_service_open_instance', 'EIO');
  // "maybe not needed on backend": a backend without the hook is always open.
  if (!backend.openInstance) return trace(instance, 'ipc_service_open_instance', 0);
  return trace(instance, 'ipc_service_open_instance', backend.openInstance());
}

export function closeInstance(instance: IpcInstance | null): Result {
  if (!instance) return 'EINVAL';
  const backend = instance.backend;
  if (!backend) return trace(instance, 'ipc_service_close_instance', 'EIO');
  if (!backend.closeInstance) return trace(instance, 'ipc_service_close_instance', 0);
  return trace(instance, 'ipc_service_close_instance', backend.closeInstance());
}

export function registerEndpoint(
  instance: IpcInstance | null,
  ept: IpcEndpoint | null,
  cfg: EndpointConfig | null,
): Result {
  if (!instance || !ept || !cfg) return 'EINVAL';
  const backend = instance.backend;
  if (!backend?.registerEndpoint) return trace(instance, 'ipc_service_register_endpoint', 'EIO');
  // Zephyr sets ept->instance before calling the backend, and leaves it set if the backend fails.
  ept.instance = instance;
  ept.name = cfg.name;
  const { result, token } = backend.registerEndpoint(cfg);
  ept.token = token;
  return trace(instance, 'ipc_service_register_endpoint', result, ept);
}

export function deregisterEndpoint(ept: IpcEndpoint | null): Result {
  if (!ept) return 'EINVAL';
  const instance = ept.instance;
  if (!instance) return 'ENOENT';
  const backend = instance.backend;
  if (!backend?.deregisterEndpoint) return trace(instance, 'ipc_service_deregister_endpoint', 'EIO', ept);
  const result = backend.deregisterEndpoint(ept.token);
  trace(instance, 'ipc_service_deregister_endpoint', result, ept);
  if (result === 0) ept.instance = null;
  return result;
}

function sendWith(
  call: string,
  hook: 'send' | 'sendCritical',
  ept: IpcEndpoint | null,
  data: Uint8Array | null,
  len?: number,
): Result {
  if (!ept) return 'EINVAL';
  const instance = ept.instance;
  if (!instance) return 'ENOENT';
  const backend = instance.backend;
  if (!backend?.[hook]) return trace(instance, call, 'EIO', ept);
  const bytes = data ?? new Uint8Array(0);
  const length = len ?? bytes.length;
  const result =
    hook === 'send' ? backend.send?.(ept.token, bytes, length) : backend.sendCritical?.(ept.token, bytes, length);
  if (result === undefined) return trace(instance, call, 'EIO', ept);
  return trace(instance, call, result, ept, { msgId: lastMsgId(backend), length });
}

/** The message id the backend's last send published, when it keeps one (for tracing). */
function lastMsgId(backend: object): number | null {
  return 'lastSentMsgId' in backend && typeof backend.lastSentMsgId === 'number' ? backend.lastSentMsgId : null;
}

export function send(ept: IpcEndpoint | null, data: Uint8Array | null, len?: number): Result {
  return sendWith('ipc_service_send', 'send', ept, data, len);
}

/** `ipc_service_send_critical` (4.3+): "bypassing busy checks". */
export function sendCritical(ept: IpcEndpoint | null, data: Uint8Array | null, len?: number): Result {
  return sendWith('ipc_service_send_critical', 'sendCritical', ept, data, len);
}

export function getTxBufferSize(ept: IpcEndpoint | null): Result {
  if (!ept) return 'EINVAL';
  const instance = ept.instance;
  if (!instance) return 'ENOENT';
  const backend = instance.backend;
  if (!backend?.getTxBufferSize) return trace(instance, 'ipc_service_get_tx_buffer_size', 'EIO', ept);
  return trace(instance, 'ipc_service_get_tx_buffer_size', backend.getTxBufferSize(ept.token), ept);
}

export function getTxBuffer(ept: IpcEndpoint | null, size: number | null, wait: Timeout): TxBufferGrant {
  if (!ept || size === null) return { result: 'EINVAL', size: 0 };
  const instance = ept.instance;
  if (!instance) return { result: 'ENOENT', size: 0 };
  const backend = instance.backend;
  if (!backend?.getTxBuffer || !backend.sendNocopy) {
    return { result: trace(instance, 'ipc_service_get_tx_buffer', 'EIO', ept), size: 0 };
  }
  const grant = backend.getTxBuffer(ept.token, size, wait);
  // A caller that blocks has not returned yet: the call is traced when it does (its task's
  // `blocked` event shows the wait).
  if (grant.blockedUntil === undefined) {
    trace(instance, 'ipc_service_get_tx_buffer', grant.result, ept, { length: grant.size });
  }
  return grant;
}

export function dropTxBuffer(ept: IpcEndpoint | null, buffer: Uint8Array | null): Result {
  if (!ept || !buffer) return 'EINVAL';
  const instance = ept.instance;
  if (!instance) return 'ENOENT';
  const backend = instance.backend;
  if (!backend?.dropTxBuffer) return trace(instance, 'ipc_service_drop_tx_buffer', 'EIO', ept);
  return trace(instance, 'ipc_service_drop_tx_buffer', backend.dropTxBuffer(ept.token, buffer), ept);
}

export function sendNocopy(ept: IpcEndpoint | null, buffer: Uint8Array | null, len: number): Result {
  if (!ept || !buffer) return 'EINVAL';
  const instance = ept.instance;
  if (!instance) return 'ENOENT';
  const backend = instance.backend;
  if (!backend?.getTxBuffer || !backend.sendNocopy) return trace(instance, 'ipc_service_send_nocopy', 'EIO', ept);
  const result = backend.sendNocopy(ept.token, buffer, len);
  return trace(instance, 'ipc_service_send_nocopy', result, ept, { msgId: lastMsgId(backend), length: len });
}

function rxBufferCall(
  call: string,
  which: 'holdRxBuffer' | 'releaseRxBuffer',
  ept: IpcEndpoint | null,
  buffer: Uint8Array | null,
): Result {
  if (!ept || !buffer) return 'EINVAL';
  const instance = ept.instance;
  if (!instance) return 'ENOENT';
  const backend = instance.backend;
  if (!backend?.holdRxBuffer || !backend.releaseRxBuffer) return trace(instance, call, 'EIO', ept);
  const result =
    which === 'holdRxBuffer' ? backend.holdRxBuffer(ept.token, buffer) : backend.releaseRxBuffer(ept.token, buffer);
  return trace(instance, call, result, ept);
}

export function holdRxBuffer(ept: IpcEndpoint | null, buffer: Uint8Array | null): Result {
  return rxBufferCall('ipc_service_hold_rx_buffer', 'holdRxBuffer', ept, buffer);
}

export function releaseRxBuffer(ept: IpcEndpoint | null, buffer: Uint8Array | null): Result {
  return rxBufferCall('ipc_service_release_rx_buffer', 'releaseRxBuffer', ept, buffer);
}
