import { describe, expect, it } from 'vitest';
import { CHANNELS_CLIENT_SERVER, CHANNELS_SERVER_RESTART, type ChannelTaskState } from '../../../core';
import { ChannelActivity, taskKey } from '../../debug/channelActivity';
import { runPreset } from '../../testing/presetTrace';
import { ColumnTrace, type TraceTable } from '../../trace/TraceTable';
import { messageColour, PROBLEM_COLOUR } from '../../theme/colours';
import { type Geometry, xOf } from './draw';
import { stateLabel } from './drawTaskLanes';
import { taskBarAt, taskLanesOf, taskMarkAt } from './taskLanes';
import { testGeometry } from './testGeometry';

const newestOf = (table: TraceTable) => table.t[table.length - 1] ?? 0;

describe('task rows: state bars', () => {
  const { table } = runPreset(CHANNELS_CLIENT_SERVER);
  const activity = new ChannelActivity().sync(table);
  const g = geometry(table, activity, 0, newestOf(table));
  const lanes = taskLanesOf(g, table, activity, table.length, newestOf(table));

  it('draws each state that lasted as a bar from its state event to the task’s next one, on the task’s row', () => {
    let expected = 0;
    for (const task of activity.tasks()) {
      task.states.forEach((index, k) => {
        const end = task.states[k + 1];
        if ((end === undefined ? newestOf(table) : (table.t[end] ?? 0)) > (table.t[index] ?? 0)) expected += 1;
      });
    }
    expect(lanes.bars).toHaveLength(expected);
    for (const b of lanes.bars) {
      const task = activity.task(b.key);
      const row = g.layout.taskByKey.get(b.key);
      if (!task || !row) throw new Error(`no task or row for ${b.key}`);
      const k = task.states.indexOf(b.index);
      expect(table.event(b.index)).toMatchObject({
        kind: 'channel',
        op: 'state',
        task: task.name,
        state: b.state.state,
      });
      const next = task.states[k + 1];
      expect(b.x1).toBeCloseTo(xOf(g, table.t[b.index] ?? 0));
      expect(b.x2).toBeCloseTo(xOf(g, next === undefined ? newestOf(table) : (table.t[next] ?? 0)));
      expect(b.top).toBeGreaterThan(row.top);
      expect(b.bottom).toBeLessThan(row.top + row.height);
      expect(b.futureX).toBe(b.x2);
    }
  });

  it('leaves out the states that began and ended at the same time (fs: RUNNING then RECEIVE_BLOCKED at 0 ns)', () => {
    const fs = activity.task(taskKey(0, 'fs'));
    const first = fs?.states[0] ?? -1;
    expect(table.event(first)).toMatchObject({ state: 'RUNNING', t: 0 });
    expect(table.t[fs?.states[1] ?? -1]).toBe(0);
    expect(lanes.bars.some((b) => b.index === first)).toBe(false);
  });

  it('draws only what is in the window: a state begun before it starts at the plot’s left edge', () => {
    const ui = activity.task(taskKey(0, 'ui'));
    const k = ui?.stateInfo.findIndex((s) => s.state === 'REPLY_BLOCKED') ?? -1;
    const start = table.t[ui?.states[k] ?? -1] ?? NaN;
    const end = table.t[ui?.states[k + 1] ?? -1] ?? NaN;
    const inside = geometry(table, activity, (start + end) / 2, end + 500);
    const bars = taskLanesOf(inside, table, activity, table.length, null);
    const reply = bars.bars.find((b) => b.key === taskKey(0, 'ui') && b.x1 === inside.plotLeft);
    expect(reply?.state).toMatchObject({ state: 'REPLY_BLOCKED', peer: 'fs' });
    expect(reply?.index).toBe(ui?.states[k]);
    for (const b of bars.bars) {
      expect(b.x1).toBeGreaterThanOrEqual(inside.plotLeft);
      expect(b.x2).toBeLessThanOrEqual(inside.plotRight);
    }
    const before = geometry(table, activity, -1000, -10);
    expect(taskLanesOf(before, table, activity, table.length, null).bars).toEqual([]);
  });

  it('dims what comes after the time cursor: a bar begun after it wholly, one across it from the cursor on', () => {
    const cursor = Math.floor(table.length / 2);
    const cursorNs = table.t[cursor - 1] ?? 0;
    const cx = xOf(g, cursorNs);
    const dimmed = taskLanesOf(g, table, activity, cursor, cursorNs);
    for (const b of dimmed.bars) {
      if (b.index >= cursor) expect(b.futureX).toBe(b.x1);
      else if (b.x2 > cx && b.x1 < cx) expect(b.futureX).toBeCloseTo(cx);
      else if (b.x2 <= cx) expect(b.futureX).toBe(b.x2);
    }
    expect(dimmed.bars.some((b) => b.index < cursor && b.futureX > b.x1 && b.futureX < b.x2)).toBe(true);
  });

  it('finds the bar under a point: it stands for the state event that began it', () => {
    const b = lanes.bars.find((bar) => bar.x2 - bar.x1 > 10);
    if (!b) throw new Error('no wide bar');
    const x = (b.x1 + b.x2) / 2;
    expect(taskBarAt(lanes, x, (b.top + b.bottom) / 2)?.index).toBe(b.index);
    expect(taskBarAt(lanes, x, b.top - 6)?.index).not.toBe(b.index);
  });
});

