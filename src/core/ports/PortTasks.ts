/**
 * FreeRTOS tasks that use libipc, as a scenario describes them (`schema.ts`): a sender of struct
 * messages, a port's receive loop, and the NFC command path that routes protos and waits for the
 * response with its sequence number. Each is a `TaskBody`: a step runs until the task would
 * block, and its state is plain data so snapshots, replay and resets work.
 *
 * Blocking follows FreeRTOS: a send to a full queue and a receive from an empty one wait up to
 * their timeout (forever for `IPC_TIMEOUT_MAX`, not at all for 0); a task woken before that looks
 * again, and gives up once the timeout has passed.
 *
 * Just over 400 lines: three task bodies, each a state machine over one plain state object.
 */
import { type TaskNext, WAIT, YIELD } from '../sim/Domain';
import type { Kernel } from '../sim/Kernel';
import { DONE, sleepUntil, StateTask } from '../sim/taskKit';
import type { StructLayout } from './cLayout';
import type { PortPlan } from './area';
import type { IpcRef, LibIpc, Received } from './LibIpc';
import type { IpcTimeout, PortTaskBehaviour } from './schema';
import { encodeStruct } from './structCodec';

const US = 1_000;
const MS = 1_000_000;
/** A failed send or route retried (`retry`) waits at least this long (ns). */
const RETRY_NS = 1_000_000;

const deadlineOf = (now: number, timeout: IpcTimeout): number =>
  timeout === 'forever' ? Infinity : now + timeout * MS;

const timeoutText = (timeout: IpcTimeout): string => (timeout === 'forever' ? 'IPC_TIMEOUT_MAX' : `${timeout} ms`);

// ---- sender -------------------------------------------------------------------------------------

type Sender = Extract<PortTaskBehaviour, { kind: 'sender' }>;

interface SenderState {
  phase: 'start' | 'idle' | 'sending';
  sent: number;
  nextAt: number;
  deadline: number;
  blocked: boolean;
  ref: IpcRef | null;
  msgId: number;
}

const SENDER_START: SenderState = {
  phase: 'start',
  sent: 0,
  nextAt: 0,
  deadline: 0,
  blocked: false,
  ref: null,
  msgId: 0,
};

export class SenderTask extends StateTask<SenderState> {
  private readonly tag: number;

  constructor(
    readonly name: string,
    private readonly spec: Sender,
    private readonly kernel: Kernel,
    private readonly lib: LibIpc,
    private readonly port: PortPlan,
    private readonly layout: StructLayout,
    /** The task's static message object (offset in shared memory). */
    private readonly object: number,
  ) {
    super(SENDER_START);
    this.tag = port.tags.find((t) => t.kind === 'struct' && t.message === spec.message)?.value ?? 0;
  }

  step(): TaskNext {
    this.lib.boot();
    const now = this.kernel.now();
    const s = this.s;
    if (s.phase === 'start') {
      s.phase = 'idle';
      s.nextAt = now;
    }
    if (s.phase === 'idle') {
      if (this.spec.count !== undefined && s.sent >= this.spec.count) return DONE;
      if (now < s.nextAt) return sleepUntil(now, s.nextAt);
      this.prepare(now);
      if (s.ref === null) return this.next(now);
    }
    return this.attempt(now);
  }

  /** Fills the static object (and takes a mempool copy) for send number `sent + 1`. */
  private prepare(now: number): void {
    const s = this.s;
    s.sent += 1;
    s.msgId = this.kernel.ids.allocate();
    const size = this.layout.size;
    const staticAddress = this.lib.address(this.object);
    let object = 0;
    if (size > 0) {
      const bytes = this.lib.readObject(staticAddress, size);
      encodeStruct(this.layout, this.spec.values, bytes);
      if (this.spec.counter !== undefined) encodeStruct(this.layout, { [this.spec.counter]: s.sent }, bytes);
      this.lib.writeObject(staticAddress, bytes);
      this.lib.note('write', this.name, this.port, { object: staticAddress, length: size, msgId: s.msgId });
      object = staticAddress;
      // _ipc_send returns false for a port never registered before it copies anything.
      if (this.spec.takeOwnership && this.lib.isRegistered(this.port)) {
        object = this.lib.alloc(this.name, size, s.msgId);
        if (object === 0) {
          this.lib.note('send-failed', this.name, this.port, {
            msgId: s.msgId,
            detail: 'mempool_alloc gave no copy: _ipc_send returns false',
          });
          s.ref = null;
          this.failed(now);
          return;
        }
        this.lib.writeObject(object, bytes);
      }
    }
    s.ref = { tag: this.tag, length: size, object };
    s.deadline = deadlineOf(now, this.spec.timeoutMs);
    s.blocked = false;
    s.phase = 'sending';
  }

