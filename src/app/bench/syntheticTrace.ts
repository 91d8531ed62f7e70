/**
 * A synthetic trace for the timeline benchmark: `count` events over `domains` cores that look like
 * ICMsg traffic between pairs of cores (core 0 ↔ 1, 2 ↔ 3), built straight into TraceTable
 * columns. Each message is a scheduler decision and a send on the sender's task lane (the packet
 * written, the send call, the doorbell rung), then on the receiver a decision and the doorbell
 * delivered (irq) and a decision, the work item, the packet read and the `received()` callback
 * (work queue). Every 400th message a state transition, every 900th a lost doorbell, rarely an
 * anomaly, and one trace gap. Times advance 0.3–1.5 µs per event (seeded, deterministic).
 *
 * The columns are built eagerly (what the timeline reads per frame); `event(i)` synthesises the
 * event object lazily from them (what a tooltip or a label reads).
 */
import type { TraceEvent } from '../../core';
import { kindIndex, kindName, LANES_PER_DOMAIN, TraceFlag, type TraceTable } from '../trace/TraceTable';
import { lowerBound } from '../trace/search';

const STATES = ['INITIALIZING_SID_ENABLED', 'CONNECTED_SID_ENABLED', 'DISCONNECTED', 'OFF'];
const IRQ = 0;
const WORK = 1;
const TASK = 2;

/** mulberry32: a small seeded generator, so every run benches the same trace. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SyntheticTrace implements TraceTable {
  readonly length: number;
  readonly revision = 1;
  readonly evicted = 0;
  readonly tSlackNs = 0;
  readonly domains: readonly string[];
  readonly seq: Float64Array;
  readonly t: Float64Array;
  readonly lane: Uint16Array;
  readonly kind: Uint8Array;
  readonly msgId: Float64Array;
  readonly flags: Uint8Array;

  constructor(count: number, domainCount = 4, seed = 1) {
    const n = Math.max(0, Math.floor(count));
    this.length = n;
    this.domains = Array.from(
      { length: domainCount },
      (_, d) => ['cpuapp', 'cpurad', 'cpuppr', 'cpuflpr'][d] ?? `cpu${d}`,
    );
    this.seq = new Float64Array(n);
    this.t = new Float64Array(n);
    this.lane = new Uint16Array(n);
    this.kind = new Uint8Array(n);
    this.msgId = new Float64Array(n).fill(NaN);
    this.flags = new Uint8Array(n);
    const rand = random(seed);
    let i = 0;
    let now = 0;
    let message = 0;
    const push = (domain: number, context: number, kind: Parameters<typeof kindIndex>[0], flags = 0, id = NaN) => {
      if (i >= n) return;
      now += 300 + Math.floor(rand() * 1200);
      this.seq[i] = i;
      this.t[i] = now;
      this.lane[i] = domain * LANES_PER_DOMAIN + context;
      this.kind[i] = kindIndex(kind);
      this.flags[i] = flags;
      this.msgId[i] = id;
      i += 1;
    };
    const pairs = Math.max(1, Math.floor(domainCount / 2));
    while (i < n) {
      message += 1;
      const pair = message % pairs;
      const forward = Math.floor(message / pairs) % 2 === 0;
      const from = pair * 2 + (forward ? 0 : 1);
      const to = Math.min(domainCount - 1, pair * 2 + (forward ? 1 : 0));
      push(from, TASK, 'decision');
      push(from, TASK, 'packet-written', TraceFlag.send, message);
      push(from, TASK, 'api', 0, message);
      push(from, TASK, 'doorbell-rung');
      if (message % 900 === 0) push(to, IRQ, 'doorbell-lost', TraceFlag.problem);
      push(to, IRQ, 'decision');
      push(to, IRQ, 'doorbell-delivered');
      push(to, WORK, 'decision');
      push(to, WORK, 'work');
      push(to, WORK, 'packet-read', TraceFlag.receive, message);
      push(to, WORK, 'callback', 0, message);
      if (message % 400 === 0) push(to, WORK, 'transition');
      if (message % 25_000 === 0) push(to, TASK, 'anomaly', TraceFlag.problem);
      if (message === 40_000) push(from, TASK, 'trace-gap', TraceFlag.problem);
    }
  }

  event(index: number): TraceEvent | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const kind = kindName(this.kind[index] ?? 255);
    const lane = this.lane[index] ?? 0;
    const base = {
      seq: this.seq[index] ?? index,
      t: this.t[index] ?? 0,
      domain: this.domains[Math.floor(lane / LANES_PER_DOMAIN)] ?? '?',
    };
    const id = this.msgId[index] ?? NaN;
    const msgId = Number.isNaN(id) ? 0 : id;
    switch (kind) {
      case 'decision':
        return {
          ...base,
          kind,
          step: index,
          pick: base.domain,
          candidates: [base.domain],
          ran: ['irq:mbox', 'work:mbox_work', 'task:ep0'][lane % LANES_PER_DOMAIN] ?? 'task:ep0',
        };
      case 'packet-written':
        return { ...base, kind, region: `sram_${base.domain}_tx`, offset: 0, length: 16, msgId };
      case 'api':
        return {
          ...base,
          kind,
          call: 'ipc_service_send',
          instance: 'ipc0',
          endpoint: 'ep0',
          result: 16,
          msgId,
          length: 16,
        };
      case 'doorbell-rung':
        return { ...base, kind, channel: 'mbox', to: 'peer', result: 0 };
      case 'doorbell-lost':
        return { ...base, kind, channel: 'mbox', reason: 'rx-disabled' };
      case 'doorbell-delivered':
        return { ...base, kind, channel: 'mbox', coalesced: 0 };
      case 'work':
        return { ...base, kind, item: 'ipc0/mbox_work', phase: 'run' };
      case 'packet-read':
        return { ...base, kind, region: 'sram_rx', offset: 0, length: 16, msgId };
      case 'callback':
        return { ...base, kind, instance: 'ipc0', endpoint: 'ep0', callback: 'received', length: 16, msgId };
      case 'transition': {
        const to = STATES[index % STATES.length] ?? 'OFF';
        return {
          ...base,
          kind,
          machine: 'icmsg',
          instance: 'ipc0',
          from: 'CONNECTED_SID_ENABLED',
          to,
          event: 'SESSION_CHANGED',
        };
      }
      case 'anomaly':
        return { ...base, kind, where: 'pbuf', message: 'synthetic anomaly' };
      case 'trace-gap':
        return { ...base, kind, lost: 128, reason: 'synthetic gap' };
      case 'packet-dropped':
      case 'blocks':
      case 'port':
      case 'channel':
      case 'pool':
      case 'fault':
      case 'violation':
      case 'assert':
      case 'task':
      case 'memory-fault':
      case 'note':
      case 'domain':
      case undefined:
        return { ...base, kind: 'note', text: `${kind ?? 'unknown'} (not generated)` };
    }
  }

  indexOfSeq(seq: number): number {
    return Number.isInteger(seq) && seq >= 0 && seq < this.length ? seq : -1;
  }

  indexAtTime(ns: number): number {
    return lowerBound(this.t, this.length, ns);
  }
}
