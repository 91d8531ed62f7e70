/**
 * What both ICMsg versions share: the devicetree configuration, the two pbufs (my TX region is
 * the peer's RX region), the RX bounce buffer, the user callbacks and their trace events, and the
 * tracing of every packet published and consumed. `Icmsg` (4.1+) and `IcmsgLegacy` (3.6–4.0) add
 * their own state machine and processing.
 */
import { isErrno, type Result, ZEPHYR_ERRNO } from '../../errno';
import type { Region } from '../../shm/MemoryMap';
import { Pbuf, pbufCfgInit, type PbufMode, type PbufObserver } from '../../shm/pbuf';
import type { Kernel } from '../../sim/Simulation';
import { ICMSG_MAGIC, type UnboundMode } from './icmsgWire';

/** `CONFIG_PBUF_RX_READ_BUF_SIZE`: the largest packet ICMsg can receive. */
export const DEFAULT_RX_BUFFER_SIZE = 128;

/** `CONFIG_IPC_SERVICE_ICMSG_BOND_NOTIFY_REPEAT_TO_MS` (3.6–4.0): the bind doorbell's period. */
export const DEFAULT_BOND_NOTIFY_REPEAT_MS = 1;

export interface IcmsgKconfig {
  /** `CONFIG_IPC_SERVICE_ICMSG_UNBOUND_{DISABLED,ENABLED,DETECT}_ALLOWED` (all y by default). */
  readonly unboundDisabledAllowed: boolean;
  readonly unboundEnabledAllowed: boolean;
  readonly unboundDetectAllowed: boolean;
}

export const DEFAULT_ICMSG_KCONFIG: IcmsgKconfig = {
  unboundDisabledAllowed: true,
  unboundEnabledAllowed: true,
  unboundDetectAllowed: true,
};

/** One `zephyr,ipc-icmsg` instance, in devicetree terms. */
export interface IcmsgConfig {
  readonly name: string;
  readonly txRegion: Region;
  readonly rxRegion: Region;
  /** `dcache-alignment` (0 when absent). */
  readonly dcacheAlignment: number;
  /** `unbound` (4.1+). The 3.6–4.0 code has no sessions and always behaves as `DISABLE`. */
  readonly unbound: UnboundMode;
  /** Mailbox channels: `mboxes` with `mbox-names = "tx", "rx"`. */
  readonly mboxTx: string;
  readonly mboxRx: string;
  readonly rxBufferSize?: number;
  readonly pbufMode?: PbufMode;
  readonly kconfig?: Partial<IcmsgKconfig>;
  readonly bondNotifyRepeatMs?: number;
}

export interface IcmsgCallbacks {
  bound?(): void;
  unbound?(): void;
  /** `data` is valid only during the call (it is the RX bounce buffer): copy what you keep. */
  received?(data: Uint8Array): void;
  error?(message: string): void;
}

export interface IcmsgCounters {
  bound: number;
  unbound: number;
  received: number;
}

/** A negative errno as C's `uint32_t` sees it. */
export const asUint32 = (r: Result): number => (isErrno(r) ? 0x1_0000_0000 - ZEPHYR_ERRNO[r] : r);

export interface IcmsgBaseSnapshot {
  readonly counters: IcmsgCounters;
  readonly txWrIdx: number;
  readonly txRdIdx: number;
  readonly rxWrIdx: number;
  readonly rxRdIdx: number;
  readonly rxBuffer: Uint8Array;
  readonly endpointName: string;
}

