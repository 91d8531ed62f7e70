/**
 * ICMsg, Zephyr 4.1+ (`subsys/ipc/ipc_service/lib/icmsg.c`): one endpoint over two pbuf regions
 * (my TX region is the peer's RX region) and two doorbells. This file is the driver: the public
 * calls (`icmsg_open`, `icmsg_close`, `icmsg_send`) and `callback_process`, which reads shared
 * memory in Zephyr's order and hands every decision to the XState machine (`icmsgMachine.ts`).
 *
 * Zephyr behaviours reproduced on purpose (reference §3, §12):
 * - `send()` while DISCONNECTED returns `len` and drops the data (F8);
 * - a packet larger than CONFIG_PBUF_RX_READ_BUF_SIZE (128) is never consumed: an assert, then
 *   the FIFO stalls (F3);
 * - in disable mode `bound()` runs before the state becomes CONNECTED (F26);
 * - a handshake word with dcache-alignment < 8 makes `pbuf_rx_init` fail: open returns -EINVAL (F9);
 * - a length above 65535 is truncated to 16 bits: the low part is published without a doorbell
 *   and -EBADMSG returned (F14);
 * - after a session change the packet read in that pass is dropped (F8).
 * Where Zephyr would `__ASSERT`, the kernel records an assert event and the code continues as a
 * CONFIG_ASSERT=n build does (or the domain halts, in `halt` mode).
 *
 * Not modelled: the TX mutex timeout (-ENOBUFS): a domain runs one call at a time here, so the
 * mutex is never contended. Calls to open/close made from inside a callback take effect when the
 * callback's pass ends (the machine is not re-entered).
 */
import { type Actor, createActor } from 'xstate';
import { type Errno, isErrno, type Result, ZEPHYR_ERRNO } from '../../errno';
import type { Region } from '../../shm/MemoryMap';
import { Pbuf, pbufCfgInit, type PbufMode, type PbufObserver } from '../../shm/pbuf';
import type { Kernel } from '../../sim/Simulation';
import { type IcmsgEvent, icmsgMachine, type IcmsgMachine } from './icmsgMachine';
import {
  ICMSG_MAGIC,
  type IcmsgState,
  isEndpointReady,
  makeRxHandshake,
  remoteSidReqFromTx,
  SID_DISCONNECTED,
  startsWithMagic,
  type UnboundMode,
} from './icmsgWire';

/** `CONFIG_PBUF_RX_READ_BUF_SIZE`: the largest packet ICMsg can receive. */
export const DEFAULT_RX_BUFFER_SIZE = 128;

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
  readonly unbound: UnboundMode;
  /** Mailbox channels: `mboxes`/`mbox-names = "tx", "rx"`. */
  readonly mboxTx: string;
  readonly mboxRx: string;
  readonly rxBufferSize?: number;
  readonly pbufMode?: PbufMode;
  readonly kconfig?: Partial<IcmsgKconfig>;
}

export interface IcmsgCallbacks {
  bound?(): void;
  unbound?(): void;
  /** `data` is valid only during the call (it is the RX bounce buffer): copy what you keep. */
  received?(data: Uint8Array): void;
  error?(message: string): void;
}

/** What tests, the conformance runner and the UI can see of an instance. */
export interface IcmsgCounters {
  bound: number;
  unbound: number;
  received: number;
}

interface PassFlags {
  notify: boolean;
  rerun: boolean;
  stop: 'none' | 'break' | 'return';
}

export interface IcmsgSnapshot {
  readonly state: IcmsgState;
  readonly machine: unknown;
  readonly counters: IcmsgCounters;
  readonly txWrIdx: number;
  readonly txRdIdx: number;
  readonly rxWrIdx: number;
  readonly rxRdIdx: number;
  readonly rxBuffer: Uint8Array;
}

/** A negative errno as C's `uint32_t` sees it. */
const asUint32 = (r: Result): number => (isErrno(r) ? 0x1_0000_0000 - ZEPHYR_ERRNO[r] : r);

