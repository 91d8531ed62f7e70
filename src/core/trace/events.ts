/**
 * The trace: one discriminated union of everything the simulation reports (DESIGN.md §3.6). Every
 * event carries a global sequence number, the domain it happened on and its time (virtual
 * nanoseconds in the inline runtime). Messages carry a `msgId` from the send that wrote them to
 * the read that consumed them, so a message can be followed across cores.
 */
import type { Result } from '../errno';

export type IpcCallback = 'bound' | 'unbound' | 'received' | 'error';

/**
 * What an ICBMsg `blocks` event says about blocks of a region. On the sender's side (its TX
 * blocks): `data` (a message), `name` (an endpoint's name while it binds) and `granted` (a no-copy
 * buffer not sent yet) take blocks [first, first + count); `free` frees them. On the receiver's
 * side: `held` (the application holds the buffer starting at `first`) and `leaked` (its data was
 * refused and will never be released).
 */
export type BlockUse = 'data' | 'name' | 'granted' | 'free' | 'held' | 'leaked';

/**
 * What a libipc `port` event records: `register` (`ipc_register_port`); `send` (an item entered
 * the queue), `send-blocked` (the queue was full: the task waits), `send-timeout`, `send-failed`
 * (the port was never registered, or the mempool copy failed); `recv`, `recv-blocked`,
 * `recv-timeout` (a poll that found the queue empty counts too); `done` (the receiver finished
 * with the object: a by-reference object must be unchanged until then); `write` (a task wrote a
 * message object it sends by reference); `reset` (the device resets because a send failed);
 * the proto path: `proto-route` (a command routed with its `seq`), `proto-response` (the
 * response with the expected seq), `proto-stale` (a response dropped: its seq was retired),
 * `proto-mismatch` (a response for another seq, discarded), `proto-timeout` (the seq retired).
 */
export type PortOp =
  | 'register'
  | 'send'
  | 'send-blocked'
  | 'send-timeout'
  | 'send-failed'
  | 'recv'
  | 'recv-blocked'
  | 'recv-timeout'
  | 'done'
  | 'write'
  | 'reset'
  | 'proto-route'
  | 'proto-response'
  | 'proto-stale'
  | 'proto-mismatch'
  | 'proto-timeout';

/** A task's state as a synchronous-channel kernel sees it (reference §3.4's canonical names). */
export type ChannelTaskState =
  | 'RUNNING'
  | 'READY'
  | 'SEND_BLOCKED'
  | 'RECEIVE_BLOCKED'
  | 'REPLY_BLOCKED'
  | 'NOTIFICATION_WAIT'
  | 'STOPPED'
  | 'FAULTED';

/**
 * What a `channel` event records: `state` (a task's new state, and `peer`: the channel or task
 * it waits on); `create` / `get` (a name, its handle or an errno in `detail`); `send` (a message
 * handed over: `path` register, shared-memory or not-copied); `receive` (notification `bits`);
 * `reply` (`code`); `post`; `timeout`; `dead` (a dead code after a restart); `restart` (a new
 * generation); `lost` (Anckor: a sender overwritten in the channel's one slot, never woken);
 * `priority` (priority inheritance changed a server's priority). A message or a reply carries a
 * `msgId` from its `send` / `reply` to the `receive` of the task that took it.
 */
export type ChannelOp =
  | 'state'
  | 'create'
  | 'get'
  | 'send'
  | 'receive'
  | 'reply'
  | 'post'
  | 'timeout'
  | 'dead'
  | 'restart'
  | 'lost'
  | 'priority';

