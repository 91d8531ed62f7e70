/**
 * The invariant checker (DESIGN.md §3.7): reads a run's trace, event by event, and says where the
 * IPC broke its promises. It needs only the trace (and, for the index words, the shared memory at
 * the end), so it checks both runtimes alike, live in the debugger or after a headless run.
 *
 * While the run goes (`feed`):
 * - `delivered-once`: a message reaches its receiver at most once;
 * - `in-order`: messages from one endpoint reach the other in the order they were sent;
 * - `intact`: a message arrives with the length it was sent with (the endpoint applications check
 *   the bytes themselves and trace `intact` violations of their own);
 * - `inside-region`: a packet is written and read inside its region's data area;
 * - `blocks-consistent`: an ICBMsg block is not taken twice, nor freed while free;
 * - `no-bus-fault`: nothing reads or writes past the end of shared memory.
 * At quiescence (`finish`):
 * - `delivered-once`: every message sent was delivered, or an error or `unbound()` told the user
 *   code on either side after it was sent;
 * - `blocks-leaked` / `buffer-held`: no ICBMsg block is still taken, no RX buffer still held;
 * - `bound-agree`: both sides of each endpoint agree on whether it is bound;
 * - `indices`: every region's `rd_idx` and `wr_idx` are word-aligned and inside its data area.
 * libipc ports and synchronous channels have rules of their own (`ports/portInvariants.ts`,
 * `channels/channelInvariants.ts`).
 * A violation names the event where its problem began (`firstSeq`) and never throws.
 *
 * Just over 400 lines: one checker, its rules reading the same per-message and per-block state.
 */
import type { TraceEvent } from '../trace/events';
import { regionLayouts, type RegionLayout } from '../scenario/regionLayout';
import type { Scenario } from '../scenario/schema';
import { PortChecker } from '../ports/portInvariants';
import { ChannelChecker } from '../channels/channelInvariants';

export interface Violation {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly where: string;
  readonly message: string;
  /** The event where the problem began, and the one where it was seen (absent at quiescence). */
  readonly firstSeq?: number;
  readonly seq?: number;
}

const SEND_CALLS = new Set(['ipc_service_send', 'ipc_service_send_critical', 'ipc_service_send_nocopy']);

interface Sent {
  readonly seq: number;
  /** The sender's endpoint key, `domain/node/name`. */
  readonly from: string;
  /** The receiving instance, `domain/node`. */
  readonly to: string;
  readonly length: number | undefined;
  delivered: number;
}

interface BlockState {
  /** By block index: the seq of the event that took it, or -1 when free. */
  readonly takenAt: number[];
  /** By block index: the first block of the buffer it belongs to. */
  readonly firstOf: number[];
  /** The domain whose blocks these are (the sender), and the one holding them (the receiver). */
  writer: string | null;
  reader: string | null;
  readonly held: Map<number, number>;
  readonly leaked: Map<number, number>;
}

export class InvariantChecker {
  private readonly regions: Map<string, RegionLayout>;
  /** Instance `domain/node` → its peer's (the node whose rx-region is its tx-region). */
  private readonly peers = new Map<string, string>();
  private readonly icbmsg = new Set<string>();
  private readonly sent = new Map<number, Sent>();
  /** Last msgId delivered, by `sender → receiver instance`. */
  private readonly lastDelivered = new Map<string, number>();
  /** By endpoint key: the seq of its last unbound/error callback. */
  private readonly told = new Map<string, number>();
  /** By endpoint key: bound now or not (its last bound/unbound callback). */
  private readonly bound = new Map<string, boolean>();
  private readonly blocks = new Map<string, BlockState>();
  private readonly ports = new PortChecker();
  private readonly channels = new ChannelChecker();
  private readonly libipcDomains: ReadonlySet<string>;

  constructor(scenario: Scenario) {
    this.regions = new Map(regionLayouts(scenario).map((r) => [r.name, r]));
    this.libipcDomains = new Set(scenario.libipc?.tasks.map((t) => t.domain) ?? []);
    for (const n of scenario.instances) {
      const peer = scenario.instances.find((m) => m['rx-region'] === n['tx-region'] && m !== n);
      if (peer) this.peers.set(`${n.domain}/${n.node}`, `${peer.domain}/${peer.node}`);
      if (n.compatible === 'zephyr,ipc-icbmsg') this.icbmsg.add(`${n.domain}/${n.node}`);
    }
  }