export class Icmsg {
  readonly config: IcmsgConfig;
  readonly kernel: Kernel;
  readonly tx: Pbuf;
  readonly rx: Pbuf;
  readonly kconfig: IcmsgKconfig;
  readonly rxBufferSize: number;
  /** `atomic_t state`: what `send()` and the next pass read. */
  state: IcmsgState = 'OFF';
  readonly counters: IcmsgCounters = { bound: 0, unbound: 0, received: 0 };
  /** The message id of the packet the last `send` published, for tracing. */
  lastSentMsgId: number | null = null;
  readonly workId: string;
  private readonly machine: IcmsgMachine;
  private actor: Actor<IcmsgMachine>;
  private cb: IcmsgCallbacks = {};
  private pass: PassFlags = { notify: false, rerun: false, stop: 'none' };
  private result: Result = 0;
  private rxBuffer: Uint8Array;
  private lastReadMsgId: number | null = null;
  /** Length of the packet read in the current pass, null when none was read. */
  private passReadLength: number | null = null;
  /** Sees every packet ICMsg reads and then throws away (conformance, invariants). */
  onDropped: ((data: Uint8Array) => void) | undefined;
  private dispatching = false;
  private deferred: (() => void)[] = [];

  constructor(kernel: Kernel, config: IcmsgConfig, machine: IcmsgMachine = icmsgMachine) {
    this.kernel = kernel;
    this.config = config;
    this.kconfig = { ...DEFAULT_ICMSG_KCONFIG, ...config.kconfig };
    this.rxBufferSize = config.rxBufferSize ?? DEFAULT_RX_BUFFER_SIZE;
    this.rxBuffer = new Uint8Array(this.rxBufferSize);
    this.workId = `${config.name}/mbox_work`;
    const useHandshake = config.unbound !== 'DISABLE';
    const mode = config.pbufMode ?? 'faithful';
    const mem = kernel.domain.mem;
    this.tx = new Pbuf(
      pbufCfgInit(config.txRegion.offset, config.txRegion.size, config.dcacheAlignment, useHandshake),
      mem,
      mode,
      this.pbufObserver(config.txRegion.name),
    );
    this.rx = new Pbuf(
      pbufCfgInit(config.rxRegion.offset, config.rxRegion.size, config.dcacheAlignment, useHandshake),
      mem,
      mode,
      this.pbufObserver(config.rxRegion.name),
    );
    this.machine = this.bind(machine);
    this.actor = createActor(this.machine, { input: this.machineInput() }).start();
    kernel.domain.defineWork(this.workId, () => {
      if (this.process()) this.submitWork();
    });
  }

  /** The machine's current state (what the UI draws; equals `state` between calls). */
  get machineState(): IcmsgState {
    return this.actor.getSnapshot().value;
  }

  get localSid(): number {
    return this.actor.getSnapshot().context.localSid;
  }

  get remoteSid(): number {
    return this.actor.getSnapshot().context.remoteSid;
  }

  /** The live actor, for inspection (the UI subscribes to it). */
  get machineActor(): Actor<IcmsgMachine> {
    return this.actor;
  }

  // ---- public calls -----------------------------------------------------------------------

  /** `icmsg_open()`: starts the bind handshake. Returns 0, -EALREADY, -EINVAL or a mailbox error. */
  open(cb: IcmsgCallbacks): Result {
    if (this.dispatching) return this.defer(() => this.open(cb));
    this.cb = cb;
    const { mode } = this.actor.getSnapshot().context;
    // icmsg_open reads the TX handshake word twice (ack, then base id), after pbuf_rx_init, in
    // the session-aware modes only.
    let ackWord = 0;
    let sidWord = 0;
    const opensSession =
      mode !== 'DISABLE' && (this.kconfig.unboundEnabledAllowed || this.kconfig.unboundDetectAllowed);
    const rejected = mode === 'DISABLE' && this.state !== 'OFF';
    if (opensSession && !rejected && this.rx.cfgStatus === 0) {
      ackWord = this.tx.handshakeRead();
      sidWord = this.tx.handshakeRead();
    }
    this.result = 0;
    this.dispatch({ type: 'OPEN', ackWord, sidWord });
    if (isErrno(this.result)) return this.result;
    if (this.openDoorbellError !== null) {
      const error = this.openDoorbellError;
      this.openDoorbellError = null;
      this.dispatch({ type: 'OPEN_FAILED', error });
      return error;
    }
    return 0;
  }

  private openDoorbellError: Errno | null = null;

  /** `icmsg_close()`: clears my session (1.1), rings the peer, stops receiving. */
  close(): Result {
    if (this.dispatching) return this.defer(() => this.close());
    this.dispatch({ type: 'CLOSE' });
    return 0;
  }

