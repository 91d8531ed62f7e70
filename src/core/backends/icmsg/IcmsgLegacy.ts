/**
 * ICMsg as shipped in Zephyr 3.6–4.0 (states OFF/BUSY/READY, no sessions). Same wire format as
 * ICMsg 1.0 in 4.1+ (`unbound = "disable"`), but the bind is driven differently: after open, a
 * delayable work item rings the peer every `CONFIG_IPC_SERVICE_ICMSG_BOND_NOTIFY_REPEAT_TO_MS`
 * (1 ms) until the peer's magic arrives, so a doorbell lost while the peer was still booting is
 * repeated. Close sends nothing: the peer cannot tell.
 *
 * Differences from 4.1 kept on purpose: open resets the TX FIFO at once; a failed pbuf init
 * returns its error but leaves the state BUSY; `send()` is -EBUSY in every state but READY.
 */
import { type Actor, createActor } from 'xstate';
import { isErrno, type Result } from '../../errno';
import type { Kernel } from '../../sim/Simulation';
import {
  asUint32,
  DEFAULT_BOND_NOTIFY_REPEAT_MS,
  IcmsgBase,
  type IcmsgBaseSnapshot,
  type IcmsgCallbacks,
  type IcmsgConfig,
} from './IcmsgBase';
import { type IcmsgLegacyEvent, icmsgLegacyMachine, type IcmsgLegacyMachine } from './icmsgLegacyMachine';
import { type IcmsgLegacyState, startsWithMagic } from './icmsgWire';

export interface IcmsgLegacySnapshot extends IcmsgBaseSnapshot {
  readonly state: IcmsgLegacyState;
  readonly machine: unknown;
}

type PersistedMachine = ReturnType<Actor<IcmsgLegacyMachine>['getPersistedSnapshot']>;

export class IcmsgLegacy extends IcmsgBase {
  /** `atomic_t state`. */
  state: IcmsgLegacyState = 'OFF';
  readonly notifyWorkId: string;
  readonly repeatNs: number;
  private readonly machine: IcmsgLegacyMachine;
  private actor: Actor<IcmsgLegacyMachine>;
  private result: Result = 0;

  constructor(kernel: Kernel, config: IcmsgConfig, machine: IcmsgLegacyMachine = icmsgLegacyMachine) {
    super(kernel, config, false);
    this.notifyWorkId = `${config.name}/notify_work`;
    this.repeatNs = (config.bondNotifyRepeatMs ?? DEFAULT_BOND_NOTIFY_REPEAT_MS) * 1_000_000;
    this.machine = this.bind(machine);
    this.actor = createActor(this.machine).start();
    kernel.domain.defineWork(this.workId, () => this.process());
    kernel.domain.defineWork(this.notifyWorkId, () => this.dispatch({ type: 'BOND_NOTIFY' }));
  }

  get stateName(): string {
    return this.state;
  }

  get machineState(): IcmsgLegacyState {
    return this.actor.getSnapshot().value;
  }

  get machineActor(): Actor<IcmsgLegacyMachine> {
    return this.actor;
  }

  /** `icmsg_open()`: -EALREADY unless OFF; pbuf errors returned as they come. */
  open(cb: IcmsgCallbacks): Result {
    this.cb = cb;
    this.result = 0;
    this.dispatch({ type: 'OPEN' });
    return this.result;
  }

  /** `icmsg_close()`: stops receiving and repeating; nothing reaches the peer. */
  close(): Result {
    this.dispatch({ type: 'CLOSE' });
    return 0;
  }

  /** `icmsg_send()`: -EBUSY unless READY. */
  send(data: Uint8Array, len: number = data.length): Result {
    this.lastSentMsgId = null;
    if (this.state !== 'READY') return 'EBUSY';
    return this.sendPacket(data, len);
  }

  /** One run of `mbox_callback_process` (the work item). */
  process(): void {
    const state = this.state;
    const available = asUint32(this.rx.read(null));
    if (available === 0) return;
    if (available > this.rxBufferSize) {
      this.kernel.assertFailed(
        this.where,
        `a ${available}-byte packet does not fit the ${this.rxBufferSize}-byte RX buffer (CONFIG_PBUF_RX_READ_BUF_SIZE): it is never consumed`,
      );
      return;
    }
    this.lastReadMsgId = null;
    const readResult = this.rx.read(this.rxBuffer, this.rxBufferSize);
    const len = asUint32(readResult);
    if (state === 'READY') {
      this.deliver(len, readResult);
    } else {
      if (state !== 'BUSY') this.kernel.assertFailed(this.where, `processing in state ${state} (expected BUSY)`);
      const valid = startsWithMagic(this.rxBuffer, len);
      this.dispatch({ type: 'MAGIC_RECEIVED', valid });
      if (!valid) return;
    }
    // submit_work_if_buffer_free_and_data_available()
    if (this.rx.read(null) !== 0) this.submitWork();
  }

  private dispatch(event: IcmsgLegacyEvent): void {
    const before = this.actor.getSnapshot().value;
    this.actor.send(event);
    const after = this.actor.getSnapshot().value;
    if (after !== before) {
      this.kernel.emit({
        kind: 'transition',
        machine: 'icmsg-3.6',
        instance: this.config.name,
        from: before,
        to: after,
        event: event.type,
      });
    }
  }

  private bind(machine: IcmsgLegacyMachine): IcmsgLegacyMachine {
    return machine.provide({
      actions: {
        setState: (_, params) => {
          this.state = params.state;
        },
        openSequence: () => {
          this.result = this.openSequence();
        },
        mboxDeinit: () => {
          this.kernel.mboxDeinit(this.config.mboxRx);
          this.kernel.domain.cancelWork(this.workId);
          this.kernel.domain.cancelWork(this.notifyWorkId);
        },
        rejectAlreadyOpen: () => {
          this.result = 'EALREADY';
        },
        ringPeer: () => void this.kernel.mboxSend(this.config.mboxTx),
        scheduleBondNotify: () => this.kernel.domain.rescheduleWork(this.notifyWorkId, this.repeatNs),
        callBound: () => this.callback('bound'),
        assertFailed: (_, params) => this.kernel.assertFailed(this.where, params.message),
      },
    });
  }

  /** The body of the 3.6–4.0 `icmsg_open()` after the state became BUSY. */
  private openSequence(): Result {
    const txInit = this.txInit();
    if (isErrno(txInit)) {
      this.kernel.assertFailed(this.where, 'Incorrect Tx configuration');
      return txInit;
    }
    const rxInit = this.rx.rxInit();
    if (isErrno(rxInit)) {
      this.kernel.assertFailed(this.where, 'Incorrect Rx configuration');
      return rxInit;
    }
    const written = this.writeMagic();
    if (isErrno(written)) return written;
    this.kernel.mboxInit(this.config.mboxRx, () => this.submitWork());
    this.kernel.domain.scheduleWork(this.notifyWorkId, 0);
    return 0;
  }

  snapshot(): IcmsgLegacySnapshot {
    return { ...this.baseSnapshot(), state: this.state, machine: this.actor.getPersistedSnapshot() };
  }

  /** Restores what `snapshot()` returned. */
  restore(saved: unknown): void {
    const s = saved as IcmsgLegacySnapshot;
    this.restoreBase(s);
    this.state = s.state;
    this.actor.stop();
    this.actor = createActor(this.machine, { snapshot: s.machine as PersistedMachine }).start();
  }
}
