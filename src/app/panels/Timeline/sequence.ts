/**
 * The sequence diagram's model, built from the trace events of one window: a lifeline per
 * endpoint (`domain/instance/name`), each message an arrow from the endpoint whose send call
 * carried it to the endpoint whose `received()` callback got it, and notes on the lifelines for
 * bound/unbound/error callbacks, failed sends, state transitions and problems.
 *
 * A scenario with a `libipc` part also has a lifeline per task (`domain/libipc:name`): each item
 * an arrow from the task whose `send` put it in a port to the task whose `recv` took it out
 * (same msgId), labelled with its tag; each proto response a reply from the task that answered
 * to the client that routed the command (paired by the command's msgId), labelled with its seq:
 * answered (ending at the client's `done`), or stale (dropped by `proto_send_rsp`: it never
 * reaches the client). Blocked and failed sends, timeouts and resets are notes.
 *
 * A scenario with `channels` has a lifeline per channel task too: its messages, replies and
 * problems are drawn by channelSequence.ts through a `ChannelSink` on this pass's state.
 *
 * Rows are ordinal (one per item, in trace order), not proportional to time: the diagram is for
 * short windows. At most `cap` messages are laid out; `total` counts all the window holds.
 *
 * Over 400 lines on purpose: the model is built in one pass over the window in which endpoint
 * messages, libipc items, proto replies and notes share the row counter, the cap and the pairing
 * of sends with receptions; splitting the pass would spread that shared state over modules.
 */
import type { Scenario, TraceEvent } from '../../../core';
import { protoSeqOf } from '../../debug/portActivity';
import { kindIndex, TraceFlag, type TraceTable } from '../../trace/TraceTable';
import { channelEvent, channelLifelines, channelTaskKey, type ChannelSink } from './channelSequence';

/** The API calls that send a message (ipcService.ts). */
export const SEND_CALLS: ReadonlySet<string> = new Set([
  'ipc_service_send',
  'ipc_service_send_critical',
  'ipc_service_send_nocopy',
]);

export interface Lifeline {
  /** An endpoint: `domain/instance/name`; a libipc task: `domain/libipc:name`; a channel task: `domain/chan:name`. */
  readonly key: string;
  readonly kind: 'endpoint' | 'task' | 'channel-task';
  readonly domain: string;
  /** The endpoint's instance; '' for a task. */
  readonly instance: string;
  readonly name: string;
}

/** `wait`: a libipc task blocked on a full queue. */
export type NoteTone = 'state' | 'bound' | 'unbound' | 'problem' | 'wait';

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
  /** A libipc item: its tag's name (and a routed command's seq); a channel message: channel · path. */
  label?: string;
}

/** A proto response, from the task that answered to the client that routed the command. */
export interface SequenceReply {
  readonly kind: 'reply';
  /** The command's message id. */
  readonly msgId: number;
  readonly seq: number | null;
  /** Table index of the `proto-response` or `proto-stale` event. */
  readonly send: number;
  /** Table index of the client's `done` (the response taken); −1: stale, or not in the window. */
  receive: number;
  readonly from: number;
  /** The client's lifeline; −1 when the command was routed before the window. */
  readonly to: number;
  readonly sendRow: number;
  receiveRow: number;
  /** Dropped as stale: it never reaches the client. */
  readonly stale: boolean;
  /** A channel reply's label (`reply`, or with its code); absent: a proto response. */
  readonly label?: string;
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
  readonly replies: readonly SequenceReply[];
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
      'port',
      'channel',
    ] as const
  ).map(kindIndex),
);

/** The lifeline key of a libipc task. */
export const taskKey = (domain: string, task: string): string => `${domain}/libipc:${task}`;

type Tasks = { readonly tasks: readonly { readonly name: string; readonly domain: string }[] } | undefined;

/** One lifeline per endpoint, then one per libipc task, then one per channel task, in scenario order. */
export function lifelinesOf(scenario: {
  readonly endpoints: readonly Pick<Scenario['endpoints'][number], 'domain' | 'instance' | 'name'>[];
  readonly libipc?: Tasks;
  readonly channels?: Tasks;
}): Lifeline[] {
  const endpoints = scenario.endpoints.map((e): Lifeline => ({
    key: `${e.domain}/${e.instance}/${e.name}`,
    kind: 'endpoint',
    domain: e.domain,
    instance: e.instance,
    name: e.name,
  }));
  const tasks = (scenario.libipc?.tasks ?? []).map((t): Lifeline => ({
    key: taskKey(t.domain, t.name),
    kind: 'task',
    domain: t.domain,
    instance: '',
    name: t.name,
  }));
  return [...endpoints, ...tasks, ...channelLifelines(scenario.channels)];
}