  /** `icmsg_send()`. */
  send(data: Uint8Array, len: number = data.length): Result {
    this.lastSentMsgId = null;
    const state = this.state;
    if (!isEndpointReady(state)) {
      if (state === 'DISCONNECTED') {
        this.kernel.emit({
          kind: 'anomaly',
          where: `icmsg ${this.config.name}`,
          message: `send() while DISCONNECTED returns ${len} and drops the data`,
        });
        return len;
      }
      return 'EBUSY';
    }
    if (len === 0) return 'ENODATA';
    const written = this.tx.write(data, len);
    if (isErrno(written)) return written;
    if (written < len) {
      this.kernel.emit({
        kind: 'anomaly',
        where: `icmsg ${this.config.name}`,
        message: `send(${len}) truncated to ${written} bytes (uint16_t length): published without a doorbell`,
      });
      return 'EBADMSG';
    }
    const rang = this.kernel.mboxSend(this.config.mboxTx);
    if (isErrno(rang)) return rang;
    return written;
  }

  // ---- callback_process -------------------------------------------------------------------

  /** One pass of `callback_process()`; returns true when it asks to run again. */
  process(): boolean {
    this.pass = { notify: false, rerun: false, stop: 'none' };
    const state = this.state;
    switch (state) {
      case 'INITIALIZING_SID_DETECT':
        if (this.peerFirstPacketIsMagic()) {
          this.dispatch({ type: 'PEER_IS_V10' });
          break;
        }
        this.observeHandshake();
        break;
      case 'INITIALIZING_SID_ENABLED':
        this.observeHandshake();
        break;
      case 'CONNECTED_SID_ENABLED':
      case 'CONNECTED_SID_DISABLED':
      case 'INITIALIZING_SID_DISABLED':
        this.receive(state);
        break;
      case 'OFF':
      case 'DISCONNECTED':
        return false;
    }
    this.runDeferred();
    if (this.pass.stop === 'return') return false;
    if (this.pass.notify) this.kernel.mboxSend(this.config.mboxTx);
    return this.pass.rerun;
  }

  /** `pbuf_get_initial_buf` + "exactly the 13-byte magic". */
  private peerFirstPacketIsMagic(): boolean {
    const initial = this.rx.getInitialBuf();
    if (isErrno(initial) || initial.len !== ICMSG_MAGIC.length) return false;
    const bytes = new Uint8Array(ICMSG_MAGIC.length);
    this.kernel.domain.mem.read(initial.offset, bytes, 0, bytes.length);
    return startsWithMagic(bytes, bytes.length);
  }

  private observeHandshake(): void {
    const word = this.tx.handshakeRead();
    this.dispatch({ type: 'HANDSHAKE', req: word & 0xffff, ack: word >>> 16 });
  }

  /** The data path of CONNECTED_* and INITIALIZING_SID_DISABLED. */
  private receive(state: IcmsgState): void {
    const available = asUint32(this.rx.read(null));
    let len = 0;
    let readResult: Result | null = null;
    this.lastReadMsgId = null;
    this.passReadLength = null;
    if (available > 0 && available <= this.rxBufferSize) {
      readResult = this.rx.read(this.rxBuffer, this.rxBufferSize);
      len = asUint32(readResult);
      if (!isErrno(readResult)) this.passReadLength = readResult;
    }
    if (state === 'CONNECTED_SID_ENABLED') {
      const req = remoteSidReqFromTx(this.tx.handshakeRead());
      if (req !== this.remoteSid) {
        this.dispatch({ type: 'SESSION_CHANGED', req });
        return;
      }
    }
    if (available === 0) {
      this.pass.stop = 'return';
      return;
    }
    if (available > this.rxBufferSize) {
      this.kernel.assertFailed(
        `icmsg ${this.config.name}`,
        `a ${available}-byte packet does not fit the ${this.rxBufferSize}-byte RX buffer (CONFIG_PBUF_RX_READ_BUF_SIZE): it is never consumed`,
      );
      this.pass.stop = 'return';
      return;
    }
    if (state !== 'INITIALIZING_SID_DISABLED') {
      this.deliver(len, readResult);
    } else {
      this.dispatch({ type: 'MAGIC_RECEIVED', valid: startsWithMagic(this.rxBuffer, len) });
      if (this.pass.stop === 'return') return;
    }
    this.pass.rerun = asUint32(this.rx.read(null)) > 0;
  }