  private attempt(now: number): TaskNext {
    const s = this.s;
    let ref = s.ref;
    if (ref === null) return this.next(now);
    // The port was not registered when the message was prepared, so nothing was copied; another
    // core may have registered it since: copy now, never send the static object instead.
    if (
      this.spec.takeOwnership &&
      ref.length > 0 &&
      !this.lib.isOwned(ref.object) &&
      this.lib.isRegistered(this.port)
    ) {
      const copy = this.lib.alloc(this.name, ref.length, s.msgId);
      if (copy === 0) {
        this.lib.note('send-failed', this.name, this.port, { msgId: s.msgId, detail: 'mempool_alloc gave no copy' });
        s.ref = null;
        this.failed(now);
        return this.next(now);
      }
      this.lib.writeObject(copy, this.lib.readObject(ref.object, ref.length));
      ref = { ...ref, object: copy };
      s.ref = ref;
    }
    const result = this.lib.trySend(this.name, this.port, ref, s.msgId, now < s.deadline);
    if (result === 'sent') {
      s.ref = null;
      return this.next(now);
    }
    if (result === 'full' && now < s.deadline) {
      if (!s.blocked)
        this.lib.note('send-blocked', this.name, this.port, {
          msgId: s.msgId,
          tag: ref.tag,
          detail: `queue full: waits up to ${timeoutText(this.spec.timeoutMs)} for a slot`,
        });
      s.blocked = true;
      return sleepUntil(now, s.deadline);
    }
    this.lib.stopWaiting(this.name);
    const leaked = this.lib.isOwned(ref.object);
    this.lib.note(result === 'full' ? 'send-timeout' : 'send-failed', this.name, this.port, {
      msgId: s.msgId,
      tag: ref.tag,
      object: ref.object,
      owned: leaked,
      detail:
        result === 'full'
          ? `queue full for ${timeoutText(this.spec.timeoutMs)}: _ipc_send returns false${leaked ? '; its mempool copy is never freed' : ''}`
          : 'the port was never registered (queue NULL): _ipc_send returns false',
    });
    s.ref = null;
    this.failed(now);
    return this.next(now);
  }

  /** A failed send: carry on, try the same message again later, or reset the device (the sysinfo power-off timer's choice). */
  private failed(now: number): void {
    const s = this.s;
    s.phase = 'idle';
    // Retrying: the next attempt is this message again, under the same number, a period later
    // but not sooner than RETRY_NS (a port whose core is not up yet is not hammered).
    if (this.spec.onFailure === 'retry') {
      s.sent -= 1;
      s.nextAt = Math.max(s.nextAt, now + RETRY_NS - this.spec.periodUs * US);
    }
    if (this.spec.onFailure !== 'reset') return;
    this.lib.note('reset', this.name, this.port, {
      msgId: s.msgId,
      detail: 'mcu_reset_with_reason(MCU_RESET_SHUTDOWN_IPC_FAILED)',
    });
    this.kernel.reset(`${this.name}: send to ${this.port.name} failed: MCU_RESET_SHUTDOWN_IPC_FAILED`);
  }

  private next(now: number): TaskNext {
    const s = this.s;
    s.phase = 'idle';
    s.nextAt = Math.max(now, s.nextAt + this.spec.periodUs * US);
    if (this.spec.count !== undefined && s.sent >= this.spec.count) return DONE;
    return sleepUntil(now, s.nextAt);
  }
}

// ---- receiver -----------------------------------------------------------------------------------

type Receiver = Extract<PortTaskBehaviour, { kind: 'receiver' }>;

interface ReceiverState {
  phase: 'start' | 'recv' | 'handling';
  deadline: number;
  blocked: boolean;
  current: Received | null;
  /** The routed proto's sequence number (0: a struct message). */
  seq: number;
  handledAt: number;
  received: number;
}

const RECEIVER_START: ReceiverState = {
  phase: 'start',
  deadline: 0,
  blocked: false,
  current: null,
  seq: 0,
  handledAt: 0,
  received: 0,
};

export class ReceiverTask extends StateTask<ReceiverState> {
  constructor(
    readonly name: string,
    private readonly spec: Receiver,
    private readonly kernel: Kernel,
    private readonly lib: LibIpc,
    private readonly port: PortPlan,
  ) {
    super(RECEIVER_START);
  }