  /** Reads one event; returns what it breaks. */
  feed(e: TraceEvent): Violation[] {
    switch (e.kind) {
      case 'api':
        this.api(e);
        return [];
      case 'callback':
        return this.callback(e);
      case 'packet-written':
      case 'packet-read':
        return this.packet(e);
      case 'blocks':
        return this.blockEvent(e);
      case 'port':
        return this.ports.port(e);
      case 'pool':
        return this.ports.pool(e);
      case 'channel':
        if (e.op === 'restart') this.channels.forget(e.task);
        return this.channels.feed(e);
      case 'memory-fault':
        return [
          {
            rule: 'no-bus-fault',
            severity: 'error',
            where: e.domain,
            message: `${e.access} of ${e.length} bytes at offset ${e.offset} goes past the end of shared memory`,
            firstSeq: e.seq,
            seq: e.seq,
          },
        ];
      case 'domain':
        if (e.status === 'restarted' || e.status === 'crashed' || e.status === 'reset') {
          this.forget(e.domain);
          this.channels.forgetDomain(e.domain);
          // The area is the BSS of the only image using libipc: cleared when that image starts again.
          if (this.libipcDomains.size === 1 && this.libipcDomains.has(e.domain)) this.ports.reset();
        }
        return [];
      case 'trace-gap':
        // Events are missing: what the blocks and queues hold can no longer be followed; start again.
        this.blocks.clear();
        this.ports.reset();
        return [];
      case 'decision':
      case 'transition':
      case 'packet-dropped':
      case 'doorbell-rung':
      case 'doorbell-delivered':
      case 'doorbell-lost':
      case 'fault':
      case 'violation':
      case 'anomaly':
      case 'assert':
      case 'work':
      case 'task':
      case 'note':
        return [];
    }
  }

  /**
   * A domain restarted or died: its endpoints are not bound any more, and the blocks it sent
   * from are its old life's (its bitmap is gone with it), as are the buffers it held.
   */
  private forget(domain: string): void {
    for (const key of this.bound.keys()) if (key.startsWith(`${domain}/`)) this.bound.set(key, false);
    for (const [region, b] of this.blocks) {
      if (b.writer === domain) this.blocks.delete(region);
      else if (b.reader === domain) {
        b.held.clear();
        b.leaked.clear();
      }
    }
  }

  private api(e: Extract<TraceEvent, { kind: 'api' }>): void {
    // A deregistered endpoint is not bound any more (no unbound() tells it so).
    if (e.call === 'ipc_service_deregister_endpoint' && e.result === 0 && e.endpoint !== undefined) {
      this.bound.set(`${e.domain}/${e.instance}/${e.endpoint}`, false);
      return;
    }
    if (!SEND_CALLS.has(e.call) || typeof e.result !== 'number' || e.msgId === undefined) return;
    const instance = `${e.domain}/${e.instance}`;
    const to = this.peers.get(instance);
    if (to === undefined) return;
    this.sent.set(e.msgId, {
      seq: e.seq,
      from: `${instance}/${e.endpoint ?? ''}`,
      to,
      length: e.length,
      delivered: 0,
    });
  }

