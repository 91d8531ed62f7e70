/**
 * The ICMsg IPC service backend (`backends/ipc_icmsg.c`): one endpoint per instance, so
 * registering it opens ICMsg and deregistering closes it; the token is unused (null). It has no
 * open/close-instance hooks (so `ipc_service_open_instance` returns 0) and no no-copy API (so
 * those calls answer -EIO from the front).
 */
import type { Result } from '../../errno';
import type { EndpointConfig, IpcBackend } from '../../ipc/types';
import type { Icmsg } from './Icmsg';
import type { IcmsgLegacy } from './IcmsgLegacy';

export class IcmsgBackend implements IpcBackend {
  readonly kind = 'icmsg';
  readonly icmsg: Icmsg | IcmsgLegacy;

  constructor(icmsg: Icmsg | IcmsgLegacy) {
    this.icmsg = icmsg;
  }

  get lastSentMsgId(): number | null {
    return this.icmsg.lastSentMsgId;
  }

  registerEndpoint(cfg: EndpointConfig): { result: Result; token: unknown } {
    // Only one endpoint is supported: no need for a token. Callbacks `open` makes at once are
    // traced under the new name; a refused registration keeps the registered one's.
    const previous = this.icmsg.endpointName;
    this.icmsg.endpointName = cfg.name;
    const result = this.icmsg.open(cfg.cb);
    if (result !== 0) this.icmsg.endpointName = previous;
    return { result, token: null };
  }

  deregisterEndpoint(): Result {
    return this.icmsg.close();
  }

  send(_token: unknown, data: Uint8Array, len: number): Result {
    return this.icmsg.send(data, len);
  }
}