  private deliver(len: number, readResult: Result | null): void {
    let data: Uint8Array;
    if (readResult !== null && isErrno(readResult)) {
      // pbuf_read failed after a successful peek (a corrupted header): icmsg.c stores the
      // negative result in a uint32_t and hands it to received() as the length.
      this.kernel.emit({
        kind: 'anomaly',
        where: `icmsg ${this.config.name}`,
        message: `pbuf_read() returned -${readResult} after the peek; Zephyr calls received() with len ${len}`,
      });
      data = this.rxBuffer;
    } else {
      data = this.rxBuffer.subarray(0, len);
    }
    this.counters.received += 1;
    this.kernel.emit({
      kind: 'callback',
      instance: this.config.name,
      endpoint: this.config.name,
      callback: 'received',
      length: len,
      msgId: this.lastReadMsgId,
    });
    this.cb.received?.(data);
  }

  // ---- the machine ------------------------------------------------------------------------

  private machineInput() {
    return {
      mode: this.config.unbound,
      rxValid: this.rx.cfgStatus === 0,
      txValid: this.tx.cfgStatus === 0,
      txHoldsMagic: this.tx.cfg.len >= 24,
    };
  }

  private dispatch(event: IcmsgEvent): void {
    const before = this.actor.getSnapshot().value;
    this.dispatching = true;
    try {
      this.actor.send(event);
    } finally {
      this.dispatching = false;
    }
    const after = this.actor.getSnapshot().value;
    if (after !== before) {
      this.kernel.emit({
        kind: 'transition',
        machine: 'icmsg',
        instance: this.config.name,
        from: before,
        to: after,
        event: event.type,
      });
    }
  }

  private defer(call: () => Result): Result {
    this.kernel.emit({
      kind: 'note',
      text: `icmsg ${this.config.name}: open/close from inside a callback runs when the callback's pass ends`,
    });
    this.deferred.push(() => void call());
    return 0;
  }

  private runDeferred(): void {
    const calls = this.deferred;
    this.deferred = [];
    for (const call of calls) call();
  }

  private callback(name: 'bound' | 'unbound' | 'error', message?: string): void {
    this.kernel.emit({
      kind: 'callback',
      instance: this.config.name,
      endpoint: this.config.name,
      callback: name,
      ...(message === undefined ? {} : { message }),
    });
  }

  /** Binds the machine's named actions to this instance. */
  private bind(machine: IcmsgMachine): IcmsgMachine {
    const where = `icmsg ${this.config.name}`;
    return machine.provide({
      actions: {
        setState: (_, params) => {
          this.state = params.state;
        },
        initializeTxWithSidDisabled: () => this.initializeTxWithSidDisabled(),
        txInit: () => {
          if (isErrno(this.tx.txInit())) this.kernel.assertFailed(where, 'Incorrect Tx configuration');
          this.kernel.ids.forget(this.config.txRegion.name);
        },
        writeRxHandshake: ({ context }) => this.rx.handshakeWrite(makeRxHandshake(context.localSid, context.remoteSid)),
        clearRxHandshake: () => this.rx.handshakeWrite(makeRxHandshake(SID_DISCONNECTED, SID_DISCONNECTED)),
        mboxInit: () => {
          // icmsg_open: "if (old_state == OFF && (UNBOUND_ENABLED || UNBOUND_DETECT))": a build
          // that allows only `disable` never initialises the mailbox (quirk of the code as read).
          if (this.kconfig.unboundEnabledAllowed || this.kconfig.unboundDetectAllowed) {
            this.kernel.mboxInit(this.config.mboxRx, () => this.submitWork());
          }
        },
        mboxDeinit: () => {
          this.kernel.mboxDeinit(this.config.mboxRx);
          this.kernel.domain.cancelWork(this.workId);
        },
        notifyOpen: () => {
          const rang = this.kernel.mboxSend(this.config.mboxTx);
          this.openDoorbellError = isErrno(rang) ? rang : null;
        },
        notifyClose: () => void this.kernel.mboxSend(this.config.mboxTx),
        callBound: () => {
          this.counters.bound += 1;
          this.callback('bound');
          this.cb.bound?.();
        },
        callUnbound: () => {
          this.counters.unbound += 1;
          this.callback('unbound');
          this.cb.unbound?.();
        },
        callError: (_, params) => {
          this.callback('error', params.message);
          this.cb.error?.(params.message);
        },
        assertFailed: (_, params) => this.kernel.assertFailed(where, params.message),
        passNotify: () => {
          this.pass.notify = true;
        },
        passRerun: () => {
          this.pass.rerun = true;
        },
        passBreak: () => {
          this.pass.stop = 'break';
        },
        passReturn: () => {
          this.pass.stop = 'return';
        },
        dropPacket: () => {
          const length = this.passReadLength;
          if (length === null) return;
          this.kernel.emit({
            kind: 'packet-dropped',
            region: this.config.rxRegion.name,
            length,
            msgId: this.lastReadMsgId,
            reason: 'the session changed: the packet read in this pass is discarded',
          });
          this.onDropped?.(this.rxBuffer.subarray(0, length));
        },
        rejectAlreadyOpen: () => {
          this.result = 'EALREADY';
        },
        failOpen: (_, params) => {
          this.result = params.error;
        },
      },
    });
  }

