import { describe, expect, it, vi } from 'vitest';
import {
  CHANNELS_CLIENT_SERVER,
  CHANNELS_SERVER_RESTART,
  LIBIPC_UI_POLLING,
  type ChannelTaskState,
  type TraceEvent,
} from '../../core';
import { runPreset } from '../testing/presetTrace';
import { ColumnTrace, kindIndex } from '../trace/TraceTable';
import { ChannelActivity, type ChannelTask, taskKey } from './channelActivity';

let seq = 0;
const state = (t: number, task: string, s: ChannelTaskState, peer?: string, generation = 0, domain = 'hart0') =>
  ({
    seq: seq++,
    t,
    domain,
    kind: 'channel',
    op: 'state',
    task,
    state: s,
    generation,
    ...(peer === undefined ? {} : { peer }),
  }) as TraceEvent;
const op = (t: number, task: string, what: 'send' | 'receive' | 'reply' | 'dead' | 'get', msgId?: number) =>
  ({
    seq: seq++,
    t,
    domain: 'hart0',
    kind: 'channel',
    op: what,
    task,
    generation: 0,
    ...(msgId === undefined ? {} : { msgId }),
  }) as TraceEvent;
const note = (t: number) => ({ seq: seq++, t, domain: 'hart0', kind: 'note', text: 'tick' }) as TraceEvent;

const tableOf = (events: readonly TraceEvent[], capacity?: number) => {
  const table = new ColumnTrace(capacity === undefined ? {} : { capacity });
  events.forEach((e) => table.append(e));
  return table;
};

/** What a task holds, as plain data (to compare two activities). */
const plain = (t: ChannelTask) => ({
  key: t.key,
  states: [...t.states],
  stateInfo: [...t.stateInfo],
  carried: t.carried,
  marks: [...t.marks],
  problems: [...t.problems],
});