export abstract class IcmsgBase {
  readonly config: IcmsgConfig;
  readonly kernel: Kernel;
  readonly tx: Pbuf;
  readonly rx: Pbuf;
  readonly rxBufferSize: number;
  readonly counters: IcmsgCounters = { bound: 0, unbound: 0, received: 0 };
  readonly workId: string;
  /** The message id of the packet the last `send` published, for tracing. */
  lastSentMsgId: number | null = null;
  /** Sees every packet ICMsg reads and then throws away (conformance, invariants). */
  onDropped: ((data: Uint8Array) => void) | undefined;
  protected cb: IcmsgCallbacks = {};
  protected rxBuffer: Uint8Array;
  /** Views of the start of `rxBuffer`, by length. */
  private readonly views: (Uint8Array | undefined)[] = [];
  protected lastReadMsgId: number | null = null;

  /** The message id of the packet being delivered to `received()` (for a layer above to trace). */
  get receivedMsgId(): number | null {
    return this.lastReadMsgId;
  }
  protected readonly where: string;

  protected constructor(kernel: Kernel, config: IcmsgConfig, useHandshake: boolean) {
    this.kernel = kernel;
    this.config = config;
    this.where = `icmsg ${config.name}`;
    this.endpointName = config.name;
    this.rxBufferSize = config.rxBufferSize ?? DEFAULT_RX_BUFFER_SIZE;
    this.rxBuffer = new Uint8Array(this.rxBufferSize);
    this.workId = `${config.name}/mbox_work`;
    const mode = config.pbufMode ?? 'faithful';
    const mem = kernel.domain.mem;
    const pbuf = (region: Region) =>
      new Pbuf(
        pbufCfgInit(region.offset, region.size, config.dcacheAlignment, useHandshake),
        mem,
        mode,
        this.pbufObserver(region.name),
      );
    this.tx = pbuf(config.txRegion);
    this.rx = pbuf(config.rxRegion);
  }

  /** The state Zephyr's `atomic_t state` holds, by name. */
  abstract get stateName(): string;

  protected submitWork(): void {
    this.kernel.domain.submitWork(this.workId);
  }

  /**
   * The name of the one endpoint registered on this instance (`ipc_ept_cfg.name`), as traces name
   * it; ICMsg itself never sees it, so it is the instance's name until an endpoint registers.
   */
  endpointName = '';

  /**
   * The name its machine's transitions are traced under, when not the instance's: ICBMsg's
   * control link traces as `<node>/control`, so the instance's own machine keeps `<node>`.
   */
  machineInstance: string | null = null;

  /** Calls a user callback (bound / unbound / error) and traces it. */
  protected callback(name: 'bound' | 'unbound' | 'error', message?: string): void {
    if (name !== 'error') this.counters[name] += 1;
    this.kernel.emit({
      kind: 'callback',
      instance: this.config.name,
      endpoint: this.endpointName,
      callback: name,
      ...(message === undefined ? {} : { message }),
    });
    if (name === 'error') this.cb.error?.(message ?? '');
    else this.cb[name]?.();
  }

  /**
   * Hands a packet to `received()`. When `pbuf_read` failed after a successful peek (a corrupted
   * header), icmsg.c stores the negative result in a `uint32_t` and passes it on as the length.
   */
  protected deliver(len: number, readResult: Result | null): void {
    let data: Uint8Array;
    if (readResult !== null && isErrno(readResult)) {
      this.kernel.emit({
        kind: 'anomaly',
        where: this.where,
        message: `pbuf_read() returned -${readResult} after the peek; Zephyr calls received() with len ${len}`,
      });
      data = this.rxBuffer;
    } else {
      // One view per length, made once: no allocation per message.
      data = this.views[len] ??= this.rxBuffer.subarray(0, len);
    }
    this.counters.received += 1;
    if (this.kernel.traceMessages) {
      this.kernel.emit({
        kind: 'callback',
        instance: this.config.name,
        endpoint: this.endpointName,
        callback: 'received',
        length: len,
        msgId: this.lastReadMsgId,
      });
    }
    this.cb.received?.(data);
  }

