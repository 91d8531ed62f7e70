/**
 * The state of the system at the time cursor, as the trace tells it: each instance's handshake
 * state (its machine's last transition), each endpoint's bound state (its last bound/unbound
 * callback), message and doorbell counts per link, each instance's transition history, what
 * each ICBMsg block holds, libipc ports' queues and mempool, and synchronous-channel tasks.
 *
 * Just over 400 lines: one pass over the trace keeps every view's state, so a cursor move reads
 * each event once; the per-kind cases are short.
 *
 * It reads only the trace, so it works the same on both runtimes (worker domains trace their
 * transitions too). Moving the cursor forward extends the last result; moving it back, or a
 * rewritten trace (fork, reset, eviction), starts again from the first event.
 */
import { isProblem, type TraceTable } from '../trace/TraceTable';

export interface TransitionRow {
  /** Table index of the transition event. */
  readonly index: number;
  readonly seq: number;
  readonly t: number;
  readonly machine: string;
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

export interface LinkCounts {
  /** Packets written into the region / read from it. */
  written: number;
  read: number;
  dropped: number;
}

export interface DoorbellCounts {
  rung: number;
  delivered: number;
  lost: number;
}

export interface EndpointLife {
  state: 'registered' | 'bound' | 'unbound' | 'error';
  bound: number;
  unbound: number;
  received: number;
  sent: number;
  errors: number;
}

/** What a block holds, as the trace's `blocks` events tell it (the sender's knowledge). */
export interface BlockHolder {
  readonly use: 'data' | 'name' | 'granted';
  readonly endpoint: string;
  readonly msgId: number | null;
  /** The buffer's first block and how many it spans. */
  readonly first: number;
  readonly blocks: number;
}

/** An ICBMsg region's blocks: who holds each, and which buffers (by first block) are held or leaked. */
export interface RegionBlocks {
  readonly owners: (BlockHolder | null)[];
  readonly held: Set<number>;
  readonly leaked: Set<number>;
  /** The domain that sends from these blocks (its bitmap is what the map shows). */
  writer: string | null;
}

/** An item in a libipc port's queue, as the trace tells it. */
export interface PortItem {
  readonly msgId: number;
  readonly tag: number;
  readonly tagName: string | null;
  readonly length: number;
  /** The item's pointer (virtual address; 0 for NULL). */
  readonly object: number;
  /** A mempool copy (`take_ownership`) rather than the sender's own object. */
  readonly owned: boolean;
  readonly task: string;
  /** Table index of its `send` event. */
  readonly sendIndex: number;
}

/** A libipc port now: its queue, its counts, and which tasks wait on it. */
export interface PortState {
  depth: number;
  registered: boolean;
  readonly items: PortItem[];
  sent: number;
  received: number;
  /** Sends and receives that timed out or failed. */
  failures: number;
  /** Task → what it waits for on this port. */
  readonly waiting: Map<string, 'send' | 'recv' | 'response'>;
  /** The domain its tasks run on (the last one seen). */
  domain: string;
}

/** A task of a synchronous-channel kernel, as its last `channel` events say (humility's `tasks`). */
export interface ChannelTaskRow {
  state: string;
  /** The channel or task it waits on. */
  peer: string | null;
  /** What the kernel said about the state (why it faulted, who preempted it), or null. */
  detail: string | null;
  /**
   * Anckor: the task that overwrote this sender (or receiver) in the channel's one slot, while it
   * still waits in the state it was lost in: it will never be woken. Null otherwise.
   */
  lostTo: string | null;
  generation: number;
  /** Its running priority when inheritance changed it (the scenario's numbering), else null. */
  inherited: number | null;
  /** Index of the event that put it in this state. */
  since: number;
  domain: string;
}

/** A mempool entry in use. */
export interface PoolHolding {
  readonly pool: string;
  readonly entry: number;
  readonly task: string;
  readonly size: number;
  readonly msgId: number | null;
}

export interface DerivedState {
  /** Events [0, cursor) were read. */
  readonly cursor: number;
  /** By instance key `domain/node`: its machine's state now (absent before its first transition). */
  readonly instanceState: Map<string, string>;
  /** By instance key: its transitions, oldest first. */
  readonly history: Map<string, TransitionRow[]>;
  /** By endpoint key `domain/node/name`. */
  readonly endpoints: Map<string, EndpointLife>;
  /** By region name. */
  readonly links: Map<string, LinkCounts>;
  /** By mailbox channel name. */
  readonly doorbells: Map<string, DoorbellCounts>;
  /** By region name: its ICBMsg blocks. */
  readonly blocks: Map<string, RegionBlocks>;
  /** By libipc port name. */
  readonly ports: Map<string, PortState>;
  /** By address: mempool entries allocated now. */
  readonly pool: Map<number, PoolHolding>;
  /** By task name: synchronous-channel tasks. */
  readonly channelTasks: Map<string, ChannelTaskRow>;
  /**
   * By channel name: the task that serves it — the last seen receiving on it or taking a message
   * from it (what a sender on it waits for, as humility's `send to X/genN`).
   */
  readonly channelServers: Map<string, string>;
  /** Problems (lost doorbells, errno results, anomalies…) so far. */
  problems: number;
}

function empty(): DerivedState {
  return {
    cursor: 0,
    instanceState: new Map(),
    history: new Map(),
    endpoints: new Map(),
    links: new Map(),
    doorbells: new Map(),
    blocks: new Map(),
    ports: new Map(),
    pool: new Map(),
    channelTasks: new Map(),
    channelServers: new Map(),
    problems: 0,
  };
}

const getOr = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
};