/**
 * Builds the diagram of events [from, to). `cap` bounds the messages laid out; after it is
 * reached only the receptions of messages already shown are added.
 */
const isChannelSend = (e: TraceEvent | undefined): boolean => e?.kind === 'channel' && e.op === 'send';

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
  const replies: SequenceReply[] = [];
  /** Routed proto commands by msgId: the client task's name and lifeline, and the seq. */
  const routes = new Map<number, { task: string; lifeline: number; seq: number | null }>();
  /** Answered replies whose client has not taken them yet, by msgId. */
  const answering = new Map<number, SequenceReply>();
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
  const port = kindIndex('port');
  const channel = kindIndex('channel');
  const flagged = (i: number) => ((table.flags[i] ?? 0) & TraceFlag.send) !== 0;
  const isSend = (i: number) =>
    (table.kind[i] === api && !Number.isNaN(table.msgId[i] ?? NaN)) ||
    (table.kind[i] === port && flagged(i)) ||
    // A channel reply is flagged as a send too: only messages count.
    (table.kind[i] === channel && flagged(i) && isChannelSend(table.event(i)));
  const channelSink: ChannelSink = {
    lifelineOf: (domain, task) => byEndpoint.get(channelTaskKey(domain, task)) ?? -1,
    send: (msgId, from, i, length, label) => startMessage(msgId, from, i, length, label),
    reply: (msgId, from, to, i, label) => {
      const row = rows.length;
      const reply: SequenceReply = {
        kind: 'reply',
        msgId,
        seq: null,
        send: i,
        receive: -1,
        from,
        to,
        label,
        sendRow: row,
        receiveRow: -1,
        stale: false,
      };
      replies.push(reply);
      const client = to >= 0 ? lifelines[to] : undefined;
      if (client) {
        // The client's receive of the same msgId takes it (takeReply checks the task).
        routes.set(msgId, { task: client.name, lifeline: to, seq: null });
        answering.set(msgId, reply);
        pendingReceives += 1;
      }
      rows.push(i);
    },
    note,
  };
  for (let i = Math.max(0, from); i < end; i++) {
    if (!KINDS_OF_INTEREST.has(table.kind[i] ?? -1)) continue;
    const full = messages.length >= cap;
    if (full && pendingReceives === 0) {
      stoppedAt = i;
      break;
    }
    const e = table.event(i);
    if (!e) continue;
    if (e.kind === 'port' && e.msgId !== undefined && (e.op === 'recv' || e.op === 'done')) {
      // Receptions end what is shown even when the cap is reached.
      if (e.op === 'recv') receive(e.msgId, byEndpoint.get(taskKey(e.domain, e.task)) ?? -1, i, full, null);
      else takeReply(e.msgId, e.task, i);
      continue;
    }
    if (e.kind === 'channel' && e.op === 'receive' && e.msgId !== undefined) {
      // A reply's receive has no peer; one whose reply was sent before the window is left out.
      if (answering.has(e.msgId)) takeReply(e.msgId, e.task, i);
      else if (e.peer !== undefined)
        receive(e.msgId, byEndpoint.get(channelTaskKey(e.domain, e.task)) ?? -1, i, full, e.bytes ?? null);
      continue;
    }
    if (e.kind === 'callback' && e.callback === 'received' && typeof e.msgId === 'number') {
      receive(e.msgId, byEndpoint.get(`${e.domain}/${e.instance}/${e.endpoint}`) ?? -1, i, full, e.length ?? null);
      continue;
    }
    if (full) {
      if (isSend(i)) left += 1;
      continue;
    }
    noteOrSend(e, i);
  }

  /** The message `msgId` received on lifeline `to` at `i`: the end of one shown, or one sent before the window. */
  function receive(msgId: number, to: number, i: number, full: boolean, length: number | null): void {
    const known = byId.get(msgId);
    if (known && known.receive < 0) {
      known.receive = i;
      known.to = to;
      known.receiveRow = rows.length;
      pendingReceives -= 1;
      rows.push(i);
    } else if (!known && !full) {
      const m: SequenceMessage = {
        kind: 'message',
        msgId,
        send: -1,
        receive: i,
        from: -1,
        to,
        sendRow: -1,
        receiveRow: rows.length,
        length,
      };
      messages.push(m);
      byId.set(msgId, m);
      rows.push(i);
    }
  }

  /** Message `msgId` sent by lifeline `from` at `i`, labelled `label` when given. */
  function startMessage(msgId: number, from: number, i: number, length: number | null, label: string | undefined) {
    // On the worker runtime the receiver can trace its reception before the sender traces the
    // send: the message is already listed, and this is its send.
    const early = byId.get(msgId);
    if (early && early.send < 0) {
      early.send = i;
      early.from = from;
      early.sendRow = rows.length;
      if (label !== undefined) early.label = label;
      rows.push(i);
      return;
    }
    const m: SequenceMessage = {
      kind: 'message',
      msgId,
      send: i,
      receive: -1,
      from,
      to: -1,
      sendRow: rows.length,
      receiveRow: -1,
      length,
    };
    if (label !== undefined) m.label = label;
    messages.push(m);
    byId.set(msgId, m);
    pendingReceives += 1;
    rows.push(i);
  }

  /** A `done` by `task`: when it is the client of an answered command, it took the response. */
  function takeReply(msgId: number, task: string, i: number): void {
    const reply = answering.get(msgId);
    if (!reply || routes.get(msgId)?.task !== task) return;
    reply.receive = i;
    reply.receiveRow = rows.length;
    answering.delete(msgId);
    pendingReceives -= 1;
    rows.push(i);
  }

  function portEvent(e: Extract<TraceEvent, { kind: 'port' }>, i: number): void {
    const lifeline = byEndpoint.get(taskKey(e.domain, e.task)) ?? -1;
    switch (e.op) {
      case 'send':
        if (e.msgId !== undefined) startMessage(e.msgId, lifeline, i, e.length ?? null, e.tagName);
        return;
      case 'proto-route': {
        if (e.msgId === undefined) return;
        const seq = protoSeqOf(e);
        routes.set(e.msgId, { task: e.task, lifeline, seq });
        const m = byId.get(e.msgId);
        if (m && seq !== null) m.label = `${m.label ?? 'command'} · seq ${seq}`;
        return;
      }
      case 'proto-response':
      case 'proto-stale': {
        if (e.msgId === undefined) return;
        const route = routes.get(e.msgId);
        const stale = e.op === 'proto-stale';
        const reply: SequenceReply = {
          kind: 'reply',
          msgId: e.msgId,
          seq: route?.seq ?? protoSeqOf(e),
          send: i,
          receive: -1,
          from: lifeline,
          to: route?.lifeline ?? -1,
          sendRow: rows.length,
          receiveRow: -1,
          stale,
        };
        replies.push(reply);
        if (!stale && route) {
          answering.set(e.msgId, reply);
          pendingReceives += 1;
        }
        rows.push(i);
        return;
      }
      case 'send-blocked':
        note(i, lifeline, `blocked: ${e.port} full`, 'wait');
        return;
      case 'send-timeout':
        note(i, lifeline, `send to ${e.port} timed out`, 'problem');
        return;
      case 'send-failed':
        note(i, lifeline, `send to ${e.port} failed`, 'problem');
        return;
      case 'reset':
        note(i, lifeline, 'device reset', 'problem');
        return;
      case 'proto-timeout': {
        const seq = protoSeqOf(e);
        note(i, lifeline, `no response${seq === null ? '' : ` for seq ${seq}`}: retired`, 'problem');
        return;
      }
      case 'proto-mismatch':
        note(i, lifeline, 'response for another seq discarded', 'problem');
        return;
      case 'register':
      case 'recv':
      case 'recv-blocked':
      case 'recv-timeout':
      case 'done':
      case 'write':
        return;
    }
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
        startMessage(e.msgId, from, i, e.length ?? null, undefined);
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
      case 'port':
        portEvent(e, i);
        return;
      case 'channel':
        channelEvent(e, i, channelSink);
        return;
      case 'decision':
      case 'domain':
      case 'doorbell-delivered':
      case 'doorbell-rung':
      case 'note':
      case 'packet-read':
      case 'packet-written':
      case 'pool':
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
  return { lifelines, messages, replies, notes, rows, total: shown + left, shown, truncated: left > 0 };
}