describe('task rows: marks', () => {
  const { table } = runPreset(CHANNELS_SERVER_RESTART);
  const activity = new ChannelActivity().sync(table);
  const end = newestOf(table);

  it('marks each other operation on its task’s row: messages in their colour, problems in the problem colour', () => {
    // A window short enough that no two marks of a row are closer than the spacing.
    const dead = activity.task(taskKey(0, 'app'))?.problems[0] ?? -1;
    const t = table.t[dead] ?? 0;
    const g = geometry(table, activity, t - 40_000, t + 40_000);
    const { marks } = taskLanesOf(g, table, activity, table.length, end);
    const problem = marks.find((m) => m.index === dead);
    expect(problem).toMatchObject({ glyph: 'problem', colour: PROBLEM_COLOUR, key: taskKey(0, 'app') });
    expect(problem?.y).toBe((g.layout.taskByKey.get(taskKey(0, 'app'))?.top ?? NaN) + 9);
    for (const m of marks) {
      const e = table.event(m.index);
      if (e?.kind !== 'channel') throw new Error('a mark that is no channel event');
      expect(e.op).not.toBe('state');
      expect(m.key).toBe(taskKey(0, e.task));
      expect(m.x).toBeCloseTo(xOf(g, e.t));
      if (m.glyph === 'send' || m.glyph === 'receive') expect(m.colour).toBe(messageColour(e.msgId ?? NaN));
      if (m.glyph === 'send') expect(['send', 'reply']).toContain(e.op);
    }
    expect(marks.filter((m) => m.glyph === 'send').length).toBeGreaterThan(0);
    expect(marks.filter((m) => m.glyph === 'receive').length).toBeGreaterThan(0);
  });

  it('finds the mark under a point: it stands for its event', () => {
    const g = geometry(table, activity, 0, end);
    const lanes = taskLanesOf(g, table, activity, table.length, end);
    const m = lanes.marks[3];
    if (!m) throw new Error('no mark');
    expect(taskMarkAt(lanes, m.x + 1, m.y - 1)?.x).toBeCloseTo(m.x);
    expect(taskMarkAt(lanes, m.x, m.y + 30)).toBeNull();
  });
});