const newLink = (): LinkCounts => ({ written: 0, read: 0, dropped: 0 });
const newBell = (): DoorbellCounts => ({ rung: 0, delivered: 0, lost: 0 });
const newBlocks = (): RegionBlocks => ({ owners: [], held: new Set(), leaked: new Set(), writer: null });
const newPort = (): PortState => ({
  depth: 0,
  registered: false,
  items: [],
  sent: 0,
  received: 0,
  failures: 0,
  waiting: new Map(),
  domain: '',
});
const newLife = (): EndpointLife => ({ state: 'registered', bound: 0, unbound: 0, received: 0, sent: 0, errors: 0 });

/** Reads events [from, to) into `d` (mutated). */
function extend(d: DerivedState, table: TraceTable, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const e = table.event(i);
    if (!e) continue;
    if (isProblem(e)) d.problems += 1;
    switch (e.kind) {
      case 'transition': {
        const key = `${e.domain}/${e.instance}`;
        d.instanceState.set(key, e.to);
        getOr(d.history, key, () => []).push({
          index: i,
          seq: e.seq,
          t: e.t,
          machine: e.machine,
          from: e.from,
          to: e.to,
          event: e.event,
        });
        break;
      }
      case 'callback': {
        const life = getOr(d.endpoints, `${e.domain}/${e.instance}/${e.endpoint}`, newLife);
        if (e.callback === 'bound') {
          life.state = 'bound';
          life.bound += 1;
        } else if (e.callback === 'unbound') {
          life.state = 'unbound';
          life.unbound += 1;
        } else if (e.callback === 'received') life.received += 1;
        else life.errors += 1;
        break;
      }
      case 'api': {
        if (e.endpoint !== undefined && e.call === 'ipc_service_send' && typeof e.result === 'number') {
          getOr(d.endpoints, `${e.domain}/${e.instance}/${e.endpoint}`, newLife).sent += 1;
        }
        break;
      }
      case 'packet-written':
        getOr(d.links, e.region, newLink).written += 1;
        break;
      case 'packet-read':
        getOr(d.links, e.region, newLink).read += 1;
        break;
      case 'packet-dropped':
        getOr(d.links, e.region, newLink).dropped += 1;
        break;
      case 'doorbell-rung':
        getOr(d.doorbells, e.channel, newBell).rung += 1;
        break;
      case 'doorbell-delivered':
        getOr(d.doorbells, e.channel, newBell).delivered += 1 + e.coalesced;
        break;
      case 'doorbell-lost':
        getOr(d.doorbells, e.channel, newBell).lost += 1;
        break;
      case 'blocks': {
        const b = getOr(d.blocks, e.region, newBlocks);
        const end = e.first + e.count;
        if (e.use === 'held') b.held.add(e.first);
        else if (e.use === 'leaked') b.leaked.add(e.first);
        else if (e.use === 'free') {
          for (let k = e.first; k < end; k++) {
            b.owners[k] = null;
            b.held.delete(k);
            b.leaked.delete(k);
          }
        } else {
          b.writer = e.domain;
          const holder: BlockHolder = {
            use: e.use,
            endpoint: e.endpoint ?? '?',
            msgId: e.msgId ?? null,
            first: e.first,
            blocks: e.count,
          };
          for (let k = e.first; k < end; k++) b.owners[k] = holder;
        }
        break;
      }
      case 'port': {
        const port = getOr(d.ports, e.port, newPort);
        port.domain = e.domain;
        if (e.depth !== undefined) port.depth = e.depth;
        port.waiting.delete(e.task);
        switch (e.op) {
          case 'register':
            port.registered = true;
            break;
          case 'send':
            port.sent += 1;
            port.items.push({
              msgId: e.msgId ?? 0,
              tag: e.tag ?? 0,
              tagName: e.tagName ?? null,
              length: e.length ?? 0,
              object: e.object ?? 0,
              owned: e.owned,
              task: e.task,
              sendIndex: i,
            });
            break;
          case 'recv': {
            port.received += 1;
            const at = port.items.findIndex((item) => item.msgId === e.msgId);
            if (at >= 0) port.items.splice(at, 1);
            break;
          }
          case 'send-blocked':
            port.waiting.set(e.task, 'send');
            break;
          case 'recv-blocked':
            port.waiting.set(e.task, 'recv');
            break;
          case 'proto-route':
            port.waiting.set(e.task, 'response');
            break;
          case 'send-timeout':
          case 'send-failed':
          case 'proto-timeout':
            port.failures += 1;
            break;
          case 'recv-timeout':
          case 'done':
          case 'write':
          case 'reset':
          case 'proto-response':
          case 'proto-stale':
          case 'proto-mismatch':
            break;
        }
        break;
      }
      case 'pool':
        if (e.op === 'alloc')
          d.pool.set(e.address, { pool: e.pool, entry: e.entry, task: e.task, size: e.size, msgId: e.msgId ?? null });
        else d.pool.delete(e.address);
        break;
      case 'channel': {
        const row = getOr(d.channelTasks, e.task, () => ({
          state: 'READY',
          peer: null,
          detail: null,
          lostTo: null,
          generation: 0,
          inherited: null,
          since: i,
          domain: e.domain,
        }));
        row.generation = e.generation;
        if (e.op === 'state' && e.state !== undefined) {
          row.state = e.state;
          row.peer = e.peer ?? null;
          row.detail = e.detail ?? null;
          row.lostTo = null;
          if (e.state === 'RECEIVE_BLOCKED' && e.peer !== undefined)
            d.channelServers.set(e.peer.split(' from ')[0] ?? e.peer, e.task);
          row.since = i;
        } else if (e.op === 'lost') row.lostTo = e.peer ?? '?';
        else if (e.op === 'send' && e.channel !== undefined && e.peer !== undefined)
          d.channelServers.set(e.channel, e.peer);
        else if (e.op === 'priority') row.inherited = e.detail?.startsWith('back') ? null : (e.priority ?? null);
        break;
      }
      case 'anomaly':
      case 'assert':
      case 'fault':
      case 'violation':
      case 'memory-fault':
      case 'trace-gap':
        break;
      case 'decision':
        break;
      case 'work':
      case 'task':
      case 'note':
        break;
      case 'domain':
        // A restarted or dead sender's bitmap is gone with it: its blocks are free to its new life.
        if (e.status === 'restarted' || e.status === 'crashed') {
          for (const [region, b] of d.blocks) if (b.writer === e.domain) d.blocks.delete(region);
        }
        // Its channel tasks start a new life from boot: what they waited on is gone.
        if (e.status === 'reset' || e.status === 'restarted') {
          for (const [channel, server] of d.channelServers)
            if (d.channelTasks.get(server)?.domain === e.domain) d.channelServers.delete(channel);
          for (const [name, row] of d.channelTasks) if (row.domain === e.domain) d.channelTasks.delete(name);
        }
        // A reset device starts with empty queues and a free mempool (libipc's area is its BSS).
        if (e.status === 'reset' || e.status === 'restarted') {
          const mine = [...d.ports.values()].some((p) => p.domain === e.domain);
          const others = [...d.ports.values()].some((p) => p.domain !== e.domain);
          if (mine && !others) {
            for (const [name, port] of d.ports)
              d.ports.set(name, { ...newPort(), depth: port.depth, domain: port.domain });
            d.pool.clear();
          }
        }
        break;
    }
  }
}