  private callback(e: Extract<TraceEvent, { kind: 'callback' }>): Violation[] {
    const key = `${e.domain}/${e.instance}/${e.endpoint}`;
    if (e.callback === 'bound') this.bound.set(key, true);
    if (e.callback === 'unbound') this.bound.set(key, false);
    if (e.callback === 'unbound' || e.callback === 'error') this.told.set(key, e.seq);
    if (e.callback !== 'received' || e.msgId === null || e.msgId === undefined) return [];
    // An ICBMsg control link's own delivery carries the id of the control message: not the data's.
    if (e.endpoint === 'control' && this.icbmsg.has(`${e.domain}/${e.instance}`)) return [];
    const sent = this.sent.get(e.msgId);
    if (!sent) return [];
    const out: Violation[] = [];
    sent.delivered += 1;
    if (sent.delivered === 2) {
      out.push({
        rule: 'delivered-once',
        severity: 'error',
        where: key,
        message: `message #${e.msgId} from ${sent.from} was delivered again`,
        firstSeq: sent.seq,
        seq: e.seq,
      });
    }
    const pair = `${sent.from}→${key}`;
    const last = this.lastDelivered.get(pair);
    if (last !== undefined && e.msgId < last) {
      out.push({
        rule: 'in-order',
        severity: 'error',
        where: key,
        message: `message #${e.msgId} from ${sent.from} arrived after #${last}, which was sent later`,
        firstSeq: sent.seq,
        seq: e.seq,
      });
    }
    this.lastDelivered.set(pair, Math.max(last ?? -1, e.msgId));
    if (sent.length !== undefined && e.length !== undefined && e.length !== sent.length) {
      out.push({
        rule: 'intact',
        severity: 'error',
        where: key,
        message: `message #${e.msgId} from ${sent.from} was sent with ${sent.length} bytes and arrived with ${e.length}`,
        firstSeq: sent.seq,
        seq: e.seq,
      });
    }
    return out;
  }

  private packet(e: Extract<TraceEvent, { kind: 'packet-written' | 'packet-read' }>): Violation[] {
    const region = this.regions.get(e.region);
    if (!region || e.offset < region.cfg.len) return [];
    const verb = e.kind === 'packet-written' ? 'written' : 'read';
    return [
      {
        rule: 'inside-region',
        severity: 'error',
        where: e.region,
        message: `a ${e.length}-byte packet was ${verb} at data[${e.offset}], past the ${region.cfg.len}-byte data area: ${e.kind === 'packet-written' ? 'it overwrites memory after the region' : 'it comes from memory after the region'}`,
        firstSeq: e.seq,
        seq: e.seq,
      },
    ];
  }

  private blockEvent(e: Extract<TraceEvent, { kind: 'blocks' }>): Violation[] {
    let b = this.blocks.get(e.region);
    if (!b) {
      b = { takenAt: [], firstOf: [], writer: null, reader: null, held: new Map(), leaked: new Map() };
      this.blocks.set(e.region, b);
    }
    const end = e.first + e.count;
    switch (e.use) {
      case 'held':
        b.reader = e.domain;
        b.held.set(e.first, e.seq);
        return [];
      case 'leaked':
        b.reader = e.domain;
        b.leaked.set(e.first, e.seq);
        return [];
      case 'free': {
        let wasFree = false;
        for (let k = e.first; k < end; k++) {
          if ((b.takenAt[k] ?? -1) < 0) wasFree = true;
          b.takenAt[k] = -1;
          b.firstOf[k] = -1;
          b.held.delete(k);
          b.leaked.delete(k);
        }
        return wasFree
          ? [
              {
                rule: 'blocks-consistent',
                severity: 'error',
                where: e.region,
                message: `blocks ${e.first}–${end - 1} freed while (partly) free`,
                firstSeq: e.seq,
                seq: e.seq,
              },
            ]
          : [];
      }
      case 'data':
      case 'name':
      case 'granted': {
        b.writer = e.domain;
        const out: Violation[] = [];
        for (let k = e.first; k < end; k++) {
          const taken = b.takenAt[k] ?? -1;
          // Re-owning blocks of the same buffer (a buffer sent, a shrink) is not a clash; a new
          // buffer over blocks in use is.
          if (taken >= 0 && b.firstOf[k] !== e.first) {
            out.push({
              rule: 'blocks-consistent',
              severity: 'error',
              where: e.region,
              message: `block ${k} taken again while in use since event #${taken}`,
              firstSeq: taken,
              seq: e.seq,
            });
            break;
          }
        }
        for (let k = e.first; k < end; k++) {
          if ((b.takenAt[k] ?? -1) < 0) b.takenAt[k] = e.seq;
          b.firstOf[k] = e.first;
        }
        return out;
      }
    }
  }