  /** `initialize_tx_with_sid_disabled()`: reset my TX FIFO and write the magic. */
  private initializeTxWithSidDisabled(): Result {
    const where = `icmsg ${this.config.name}`;
    const init = this.tx.txInit();
    this.kernel.ids.forget(this.config.txRegion.name);
    if (isErrno(init)) {
      this.kernel.assertFailed(where, 'Incorrect Tx configuration');
      return init;
    }
    const written = this.tx.write(ICMSG_MAGIC, ICMSG_MAGIC.length);
    if (isErrno(written)) {
      this.kernel.assertFailed(where, `the magic does not fit the TX FIFO (-${written})`);
      return written;
    }
    return 0;
  }

  private submitWork(): void {
    this.kernel.domain.submitWork(this.workId);
  }

  private pbufObserver(region: string): PbufObserver {
    return {
      packetWritten: (_pb, index, length) => {
        const msgId = this.kernel.ids.published(region, index);
        this.lastSentMsgId = msgId;
        this.kernel.emit({ kind: 'packet-written', region, offset: index, length, msgId });
      },
      packetRead: (_pb, index, length) => {
        const msgId = this.kernel.ids.consumed(region, index);
        this.lastReadMsgId = msgId;
        this.kernel.emit({ kind: 'packet-read', region, offset: index, length, msgId });
      },
      assertFailed: (_pb, message) => this.kernel.assertFailed(`pbuf ${region}`, message),
      indexRejected: (_pb, which, value) =>
        this.kernel.emit({
          kind: 'anomaly',
          where: `pbuf ${region}`,
          message: `hardened mode refused ${which} = ${value}`,
        }),
    };
  }

  // ---- snapshots and warm starts -------------------------------------------------------------

  snapshot(): IcmsgSnapshot {
    return {
      state: this.state,
      machine: this.actor.getPersistedSnapshot(),
      counters: { ...this.counters },
      txWrIdx: this.tx.data.wrIdx,
      txRdIdx: this.tx.data.rdIdx,
      rxWrIdx: this.rx.data.wrIdx,
      rxRdIdx: this.rx.data.rdIdx,
      rxBuffer: this.rxBuffer.slice(),
    };
  }

  restore(s: IcmsgSnapshot): void {
    this.state = s.state;
    Object.assign(this.counters, s.counters);
    this.tx.data.wrIdx = s.txWrIdx;
    this.tx.data.rdIdx = s.txRdIdx;
    this.rx.data.wrIdx = s.rxWrIdx;
    this.rx.data.rdIdx = s.rxRdIdx;
    this.rxBuffer.set(s.rxBuffer);
    this.actor.stop();
    this.actor = createActor(this.machine, {
      snapshot: s.machine as ReturnType<Actor<IcmsgMachine>['getPersistedSnapshot']>,
      input: this.machineInput(),
    }).start();
  }

  /**
   * Starts this instance as a side an earlier session left running (a warm reset of its peer):
   * in `state`, with these session ids and local indices, its mailbox enabled unless OFF.
   */
  adopt(
    s: { state: IcmsgState; localSid: number; remoteSid: number; txLocalWrIdx: number; rxLocalRdIdx: number },
    cb: IcmsgCallbacks,
  ): void {
    this.cb = cb;
    this.state = s.state;
    this.tx.data.wrIdx = s.txLocalWrIdx;
    this.rx.data.rdIdx = s.rxLocalRdIdx;
    const resolved = this.machine.resolveState({
      value: s.state,
      context: { ...this.machineInput(), localSid: s.localSid, remoteSid: s.remoteSid },
    });
    this.actor.stop();
    this.actor = createActor(this.machine, { snapshot: resolved, input: this.machineInput() }).start();
    if (s.state !== 'OFF') this.kernel.mboxInit(this.config.mboxRx, () => this.submitWork());
  }
}