  /** Writes one packet and rings the peer: the body of `icmsg_send()` once the state allows it. */
  protected sendPacket(data: Uint8Array, len: number): Result {
    if (len === 0) return 'ENODATA';
    const written = this.tx.write(data, len);
    if (isErrno(written)) return written;
    if (written < len) {
      this.kernel.emit({
        kind: 'anomaly',
        where: this.where,
        message: `send(${len}) truncated to ${written} bytes (uint16_t length): published without a doorbell`,
      });
      return 'EBADMSG';
    }
    const rang = this.kernel.mboxSend(this.config.mboxTx);
    if (isErrno(rang)) return rang;
    return written;
  }

  /** `pbuf_tx_init(tx)`; packets the peer had not read yet are gone. */
  protected txInit(): Result {
    const result = this.tx.txInit();
    this.kernel.ids.forget(this.config.txRegion.name);
    return result;
  }

  /** Resets my TX FIFO and writes the magic, asserting where Zephyr does. */
  protected writeMagic(): Result {
    const written = this.tx.write(ICMSG_MAGIC, ICMSG_MAGIC.length);
    if (isErrno(written)) this.kernel.assertFailed(this.where, `the magic does not fit the TX FIFO (-${written})`);
    return written;
  }

  private pbufObserver(region: string): PbufObserver {
    const kernel = this.kernel;
    // The invariant "nothing is written or read outside its region" is seen here, where it breaks.
    const outsideData: PbufObserver['outsideData'] = (_pb, access, offset, length) =>
      kernel.emit({
        kind: 'violation',
        rule: 'inside-region',
        severity: 'error',
        where: region,
        message: `pbuf ${access === 'write' ? 'wrote' : 'read'} ${length} bytes past the end of ${region}'s data area (from offset ${offset}): a peer index out of range, used as Zephyr uses it`,
      });
    if (!kernel.traceMessages) {
      // Counters only: no message ids, no packet events (pbuf counts packets itself).
      return {
        assertFailed: (_pb, message) => kernel.assertFailed(`pbuf ${region}`, message),
        indexRejected: (_pb, which, value) =>
          kernel.emit({
            kind: 'anomaly',
            where: `pbuf ${region}`,
            message: `hardened mode refused ${which} = ${value}`,
          }),
        outsideData,
      };
    }
    const slots = kernel.ids.slots(region);
    return {
      packetWritten: (_pb, index, length) => {
        const msgId = kernel.ids.published(region, index);
        this.lastSentMsgId = msgId;
        kernel.emit({ kind: 'packet-written', region, offset: index, length, msgId });
      },
      packetRead: (_pb, index, length) => {
        const msgId = slots.get(index) ?? null;
        slots.delete(index);
        this.lastReadMsgId = msgId;
        kernel.emit({ kind: 'packet-read', region, offset: index, length, msgId });
      },
      assertFailed: (_pb, message) => this.kernel.assertFailed(`pbuf ${region}`, message),
      indexRejected: (_pb, which, value) =>
        this.kernel.emit({
          kind: 'anomaly',
          where: `pbuf ${region}`,
          message: `hardened mode refused ${which} = ${value}`,
        }),
      outsideData,
    };
  }

  protected baseSnapshot(): IcmsgBaseSnapshot {
    return {
      counters: { ...this.counters },
      txWrIdx: this.tx.data.wrIdx,
      txRdIdx: this.tx.data.rdIdx,
      rxWrIdx: this.rx.data.wrIdx,
      rxRdIdx: this.rx.data.rdIdx,
      rxBuffer: this.rxBuffer.slice(),
      endpointName: this.endpointName,
    };
  }

  protected restoreBase(s: IcmsgBaseSnapshot): void {
    Object.assign(this.counters, s.counters);
    this.tx.data.wrIdx = s.txWrIdx;
    this.tx.data.rdIdx = s.txRdIdx;
    this.rx.data.wrIdx = s.rxWrIdx;
    this.rx.data.rdIdx = s.rxRdIdx;
    this.rxBuffer.set(s.rxBuffer);
    this.endpointName = s.endpointName;
  }
}
