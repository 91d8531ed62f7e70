/**
 * The synchronous-channel part of the sequence diagram (a scenario's `channels`): a lifeline per
 * channel task (`domain/chan:name`, in scenario order); each message an arrow from the task whose
 * `send` handed it over to the task whose `receive` took it (same msgId), labelled with its
 * channel and how it was copied (`reg`: in registers, `shm`: through the channel buffer); each
 * reply a dashed arrow from the server to its client labelled `reply` (the client's `receive` of
 * the same msgId ends it); dead codes, Anckor's lost senders and timeouts as problem notes, a
 * server's restart as a state note. Blocked states are not drawn: the rendezvous arrows show them.
 *
 * `buildSequence` (sequence.ts) owns the rows, the cap and the pairing of sends with receptions;
 * this module turns each `channel` event into calls on the `ChannelSink` it passes in.
 */
import type { TraceEvent } from '../../../core';
import type { Lifeline, NoteTone } from './sequence';

export type ChannelEvent = Extract<TraceEvent, { kind: 'channel' }>;

/** The lifeline key of a synchronous-channel task. */
export const channelTaskKey = (domain: string, task: string): string => `${domain}/chan:${task}`;

/** One lifeline per channel task, in scenario order. */
export function channelLifelines(
  channels: { readonly tasks: readonly { readonly name: string; readonly domain: string }[] } | undefined,
): Lifeline[] {
  return (channels?.tasks ?? []).map((t) => ({
    key: channelTaskKey(t.domain, t.name),
    kind: 'channel-task',
    domain: t.domain,
    instance: '',
    name: t.name,
  }));
}

/** A message's copy path, short: `reg` (registers), `shm` (the shared buffer), or as traced. */
export function pathLabel(path: string | undefined): string | null {
  switch (path) {
    case undefined:
      return null;
    case 'register':
      return 'reg';
    case 'shared-memory':
      return 'shm';
    case 'not-copied':
      return 'not copied';
    default:
      return path;
  }
}

/** What `buildSequence` offers the channel events: lifelines, arrows and notes on its rows. */
export interface ChannelSink {
  /** The lifeline of a channel task; −1 when it has none. */
  lifelineOf(domain: string, task: string): number;
  /** A message (or a reply's start) sent by lifeline `from` at table index `index`. */
  send(msgId: number, from: number, index: number, length: number | null, label: string): void;
  /** A reply from lifeline `from` to lifeline `to`, ended by the client's `receive` of `msgId`. */
  reply(msgId: number, from: number, to: number, index: number, label: string): void;
  note(index: number, lifeline: number, text: string, tone: NoteTone): void;
}

const hex = (code: number): string => `0x${(code >>> 0).toString(16)}`;

/** Draws one channel event that starts something (a `receive` is a reception: sequence.ts ends arrows with it). */
export function channelEvent(e: ChannelEvent, i: number, sink: ChannelSink): void {
  const lifeline = sink.lifelineOf(e.domain, e.task);
  switch (e.op) {
    case 'send': {
      if (e.msgId === undefined) return;
      const path = pathLabel(e.path);
      const label = [e.channel ?? e.peer ?? '?', path].filter((s) => s !== null).join(' · ');
      sink.send(e.msgId, lifeline, i, e.bytes ?? null, label);
      return;
    }
    case 'reply':
      if (e.msgId === undefined) return;
      sink.reply(
        e.msgId,
        lifeline,
        e.peer === undefined ? -1 : sink.lifelineOf(e.domain, e.peer),
        i,
        e.code === undefined || e.code === 0 ? 'reply' : `reply ${hex(e.code)}`,
      );
      return;
    case 'dead':
      sink.note(i, lifeline, `dead ${e.code === undefined ? '' : hex(e.code)}`.trim(), 'problem');
      return;
    case 'lost':
      sink.note(i, lifeline, `lost: overwritten by ${e.peer ?? 'another sender'}`, 'problem');
      return;
    case 'timeout':
      sink.note(i, lifeline, `timed out${e.peer === undefined ? '' : ` on ${e.peer}`}`, 'problem');
      return;
    case 'restart':
      sink.note(i, lifeline, `restarted: generation ${e.generation}`, 'state');
      return;
    case 'state':
    case 'create':
    case 'get':
    case 'receive':
    case 'post':
    case 'priority':
      return;
  }
}