export type TraceBody =
  /**
   * The scheduler picked a domain among the `candidates` that could run (step = decision index);
   * `ran` is what it ran: `irq:<channel>`, `work:<item>` or `task:<id>`.
   */
  | {
      readonly kind: 'decision';
      readonly step: number;
      readonly pick: string;
      readonly candidates: readonly string[];
      readonly ran: string;
    }
  /** An IPC service API call and its result. */
  | {
      readonly kind: 'api';
      readonly call: string;
      readonly instance: string;
      readonly endpoint?: string;
      readonly result: Result;
      readonly msgId?: number;
      readonly length?: number;
    }
  /** A state machine changed state (`event` is the event that caused it). */
  | {
      readonly kind: 'transition';
      readonly machine: string;
      readonly instance: string;
      readonly from: string;
      readonly to: string;
      readonly event: string;
    }
  /** A packet was published into a region's FIFO (`offset` is its header's data[] index). */
  | {
      readonly kind: 'packet-written';
      readonly region: string;
      readonly offset: number;
      readonly length: number;
      readonly msgId: number;
    }
  /** A packet was consumed from a region's FIFO. */
  | {
      readonly kind: 'packet-read';
      readonly region: string;
      readonly offset: number;
      readonly length: number;
      readonly msgId: number | null;
    }
  /** A packet was read and thrown away (a changed session, a magic where data was expected…). */
  | {
      readonly kind: 'packet-dropped';
      readonly region: string;
      readonly length: number;
      readonly msgId: number | null;
      readonly reason: string;
    }
  /**
   * ICBMsg blocks changed hands (Zephyr keeps only a bitmap on the sender; this is what the block
   * map draws). `region` is the shared-memory region holding the blocks.
   */
  | {
      readonly kind: 'blocks';
      readonly instance: string;
      readonly region: string;
      readonly use: BlockUse;
      readonly first: number;
      readonly count: number;
      readonly endpoint?: string;
      readonly msgId?: number;
    }
  /**
   * A libipc port operation by `task` (see `PortOp`). `tag` is the port's own enum value
   * (`tagName` its name); `object` the item's pointer (a virtual address); `owned`: the object is
   * a mempool copy; `fill` the items in the queue after the operation; `slot` the queue slot;
   * `protoSeq` a proto sequence number (`seq` is the trace's own).
   */
  | {
      readonly kind: 'port';
      readonly op: PortOp;
      readonly port: string;
      readonly task: string;
      readonly owned: boolean;
      readonly tag?: number;
      readonly tagName?: string;
      readonly length?: number;
      readonly object?: number;
      readonly fill?: number;
      readonly depth?: number;
      readonly slot?: number;
      readonly msgId?: number;
      readonly protoSeq?: number;
      /** `send` and `recv`: FNV-1a of the object's bytes then (0 for NULL), for the `intact` check. */
      readonly digest?: number;
      readonly detail?: string;
    }
  /** A synchronous channel kernel's operation or a task's state change (see `ChannelOp`). */
  | {
      readonly kind: 'channel';
      readonly op: ChannelOp;
      readonly task: string;
      /** The task's generation (Hubris: it goes up at each restart). */
      readonly generation: number;
      readonly state?: ChannelTaskState;
      readonly channel?: string;
      readonly peer?: string;
      readonly bytes?: number;
      readonly path?: string;
      readonly code?: number;
      readonly bits?: number;
      readonly priority?: number;
      /** `send` and `reply` (a message's start) and `receive` (its end): one id per message. */
      readonly msgId?: number;
      readonly detail?: string;
    }
  /** A mempool entry allocated or freed (`mempool_alloc` / `mempool_free`, which zeroes it). */
  | {
      readonly kind: 'pool';
      readonly op: 'alloc' | 'free';
      readonly pool: string;
      readonly entry: number;
      readonly address: number;
      readonly size: number;
      readonly task: string;
      readonly msgId?: number;
    }
  | { readonly kind: 'doorbell-rung'; readonly channel: string; readonly to: string; readonly result: Result }
  /** A doorbell reached its receiver's interrupt handler; `coalesced` rings were merged into it. */
  | { readonly kind: 'doorbell-delivered'; readonly channel: string; readonly coalesced: number }
  | {
      readonly kind: 'doorbell-lost';
      readonly channel: string;
      readonly reason: 'rx-disabled' | 'dropped' | 'discarded';
    }
  /** A user callback was entered. */
  | {
      readonly kind: 'callback';
      readonly instance: string;
      readonly endpoint: string;
      readonly callback: IpcCallback;
      readonly length?: number;
      readonly msgId?: number | null;
      readonly message?: string;
    }
  /**
   * Zephyr misbehaves here without asserting (undefined behaviour, data silently dropped): the
   * simulator continues as the firmware would and says so.
   */
  | { readonly kind: 'anomaly'; readonly where: string; readonly message: string }
  /**
   * A fault was injected: `fault` is its id in the scenario, `what` its kind from the catalogue
   * (`doorbell-drop`, `bit-flip`, `warm-reset`…), `target` what it hit and `detail` how.
   */
  | {
      readonly kind: 'fault';
      readonly fault: string;
      readonly what: string;
      readonly target: string;
      readonly detail: string;
    }
  /**
   * An invariant does not hold: `rule` names it (`delivered-once`, `in-order`, `intact`,
   * `blocks-leaked`…), `where` is the instance, endpoint or region, and `firstSeq` the event where
   * the problem began (the send of a lost message, the allocation of a leaked block).
   */
  | {
      readonly kind: 'violation';
      readonly rule: string;
      readonly severity: 'error' | 'warning';
      readonly where: string;
      readonly message: string;
      readonly firstSeq?: number;
    }
  /** Zephyr would hit `__ASSERT` here. `halted`: the domain stopped (CONFIG_ASSERT=y). */
  | { readonly kind: 'assert'; readonly where: string; readonly message: string; readonly halted: boolean }
  /** Work queue activity (k_work): submitted, started, finished. */
  | { readonly kind: 'work'; readonly item: string; readonly phase: 'submitted' | 'run' | 'cancelled' }
  /** An application task blocked, woke, or ran a step. */
  | {
      readonly kind: 'task';
      readonly task: string;
      readonly phase: 'ran' | 'blocked' | 'finished';
      readonly note?: string;
    }
  /** An access past the end of shared memory (clipped; a bus fault on real hardware). */
  | {
      readonly kind: 'memory-fault';
      readonly access: 'read' | 'write';
      readonly offset: number;
      readonly length: number;
      readonly inBounds: number;
    }
  /** A free-form note from the runtime (boot, pause, a command). */
  | { readonly kind: 'note'; readonly text: string }
  /** A domain's life: booted, paused, resumed, crashed (with the error), restarted, stopped. */
  | { readonly kind: 'domain'; readonly status: string; readonly message?: string }
  /** Trace records that were lost (a full ring, a domain that died mid-record): never silent. */
  | { readonly kind: 'trace-gap'; readonly lost: number; readonly reason: string };

export type TraceKind = TraceBody['kind'];

export type TraceEvent = TraceBody & {
  readonly seq: number;
  /** Time in nanoseconds (virtual in the inline runtime). */
  readonly t: number;
  readonly domain: string;
};