  step(): TaskNext {
    this.lib.boot();
    const now = this.kernel.now();
    const s = this.s;
    if (s.phase === 'start') {
      this.lib.register(this.name, this.port);
      s.phase = 'recv';
      s.deadline = deadlineOf(now, this.spec.timeoutMs);
    }
    if (s.phase === 'handling') {
      if (now < s.handledAt) return sleepUntil(now, s.handledAt);
      this.finish(now);
      if (this.spec.count !== undefined && s.received >= this.spec.count) return DONE;
      return this.spec.loopUs > 0 ? { kind: 'sleep', ns: this.spec.loopUs * US } : YIELD;
    }
    const poll = this.spec.timeoutMs === 0;
    const got = this.lib.tryRecv(this.name, this.port, !poll && now < s.deadline);
    if (typeof got !== 'string') {
      s.blocked = false;
      s.received += 1;
      s.current = got;
      s.seq = 0;
      const tag = this.port.tags.find((t) => t.value === got.tag);
      if (tag?.kind === 'proto') this.decodeProto(got);
      s.phase = 'handling';
      s.handledAt = now + this.spec.handleUs * US;
      return sleepUntil(now, s.handledAt);
    }
    if (got === 'empty' && !poll && now < s.deadline) {
      if (!s.blocked)
        this.lib.note('recv-blocked', this.name, this.port, {
          detail: `queue empty: waits up to ${timeoutText(this.spec.timeoutMs)}`,
        });
      s.blocked = true;
      return sleepUntil(now, s.deadline);
    }
    this.lib.stopWaiting(this.name);
    s.blocked = false;
    this.lib.note('recv-timeout', this.name, this.port, {
      detail: poll ? 'poll (timeout 0): queue empty' : `queue empty for ${timeoutText(this.spec.timeoutMs)}`,
    });
    s.deadline = deadlineOf(now + this.spec.loopUs * US, this.spec.timeoutMs);
    return this.spec.loopUs > 0 ? { kind: 'sleep', ns: this.spec.loopUs * US } : YIELD;
  }

  /** `proto_get_cmd`: the routed command's seq, then its buffer freed (it belongs to the IPC pool). */
  private decodeProto(got: Received): void {
    const head = this.lib.readObject(got.object, 4);
    this.s.seq = head.length === 4 ? new DataView(head.buffer).getUint32(0, true) : 0;
    if (got.owned) this.lib.free(this.name, got.object, got.msgId);
  }

  private finish(now: number): void {
    const s = this.s;
    const got = s.current;
    s.current = null;
    s.phase = 'recv';
    s.deadline = deadlineOf(now + this.spec.loopUs * US, this.spec.timeoutMs);
    if (!got) return;
    this.lib.note('done', this.name, this.port, {
      msgId: got.msgId,
      tag: got.tag,
      tagName: this.lib.tagName(this.port, got.tag),
      object: got.object,
      length: got.length,
      owned: got.owned,
      protoSeq: s.seq === 0 ? undefined : s.seq,
    });
    const tag = this.port.tags.find((t) => t.value === got.tag);
    if (tag?.kind === 'proto') {
      const response = new Uint8Array(this.spec.responseBytes).map((_, i) => (s.seq + i) & 0xff);
      this.lib.respond(this.name, this.port, s.seq, response, got.msgId);
      return;
    }
    const release = this.spec.release;
    if (got.object !== 0 && (release === 'always' || (release === 'owned' && got.owned)))
      this.lib.free(this.name, got.object, got.msgId);
  }
}

// ---- the NFC command path (wca.c) ---------------------------------------------------------------

type ProtoClient = Extract<PortTaskBehaviour, { kind: 'proto-client' }>;

interface ClientState {
  phase: 'idle' | 'routing' | 'waiting';
  commands: number;
  nextAt: number;
  seq: number;
  deadline: number;
  ref: IpcRef | null;
  msgId: number;
  blocked: boolean;
}

const PROTO_CLIENT_START: ClientState = {
  phase: 'idle',
  commands: 0,
  nextAt: -1,
  seq: 0,
  deadline: 0,
  ref: null,
  msgId: 0,
  blocked: false,
};

export class ProtoClientTask extends StateTask<ClientState> {
  constructor(
    readonly name: string,
    private readonly spec: ProtoClient,
    private readonly kernel: Kernel,
    private readonly lib: LibIpc,
    private readonly port: PortPlan,
    private readonly tag: number,
  ) {
    super(PROTO_CLIENT_START);
  }