describe('task rows on a long trace', () => {
  // One task changing state every 10 ns, 100,000 times, with a send between changes.
  const states: ChannelTaskState[] = ['RUNNING', 'SEND_BLOCKED', 'REPLY_BLOCKED', 'READY'];
  const table = new ColumnTrace();
  for (let k = 0; k < 100_000; k++) {
    const base = { t: k * 10, domain: 'hart0', kind: 'channel', task: 'busy', generation: 0 } as const;
    table.append({ ...base, seq: 2 * k, op: 'state', state: states[k % 4] ?? 'READY' });
    table.append({ ...base, seq: 2 * k + 1, op: k % 1000 === 0 ? 'timeout' : 'send', msgId: k });
  }
  const activity = new ChannelActivity().sync(table);

  it('draws about one bar per pixel column and marks a few pixels apart when zoomed out, every problem still', () => {
    const g = geometry(table, activity, 0, newestOf(table));
    const { bars, marks } = taskLanesOf(g, table, activity, table.length, null);
    expect(bars.length).toBeLessThanOrEqual(2 * (g.plotRight - g.plotLeft));
    expect(bars.every((b) => b.dense)).toBe(true);
    const problems = marks.filter((m) => m.glyph === 'problem');
    expect(problems).toHaveLength(100);
    expect(marks.length - problems.length).toBeLessThanOrEqual((g.plotRight - g.plotLeft) / 5 + 2);
  });

  it('draws every state in the window as its own bar when zoomed in', () => {
    // 40 states of 10 ns each fill [500 000, 500 400) ns.
    const g = geometry(table, activity, 500_000, 500_400);
    const { bars } = taskLanesOf(g, table, activity, table.length, null);
    expect(bars.map((b) => table.t[b.index])).toEqual(Array.from({ length: 40 }, (_, k) => 500_000 + 10 * k));
    expect(bars.every((b) => !b.dense && b.x2 - b.x1 === 25)).toBe(true);
  });
});

describe('task rows after eviction', () => {
  it('draws a state whose event was evicted from the oldest event held, standing for no event', () => {
    // ColumnTrace evicts the oldest 512 events when it reaches 1024.
    const table = new ColumnTrace({ capacity: 1024 });
    const base = { domain: 'hart0', kind: 'channel', task: 'server', generation: 0 } as const;
    table.append({ ...base, seq: 0, t: 0, op: 'state', state: 'RECEIVE_BLOCKED', peer: 'kv' });
    const note = (k: number) => table.append({ seq: k, t: k * 10, domain: 'hart0', kind: 'note', text: '' });
    for (let k = 1; k < 1000; k++) note(k);
    // Read before the eviction (as the renderer reads every frame), then after it.
    const activity = new ChannelActivity().sync(table);
    for (let k = 1000; k < 1100; k++) note(k);
    table.append({ ...base, seq: 1100, t: 11_000, op: 'state', state: 'RUNNING' });
    expect(table.evicted).toBe(512);
    activity.sync(table);
    const g = geometry(table, activity, 0, newestOf(table) + 1000);
    const { bars } = taskLanesOf(g, table, activity, table.length, null);
    expect(bars[0]).toMatchObject({ index: -1, state: { state: 'RECEIVE_BLOCKED', peer: 'kv' } });
    expect(bars[0]?.x1).toBeCloseTo(xOf(g, table.t[0] ?? NaN));
    expect(bars[0]?.x2).toBeCloseTo(xOf(g, 11_000));
    expect(
      taskBarAt({ bars, marks: [] }, ((bars[0]?.x1 ?? 0) + (bars[0]?.x2 ?? 0)) / 2, bars[0]?.top ?? 0)?.index,
    ).toBe(-1);
  });
});

describe('stateLabel', () => {
  const label = (state: string, peer: string | null = null) => stateLabel({ state, peer, generation: 0 });

  it('names each canonical state briefly, with the peer waited on where there is one', () => {
    expect(label('RUNNING').long).toBe('RUN');
    expect(label('READY').long).toBe('READY');
    expect(label('SEND_BLOCKED', 'kv')).toEqual({ long: 'SEND → kv', short: 'SEND' });
    expect(label('REPLY_BLOCKED', 'kv')).toEqual({ long: 'REPLY ← kv', short: 'REPLY' });
    expect(label('RECEIVE_BLOCKED', 'chan_a')).toEqual({ long: 'RECV chan_a', short: 'RECV' });
    expect(label('RECEIVE_BLOCKED').long).toBe('RECV');
    expect(label('NOTIFICATION_WAIT', 'timer').long).toBe('SLEEP');
    expect(label('NOTIFICATION_WAIT').long).toBe('NOTIF');
    expect(label('STOPPED').long).toBe('STOPPED');
    expect(label('FAULTED').long).toBe('FAULTED');
  });

  it('writes a state it does not know as the trace names it', () => {
    expect(label('MQ_SEND')).toEqual({ long: 'MQ_SEND', short: 'MQ_SEND' });
  });
});

/** The renderer's geometry for `table` with its channel task rows. */
function geometry(table: TraceTable, activity: ChannelActivity, startNs: number, endNs: number): Geometry {
  return testGeometry(table, startNs, endNs, activity);
}
