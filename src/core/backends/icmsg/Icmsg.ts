/**
 * ICMsg, Zephyr 4.1+ (`subsys/ipc/ipc_service/lib/icmsg.c`): one endpoint over two pbuf regions
 * and two doorbells. This file is the driver: the public calls (`icmsg_open`, `icmsg_close`,
 * `icmsg_send`) and `callback_process`, which reads shared memory in Zephyr's order and hands
 * every decision to the XState machine (`icmsgMachine.ts`).
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
 * mutex is never contended. Open or close called from inside a callback takes effect when that
 * callback's pass ends (the machine is not re-entered).
 */
import { type Actor, createActor } from 'xstate';
import { type Errno, isErrno, type Result } from '../../errno';
import type { Kernel } from '../../sim/Simulation';
import {
  asUint32,
  type IcmsgBaseSnapshot,
  type IcmsgCallbacks,
  type IcmsgConfig,
  IcmsgBase,
  type IcmsgKconfig,
  DEFAULT_ICMSG_KCONFIG,
} from './IcmsgBase';
import { type IcmsgEvent, icmsgMachine, type IcmsgMachine } from './icmsgMachine';
import {
  ICMSG_MAGIC,
  type IcmsgState,
  isEndpointReady,
  makeRxHandshake,
  remoteSidReqFromTx,
  SID_DISCONNECTED,
  startsWithMagic,
} from './icmsgWire';

interface PassFlags {
  notify: boolean;
  rerun: boolean;
  stop: 'none' | 'break' | 'return';
}

export interface IcmsgSnapshot extends IcmsgBaseSnapshot {
  readonly state: IcmsgState;
  readonly machine: unknown;
}

type PersistedMachine = ReturnType<Actor<IcmsgMachine>['getPersistedSnapshot']>;

export class Icmsg extends IcmsgBase {
  readonly kconfig: IcmsgKconfig;
  /** `atomic_t state`: what `send()` and the next pass read. */
  state: IcmsgState = 'OFF';
  private readonly machine: IcmsgMachine;
  private actor: Actor<IcmsgMachine>;
  private pass: PassFlags = { notify: false, rerun: false, stop: 'none' };
  private result: Result = 0;
  private openDoorbellError: Errno | null = null;
  /** Length of the packet read in the current pass, null when none was read. */
  private passReadLength: number | null = null;
  private dispatching = false;
  private deferred: (() => void)[] = [];

  constructor(kernel: Kernel, config: IcmsgConfig, machine: IcmsgMachine = icmsgMachine) {
    super(kernel, config, config.unbound !== 'DISABLE');
    this.kconfig = { ...DEFAULT_ICMSG_KCONFIG, ...config.kconfig };
    this.machine = this.bind(machine);
    this.actor = createActor(this.machine, { input: this.machineInput() }).start();
    kernel.domain.defineWork(this.workId, () => {
      if (this.process()) this.submitWork();
    });
  }

  get stateName(): string {
    return this.state;
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
    const mode = this.config.unbound;
    // icmsg_open reads the TX handshake word twice (ack, then base id), after pbuf_rx_init and
    // only in the session-aware modes; reading it here gives the same order of memory accesses.
    let ackWord = 0;
    let sidWord = 0;
    const sessionAware =
      mode !== 'DISABLE' && (this.kconfig.unboundEnabledAllowed || this.kconfig.unboundDetectAllowed);
    if (sessionAware && this.rx.cfgStatus === 0) {
      ackWord = this.tx.handshakeRead();
      sidWord = this.tx.handshakeRead();
    }
    this.result = 0;
    this.openDoorbellError = null;
    this.dispatch({ type: 'OPEN', ackWord, sidWord });
    if (isErrno(this.result)) return this.result;
    const error = this.openDoorbellError;
    if (error !== null) {
      this.dispatch({ type: 'OPEN_FAILED', error });
      return error;
    }
    return 0;
  }

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
      if (state !== 'DISCONNECTED') return 'EBUSY';
      this.kernel.emit({
        kind: 'anomaly',
        where: this.where,
        message: `send() while DISCONNECTED returns ${len} and drops the data`,
      });
      return len;
    }
    return this.sendPacket(data, len);
  }

  // ---- callback_process -------------------------------------------------------------------

  /** One pass of `callback_process()`; returns true when it asks to run again. */
  process(): boolean {
    this.pass = { notify: false, rerun: false, stop: 'none' };
    const state = this.state;
    switch (state) {
      case 'INITIALIZING_SID_DETECT':
        if (this.peerFirstPacketIsMagic()) this.dispatch({ type: 'PEER_IS_V10' });
        else this.observeHandshake();
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
        this.where,
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
        instance: this.machineInstance ?? this.config.name,
        from: before,
        to: after,
        event: event.type,
      });
    }
  }

  private defer(call: () => Result): Result {
    this.kernel.emit({
      kind: 'note',
      text: `${this.where}: open/close from inside a callback runs when the callback's pass ends`,
    });
    this.deferred.push(() => void call());
    return 0;
  }

  private runDeferred(): void {
    const calls = this.deferred;
    this.deferred = [];
    for (const call of calls) call();
  }

  /** Binds the machine's named actions to this instance. */
  private bind(machine: IcmsgMachine): IcmsgMachine {
    return machine.provide({
      actions: {
        setState: (_, params) => {
          this.state = params.state;
        },
        initializeTxWithSidDisabled: () => {
          // initialize_tx_with_sid_disabled(): asserts on failure; icmsg_open ignores its result.
          if (isErrno(this.txInit())) this.kernel.assertFailed(this.where, 'Incorrect Tx configuration');
          else this.writeMagic();
        },
        rxInit: () => void this.rx.rxInit(),
        txInit: () => {
          if (isErrno(this.txInit())) this.kernel.assertFailed(this.where, 'Incorrect Tx configuration');
        },
        writeRxHandshake: ({ context }) => this.rx.handshakeWrite(makeRxHandshake(context.localSid, context.remoteSid)),
        clearRxHandshake: () => this.rx.handshakeWrite(makeRxHandshake(SID_DISCONNECTED, SID_DISCONNECTED)),
        mboxInit: () => {
          // icmsg_open: "if (old_state == OFF && (UNBOUND_ENABLED || UNBOUND_DETECT))": a build
          // that allows only `disable` never initialises the mailbox (a quirk of the code as read).
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
        callBound: () => this.callback('bound'),
        callUnbound: () => this.callback('unbound'),
        callError: (_, params) => this.callback('error', params.message),
        assertFailed: (_, params) => this.kernel.assertFailed(this.where, params.message),
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

  // ---- snapshots and warm starts -------------------------------------------------------------

  snapshot(): IcmsgSnapshot {
    return { ...this.baseSnapshot(), state: this.state, machine: this.actor.getPersistedSnapshot() };
  }

  /** Restores what `snapshot()` returned. */
  restore(saved: unknown): void {
    const s = saved as IcmsgSnapshot;
    this.restoreBase(s);
    this.state = s.state;
    this.actor.stop();
    this.actor = createActor(this.machine, {
      snapshot: s.machine as PersistedMachine,
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

export type { IcmsgCallbacks, IcmsgConfig } from './IcmsgBase';