function copy(d: DerivedState): DerivedState {
  const clone = <V extends object>(m: Map<string, V>): Map<string, V> => new Map([...m].map(([k, v]) => [k, { ...v }]));
  return {
    cursor: d.cursor,
    instanceState: new Map(d.instanceState),
    history: new Map([...d.history].map(([k, rows]) => [k, [...rows]])),
    endpoints: clone(d.endpoints),
    links: clone(d.links),
    doorbells: clone(d.doorbells),
    blocks: new Map(
      [...d.blocks].map(([k, b]) => [
        k,
        { owners: [...b.owners], held: new Set(b.held), leaked: new Set(b.leaked), writer: b.writer },
      ]),
    ),
    ports: new Map([...d.ports].map(([k, p]) => [k, { ...p, items: [...p.items], waiting: new Map(p.waiting) }])),
    pool: new Map(d.pool),
    channelTasks: clone(d.channelTasks),
    channelServers: new Map(d.channelServers),
    problems: d.problems,
  };
}

/** Events between two kept copies of the derived state (what going back costs at most). */
export const CHECKPOINT_EVERY = 4096;

/**
 * Derives the state at a cursor. Moving forward extends the last result; moving back starts from
 * the last checkpoint at or before the cursor (one every CHECKPOINT_EVERY events), so scrubbing a
 * long trace costs at most that many events. A rewritten trace (another `epoch`) starts over.
 * A result is valid until the next call (its maps are reused).
 */
export class Deriver {
  private state: DerivedState = empty();
  private epoch = -1;
  /** Copies of the state at cursors that are multiples of CHECKPOINT_EVERY, in order. */
  private checkpoints: DerivedState[] = [];

  at(table: TraceTable & { readonly epoch: number }, cursor: number): DerivedState {
    const to = Math.max(0, Math.min(cursor, table.length));
    if (this.epoch !== table.epoch) {
      this.state = empty();
      this.checkpoints = [];
      this.epoch = table.epoch;
    }
    if (to < this.state.cursor) {
      let base: DerivedState | undefined;
      for (const c of this.checkpoints) if (c.cursor <= to) base = c;
      this.state = base ? copy(base) : empty();
    }
    while (this.state.cursor < to) {
      const next = Math.min(to, (Math.floor(this.state.cursor / CHECKPOINT_EVERY) + 1) * CHECKPOINT_EVERY);
      extend(this.state, table, this.state.cursor, next);
      this.state = { ...this.state, cursor: next };
      const last = this.checkpoints[this.checkpoints.length - 1];
      if (next % CHECKPOINT_EVERY === 0 && (!last || last.cursor < next)) this.checkpoints.push(copy(this.state));
    }
    return this.state;
  }
}
