/**
 * The sequence diagram's model, built from the trace events of one window: a lifeline per
 * endpoint (`domain/instance/name`), each message an arrow from the endpoint whose send call
 * carried it to the endpoint whose `received()` callback got it, and notes on the lifelines for
 * bound/unbound/error callbacks, failed sends, state transitions and problems.
 *
 * Rows are ordinal (one per item, in trace order), not proportional to time: the diagram is for
 * short windows. At most `cap` messages are laid out; `total` counts all the window holds.
 */
import type { Scenario, TraceEvent } from '../../../core';
import { kindIndex, type TraceTable } from '../../trace/TraceTable';

/** The API calls that send a message (ipcService.ts). */
export const SEND_CALLS: ReadonlySet<string> = new Set([
  'ipc_service_send',
  'ipc_service_send_critical',
  'ipc_service_send_nocopy',
]);

export interface Lifeline {
  readonly key: string;
  readonly domain: string;
  readonly instance: string;
  readonly name: string;
}

export type NoteTone = 'state' | 'bound' | 'unbound' | 'problem';

export interface SequenceMessage {
  readonly kind: 'message';
  readonly msgId: number;
  /** Table index of the send call (−1: sent before the window). */
  send: number;
  /** Table index of the `received()` callback (−1: not received in the window). */
  receive: number;
  from: number;
  to: number;
  sendRow: number;
  receiveRow: number;
  length: number | null;
}

export interface SequenceNote {
  readonly kind: 'note';
  readonly index: number;
  readonly lifeline: number;
  readonly row: number;
  readonly text: string;
  readonly tone: NoteTone;
}

export interface SequenceModel {
  readonly lifelines: readonly Lifeline[];
  readonly messages: readonly SequenceMessage[];
  readonly notes: readonly SequenceNote[];
  /** Table index of the event on each row. */
  readonly rows: readonly number[];
  /** Messages in the window (sends), shown or not. */
  readonly total: number;
  /** Messages laid out. */
  readonly shown: number;
  /** More messages than `cap`: the diagram stops at the cap. */
  readonly truncated: boolean;
}

const KINDS_OF_INTEREST = new Set(
  (
    [
      'api',
      'callback',
      'transition',
      'doorbell-lost',
      'anomaly',
      'assert',
      'memory-fault',
      'packet-dropped',
      'trace-gap',
    ] as const
  ).map(kindIndex),
);

export function lifelinesOf(scenario: {
  readonly endpoints: readonly Pick<Scenario['endpoints'][number], 'domain' | 'instance' | 'name'>[];
}): Lifeline[] {
  return scenario.endpoints.map((e) => ({
    key: `${e.domain}/${e.instance}/${e.name}`,
    domain: e.domain,
    instance: e.instance,
    name: e.name,
  }));
}

/**
 * Builds the diagram of events [from, to). `cap` bounds the messages laid out; after it is
 * reached only the receptions of messages already shown are added.
 */