describe('ChannelActivity', () => {
  it('lists the tasks in order of first appearance, each with its state events and its other operations', () => {
    const { table } = runPreset(CHANNELS_CLIENT_SERVER);
    const activity = new ChannelActivity().sync(table);
    expect(activity.tasks().map((t) => t.name)).toEqual(['fs', 'ui', 'log', 'timer']);
    let channelEvents = 0;
    for (let i = 0; i < table.length; i++) if (table.kind[i] === kindIndex('channel')) channelEvents += 1;
    let held = 0;
    for (const task of activity.tasks()) {
      expect(task.key).toBe(taskKey(0, task.name));
      task.states.forEach((index, k) => {
        const e = table.event(index);
        expect(e).toMatchObject({ kind: 'channel', op: 'state', task: task.name });
        if (e?.kind !== 'channel') return;
        expect(task.stateInfo[k]).toEqual({ state: e.state, peer: e.peer ?? null, generation: e.generation });
      });
      for (const index of task.marks) {
        expect(table.event(index)).toMatchObject({ kind: 'channel', task: task.name });
        expect(table.event(index)).not.toMatchObject({ op: 'state' });
      }
      expect([...task.states].sort((a, b) => a - b)).toEqual(task.states);
      held += task.states.length + task.marks.length;
    }
    expect(held).toBe(channelEvents);
  });

  it('spans a state from its event to the task’s next state event (here: ui, REPLY_BLOCKED on fs until the reply)', () => {
    const { table } = runPreset(CHANNELS_CLIENT_SERVER);
    const ui = new ChannelActivity().sync(table).task(taskKey(0, 'ui'));
    if (!ui) throw new Error('no ui');
    const k = ui.stateInfo.findIndex((s) => s.state === 'REPLY_BLOCKED');
    expect(ui.stateInfo[k]).toMatchObject({ state: 'REPLY_BLOCKED', peer: 'fs' });
    // The next state of ui comes when fs replies: READY, at the reply's time.
    const end = ui.states[k + 1] ?? -1;
    expect(table.event(end)).toMatchObject({ op: 'state', task: 'ui', state: 'READY' });
    const reply = table.event(end + 1);
    expect(reply).toMatchObject({ op: 'reply', task: 'fs', peer: 'ui' });
    expect(table.t[end]).toBe(reply?.t);
  });

  it('keeps the problems among the operations, and the generation at the cursor', () => {
    const { table } = runPreset(CHANNELS_SERVER_RESTART);
    const activity = new ChannelActivity().sync(table);
    const kv = activity.task(taskKey(0, 'kv'));
    const app = activity.task(taskKey(0, 'app'));
    if (!kv || !app) throw new Error('no kv or app');
    // app got a dead code when kv restarted.
    expect(app.problems.map((i) => table.event(i))).toEqual([expect.objectContaining({ op: 'dead', peer: 'kv' })]);
    expect(kv.problems).toEqual([]);
    expect(activity.generationAt(kv, table.length)).toBe(1);
    const restart = kv.marks.find((i) => {
      const e = table.event(i);
      return e?.kind === 'channel' && e.op === 'restart';
    });
    expect(restart).toBeDefined();
    expect(activity.generationAt(kv, restart ?? 0)).toBe(0);
    expect(activity.generationAt(kv, 0)).toBe(0);
  });

  it('knows tasks of the same name on two cores apart', () => {
    const table = tableOf([state(0, 'server', 'RUNNING'), state(1, 'server', 'READY', undefined, 0, 'cpurad')]);
    const activity = new ChannelActivity().sync(table);
    expect(activity.tasks().map((t) => [t.name, t.domain])).toEqual([
      ['server', 0],
      ['server', 1],
    ]);
  });

  it('reads appended events only, and holds what a fresh read of the same table holds', () => {
    const { events } = runPreset(CHANNELS_SERVER_RESTART);
    const table = new ColumnTrace();
    const activity = new ChannelActivity();
    const half = Math.floor(events.length / 2);
    events.slice(0, half).forEach((e) => table.append(e));
    activity.sync(table);
    events.slice(half).forEach((e) => table.append(e));
    const read = vi.spyOn(table, 'event');
    activity.sync(table);
    // Only the appended channel events are looked at (and the newest, to recognise it later).
    const appended = events.slice(half).filter((e) => e.kind === 'channel').length;
    expect(read.mock.calls.length).toBeLessThanOrEqual(appended + 1);
    expect(activity.tasks().map(plain)).toEqual(new ChannelActivity().sync(table).tasks().map(plain));
  });

  it('starts over when the table is cut back (a rewound run): tasks seen only after the cut are gone', () => {
    const table = tableOf([state(0, 'a', 'RUNNING'), note(1), state(2, 'b', 'RUNNING'), op(3, 'a', 'get')]);
    const activity = new ChannelActivity().sync(table);
    expect(activity.tasks().map((t) => t.name)).toEqual(['a', 'b']);
    table.truncate(2);
    expect(activity.sync(table).tasks().map(plain)).toEqual([
      {
        key: taskKey(0, 'a'),
        states: [0],
        stateInfo: [{ state: 'RUNNING', peer: null, generation: 0 }],
        carried: null,
        marks: [],
        problems: [],
      },
    ]);
  });

  it('survives eviction of the oldest events: indices move down, and an evicted state is carried', () => {
    // ColumnTrace evicts the oldest half (512) when it reaches 1024 events.
    const events = [
      state(0, 'server', 'RECEIVE_BLOCKED', 'kv'),
      op(1, 'client', 'send', 1),
      state(2, 'client', 'REPLY_BLOCKED', 'server'),
      ...Array.from({ length: 1100 }, (_, k) => note(10 + k)),
      op(2000, 'server', 'reply', 2),
      state(2001, 'client', 'READY'),
    ];
    const table = new ColumnTrace({ capacity: 1024 });
    const activity = new ChannelActivity();
    events.slice(0, 1000).forEach((e) => table.append(e));
    activity.sync(table);
    events.slice(1000).forEach((e) => table.append(e));
    expect(table.evicted).toBe(512);
    const read = vi.spyOn(table, 'event');
    activity.sync(table);
    // Not read again: only the recognition of the last event read, the two channel events
    // appended, and the newest.
    expect(read.mock.calls.length).toBeLessThanOrEqual(4);
    const server = activity.task(taskKey(0, 'server'));
    const client = activity.task(taskKey(0, 'client'));
    expect(server).toMatchObject({
      states: [],
      carried: { state: 'RECEIVE_BLOCKED', peer: 'kv', generation: 0 },
      marks: [table.length - 2],
    });
    expect(client).toMatchObject({
      states: [table.length - 1],
      carried: { state: 'REPLY_BLOCKED', peer: 'server', generation: 0 },
      marks: [],
    });
    expect(table.event(table.length - 2)).toMatchObject({ op: 'reply', task: 'server' });
    expect(activity.tasks().map((t) => t.name)).toEqual(['server', 'client']);
  });

  it('costs nothing on a trace without channel events: no event object is read', () => {
    const { table } = runPreset(LIBIPC_UI_POLLING);
    const read = vi.spyOn(table, 'event');
    const activity = new ChannelActivity().sync(table);
    expect(activity.tasks()).toEqual([]);
    expect(read.mock.calls.length).toBeLessThanOrEqual(1);
  });
});