  step(): TaskNext {
    this.lib.boot();
    const now = this.kernel.now();
    const s = this.s;
    if (s.nextAt < 0) s.nextAt = now;
    if (s.phase === 'idle') {
      if (this.spec.count !== undefined && s.commands >= this.spec.count) return DONE;
      if (now < s.nextAt) return sleepUntil(now, s.nextAt);
      s.commands += 1;
      s.nextAt += this.spec.periodUs * US;
      s.seq = this.lib.beginCommand();
      s.msgId = this.kernel.ids.allocate();
      // ipc_proto_route → route_proto_cmd: an ipc_proto_routed_cmd_t { seq, encoded_cmd[] } in the pool.
      const length = 4 + this.spec.commandBytes;
      const routed = this.lib.alloc(this.name, length, s.msgId);
      if (routed === 0) {
        this.lib.note('send-failed', this.name, this.port, {
          protoSeq: s.seq,
          detail: 'ipc_proto_alloc gave no buffer',
        });
        return this.idle(now);
      }
      const bytes = new Uint8Array(length);
      new DataView(bytes.buffer).setUint32(0, s.seq, true);
      for (let i = 4; i < length; i++) bytes[i] = (s.seq * 7 + i) & 0xff;
      this.lib.writeObject(routed, bytes);
      s.ref = { tag: this.tag, length, object: routed };
      s.phase = 'routing';
      s.blocked = false;
    }
    if (s.phase === 'routing') {
      const ref = s.ref;
      if (ref === null) return this.idle(now);
      // route_proto_cmd uses ipc_send: it waits for a slot for ever.
      const result = this.lib.trySend(this.name, this.port, ref, s.msgId, true);
      if (result === 'full') {
        if (!s.blocked)
          this.lib.note('send-blocked', this.name, this.port, {
            protoSeq: s.seq,
            msgId: s.msgId,
            detail: 'queue full',
          });
        s.blocked = true;
        return WAIT;
      }
      s.ref = null;
      if (result === 'unregistered') {
        this.lib.free(this.name, ref.object, s.msgId);
        this.lib.note('send-failed', this.name, this.port, {
          protoSeq: s.seq,
          msgId: s.msgId,
          detail: 'route_proto_cmd: the port was never registered; the routed buffer is freed',
        });
        this.lib.retireCommand(s.seq);
        // Retrying: this command is routed again (with a new seq) at the next period, RETRY_NS at the soonest.
        if (this.spec.onRouteFailure === 'retry') {
          s.commands -= 1;
          s.nextAt = Math.max(s.nextAt, now + RETRY_NS);
        }
        return this.idle(now);
      }
      this.lib.note('proto-route', this.name, this.port, {
        protoSeq: s.seq,
        msgId: s.msgId,
        tag: ref.tag,
        tagName: this.lib.tagName(this.port, ref.tag),
        detail: `${this.spec.proto} routed with seq ${s.seq}`,
      });
      s.phase = 'waiting';
      s.deadline = now + this.spec.responseTimeoutMs * MS;
    }
    // wca_wait_for_proto_response(seq): the semaphore, up to the timeout.
    for (;;) {
      const response = this.lib.takeResponse(this.name, now < s.deadline);
      if (response === null) break;
      if (response.seq === s.seq) {
        this.lib.note('done', this.name, this.port, {
          protoSeq: s.seq,
          msgId: s.msgId,
          length: response.length,
          detail: `response for seq ${s.seq}`,
        });
        return this.idle(now);
      }
      this.lib.note('proto-mismatch', this.name, this.port, {
        protoSeq: response.seq,
        detail: `response seq ${response.seq} while waiting for ${s.seq}: discarded, waits again`,
      });
    }
    if (now < s.deadline) return sleepUntil(now, s.deadline);
    this.lib.stopWaiting(this.name);
    this.lib.retireCommand(s.seq);
    this.lib.note('proto-timeout', this.name, this.port, {
      protoSeq: s.seq,
      msgId: s.msgId,
      detail: `no response for seq ${s.seq} in ${this.spec.responseTimeoutMs} ms: seq retired, UI_EVENT_NFC_ERROR`,
    });
    return this.idle(now);
  }

  private idle(now: number): TaskNext {
    const s = this.s;
    s.phase = 'idle';
    if (this.spec.count !== undefined && s.commands >= this.spec.count) return DONE;
    return sleepUntil(now, s.nextAt);
  }
}