export function buildSequence(
  table: TraceTable,
  lifelines: readonly Lifeline[],
  from: number,
  to: number,
  cap: number,
): SequenceModel {
  const byEndpoint = new Map(lifelines.map((l, k) => [l.key, k]));
  const firstOf = (prefix: string): number => lifelines.findIndex((l) => l.key.startsWith(prefix));
  const messages: SequenceMessage[] = [];
  const byId = new Map<number, SequenceMessage>();
  const notes: SequenceNote[] = [];
  const rows: number[] = [];
  const end = Math.min(to, table.length);
  let pendingReceives = 0;
  const note = (index: number, lifeline: number, text: string, tone: NoteTone) => {
    if (lifeline < 0) return;
    notes.push({ kind: 'note', index, lifeline, row: rows.length, text, tone });
    rows.push(index);
  };
  let stoppedAt = end;
  // Sends (API calls with a message id) the cap left out.
  let left = 0;
  const api = kindIndex('api');
  const isSend = (i: number) => table.kind[i] === api && !Number.isNaN(table.msgId[i] ?? NaN);
  for (let i = Math.max(0, from); i < end; i++) {
    if (!KINDS_OF_INTEREST.has(table.kind[i] ?? -1)) continue;
    const full = messages.length >= cap;
    if (full && pendingReceives === 0) {
      stoppedAt = i;
      break;
    }
    const e = table.event(i);
    if (!e) continue;
    if (e.kind === 'callback' && e.callback === 'received' && typeof e.msgId === 'number') {
      const to = byEndpoint.get(`${e.domain}/${e.instance}/${e.endpoint}`) ?? -1;
      const known = byId.get(e.msgId);
      if (known && known.receive < 0) {
        known.receive = i;
        known.to = to;
        known.receiveRow = rows.length;
        pendingReceives -= 1;
        rows.push(i);
      } else if (!known && !full) {
        const m: SequenceMessage = {
          kind: 'message',
          msgId: e.msgId,
          send: -1,
          receive: i,
          from: -1,
          to,
          sendRow: -1,
          receiveRow: rows.length,
          length: e.length ?? null,
        };
        messages.push(m);
        byId.set(e.msgId, m);
        rows.push(i);
      }
      continue;
    }
    if (full) {
      if (isSend(i)) left += 1;
      continue;
    }
    noteOrSend(e, i);
  }

  function noteOrSend(e: TraceEvent, i: number): void {
    switch (e.kind) {
      case 'api': {
        if (!SEND_CALLS.has(e.call)) {
          if (typeof e.result === 'string')
            note(i, endpointOf(e.domain, e.instance, e.endpoint), `${e.call}: -${e.result}`, 'problem');
          return;
        }
        const from = endpointOf(e.domain, e.instance, e.endpoint);
        if (typeof e.result === 'string' || e.msgId === undefined) {
          note(i, from, `send failed: -${typeof e.result === 'string' ? e.result : 'no message'}`, 'problem');
          return;
        }
        // On the worker runtime the receiver can trace received() before the sender traces the
        // call that returned: the message is already listed, and this is its send.
        const early = byId.get(e.msgId);
        if (early && early.send < 0) {
          early.send = i;
          early.from = from;
          early.sendRow = rows.length;
          rows.push(i);
          return;
        }
        const m: SequenceMessage = {
          kind: 'message',
          msgId: e.msgId,
          send: i,
          receive: -1,
          from,
          to: -1,
          sendRow: rows.length,
          receiveRow: -1,
          length: e.length ?? null,
        };
        messages.push(m);
        byId.set(e.msgId, m);
        pendingReceives += 1;
        rows.push(i);
        return;
      }
      case 'callback':
        note(
          i,
          endpointOf(e.domain, e.instance, e.endpoint),
          `${e.callback}()${e.message === undefined ? '' : `: ${e.message}`}`,
          e.callback === 'error' ? 'problem' : e.callback === 'bound' ? 'bound' : 'unbound',
        );
        return;
      case 'transition':
        note(i, firstOf(`${e.domain}/${e.instance}/`), `${e.from} → ${e.to}`, 'state');
        return;
      case 'doorbell-lost':
        note(i, firstOf(`${e.domain}/`), `doorbell ${e.channel} lost (${e.reason})`, 'problem');
        return;
      case 'anomaly':
      case 'assert':
        note(i, firstOf(`${e.domain}/`), `${e.kind === 'assert' ? '__ASSERT' : 'anomaly'}: ${e.message}`, 'problem');
        return;
      case 'memory-fault':
        note(i, firstOf(`${e.domain}/`), `memory fault (${e.access})`, 'problem');
        return;
      case 'packet-dropped':
        note(i, firstOf(`${e.domain}/`), `packet dropped: ${e.reason}`, 'problem');
        return;
      case 'trace-gap':
        note(i, firstOf(`${e.domain}/`), `trace gap: ${e.lost} records lost`, 'problem');
        return;
      case 'fault':
        note(i, firstOf(`${e.domain}/`), `fault ${e.what}: ${e.detail}`, 'problem');
        return;
      case 'violation':
        note(i, firstOf(`${e.domain}/`), `invariant ${e.rule}: ${e.message}`, 'problem');
        return;
      case 'blocks':
        if (e.use === 'leaked') {
          note(i, firstOf(`${e.domain}/${e.instance}/`), `blocks ${e.first}+${e.count} leaked`, 'problem');
        }
        return;
      case 'decision':
      case 'domain':
      case 'doorbell-delivered':
      case 'doorbell-rung':
      case 'note':
      case 'packet-read':
      case 'packet-written':
      case 'task':
      case 'work':
        return;
    }
  }

  function endpointOf(domain: string, instance: string, endpoint: string | undefined): number {
    if (endpoint !== undefined) {
      const k = byEndpoint.get(`${domain}/${instance}/${endpoint}`);
      if (k !== undefined) return k;
    }
    return firstOf(`${domain}/${instance}/`);
  }

  for (let i = stoppedAt; i < end; i++) if (isSend(i)) left += 1;
  const shown = messages.length;
  return { lifelines, messages, notes, rows, total: shown + left, shown, truncated: left > 0 };
}