  /**
   * What must hold once the run is quiescent (nothing left to run). `memory` is the shared memory
   * then, for the index words; without it they are not checked.
   */
  finish(memory?: Uint8Array): Violation[] {
    const out: Violation[] = this.ports.finish();
    for (const [msgId, sent] of this.sent) {
      if (sent.delivered > 0) continue;
      const senderTold = (this.told.get(sent.from) ?? -1) > sent.seq;
      const receiverTold = [...this.told].some(([key, seq]) => key.startsWith(`${sent.to}/`) && seq > sent.seq);
      if (senderTold || receiverTold) continue;
      out.push({
        rule: 'delivered-once',
        severity: 'error',
        where: sent.from,
        message: `message #${msgId} from ${sent.from} to ${sent.to} was never delivered, and no error or unbound() said so`,
        firstSeq: sent.seq,
      });
    }
    for (const [region, b] of this.blocks) {
      const runs = new Map<number, number>();
      b.takenAt.forEach((seq, k) => {
        if (seq >= 0 && !runs.has(seq)) runs.set(seq, k);
      });
      for (const [seq, first] of runs) {
        const leaked = b.leaked.has(first);
        out.push({
          rule: 'blocks-leaked',
          severity: leaked ? 'error' : 'warning',
          where: region,
          message: leaked
            ? `block ${first} of ${region} leaked: the receiver refused its data and never released it (Zephyr's legacy ICBMsg does this)`
            : `block ${first} of ${region} is still taken at quiescence`,
          firstSeq: seq,
        });
      }
      for (const [first, seq] of b.held) {
        out.push({
          rule: 'buffer-held',
          severity: 'warning',
          where: region,
          message: `the RX buffer at block ${first} of ${region} is still held at quiescence`,
          firstSeq: seq,
        });
      }
    }
    out.push(...this.boundAgreement());
    if (memory) out.push(...this.indices(memory));
    return out;
  }

  private boundAgreement(): Violation[] {
    const out: Violation[] = [];
    const seen = new Set<string>();
    for (const [key, isBound] of this.bound) {
      const parts = key.split('/');
      const instance = parts.slice(0, 2).join('/');
      const name = parts.slice(2).join('/');
      if (name === 'control') continue;
      const peer = this.peers.get(instance);
      if (peer === undefined) continue;
      const peerKey = this.icbmsg.has(instance)
        ? `${peer}/${name}`
        : [...this.bound.keys()].find((k) => k.startsWith(`${peer}/`) && !k.endsWith('/control'));
      if (peerKey === undefined || seen.has(peerKey)) continue;
      seen.add(key);
      const peerBound = this.bound.get(peerKey) ?? false;
      if (isBound !== peerBound) {
        out.push({
          rule: 'bound-agree',
          severity: 'error',
          where: key,
          message: `${isBound ? key : peerKey} is bound but ${isBound ? peerKey : key} is not`,
        });
      }
    }
    return out;
  }

  private indices(memory: Uint8Array): Violation[] {
    const out: Violation[] = [];
    const word = (at: number) =>
      ((memory[at] ?? 0) |
        ((memory[at + 1] ?? 0) << 8) |
        ((memory[at + 2] ?? 0) << 16) |
        ((memory[at + 3] ?? 0) << 24)) >>>
      0;
    for (const r of this.regions.values()) {
      if (!r.writer && !r.reader) continue;
      for (const [name, at] of [
        ['rd_idx', r.cfg.rdIdxLoc],
        ['wr_idx', r.cfg.wrIdxLoc],
      ] as const) {
        const v = word(at);
        if (v % 4 !== 0 || v >= r.cfg.len) {
          out.push({
            rule: 'indices',
            severity: 'error',
            where: r.name,
            message: `${name} = ${v} is ${v % 4 !== 0 ? 'not word-aligned' : `outside data[${r.cfg.len}]`}`,
          });
        }
      }
    }
    return out;
  }
}

/** Checks a whole run: every event, then quiescence (with the memory when given). */
export function checkTrace(scenario: Scenario, events: readonly TraceEvent[], memory?: Uint8Array): Violation[] {
  const checker = new InvariantChecker(scenario);
  const out: Violation[] = [];
  for (const e of events) out.push(...checker.feed(e));
  out.push(...checker.finish(memory));
  return out;
}
