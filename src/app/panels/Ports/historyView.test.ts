import { describe, expect, it } from 'vitest';
import { LIBIPC_BY_REFERENCE, LIBIPC_BY_REFERENCE_FIXED, LIBIPC_UI_POLLING } from '../../../core';
import { derivedAt } from '../../debug/useDerived';
import { blockAt, fillBuckets, markAt, MIN_BLOCK_PX, visibleBlocks, visibleMarks, xOf } from './historyView';
import { poolRows } from './poolView';
import { portsPlanOf } from './plan';
import { FillSteps, portHistoryOf } from './portHistory';
import { TASK_COLOURS, taskColour } from './taskPalette';
import { ranSession, seek } from './testing/ranSession';

describe('the object history at the cursor', () => {
  it('draws one block per message sent before the cursor, in its slot’s row; queued ones reach the cursor', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    const tenth = ui?.messages[9];
    if (!ui || !tenth) throw new Error('fewer than 10 messages');
    seek(s, tenth.sendIndex);
    const t0 = s.table.t[0] ?? 0;
    const w = { t0, t1: s.cursorTimeNs, width: 600 };
    const blocks = visibleBlocks(ui, s.cursor, s.cursorTimeNs, w);
    expect(blocks.map((b) => b.message.msgId)).toEqual(ui.messages.slice(0, 10).map((m) => m.msgId));
    // Nothing was received yet: ten blocks in ten distinct rows, all open to the cursor.
    expect(new Set(blocks.map((b) => b.row)).size).toBe(10);
    expect(blocks.every((b) => b.state === 'queued' && b.endT === s.cursorTimeNs)).toBe(true);
    expect(blocks.every((b) => b.x1 - b.x0 >= MIN_BLOCK_PX && b.x1 <= w.width + MIN_BLOCK_PX)).toBe(true);
    // The tenth was sent at the cursor, the window's right edge: it is drawn inside the window.
    expect(blocks.at(-1)?.x1).toBeLessThanOrEqual(w.width);
    const b = blocks[3];
    if (!b) throw new Error('no block 3');
    expect(blockAt(blocks, (b.x0 + b.x1) / 2, b.row)).toBe(b);
    expect(blockAt(blocks, (b.x0 + b.x1) / 2, 99)).toBeNull();
    // The fill chart ends at the depth.
    const buckets = fillBuckets(ui.fill, s.cursor, w);
    expect(buckets.last[w.width - 1]).toBe(10);
    expect(Math.max(...buckets.max)).toBe(10);
  });

  it('at the end of the run every block is received; the blocked senders are marks in the window', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    if (!ui) throw new Error('no ui_port');
    const w = { t0: s.table.t[0] ?? 0, t1: s.cursorTimeNs, width: 800 };
    const blocks = visibleBlocks(ui, s.cursor, s.cursorTimeNs, w);
    expect(blocks).toHaveLength(18);
    expect(blocks.every((b) => b.state === 'received' && b.endT === b.message.recvT)).toBe(true);
    const marks = visibleMarks(ui, s.cursor, w);
    expect(marks.length).toBe(ui.marks.length);
    const first = marks[0];
    if (!first) throw new Error('no marks');
    expect(markAt(marks, first.x + 2)?.index).toBe(first.index);
    // A window before the second half of the run leaves out what lies after it.
    const early = { ...w, t1: (w.t0 + w.t1) / 2 };
    expect(visibleBlocks(ui, s.cursor, s.cursorTimeNs, early).every((b) => b.message.sendT <= early.t1)).toBe(true);
  });

  it('flags the blocks whose by-reference object was rewritten while queued, and none when the sender copies', () => {
    for (const [input, expected] of [
      [LIBIPC_BY_REFERENCE, true],
      [LIBIPC_BY_REFERENCE_FIXED, false],
    ] as const) {
      const s = ranSession(input);
      const ui = portHistoryOf(s.table).port('ui_port');
      if (!ui) throw new Error('no ui_port');
      const blocks = visibleBlocks(ui, s.cursor, s.cursorTimeNs, { t0: 0, t1: s.cursorTimeNs, width: 500 });
      expect(blocks).toHaveLength(6);
      expect(blocks.some((b) => b.rewritten)).toBe(expected);
      // The last message is never rewritten: no send follows it.
      expect(blocks.at(-1)?.rewritten).toBe(false);
    }
  });

  it('fill buckets keep the peak inside a pixel and carry the level in from before the window', () => {
    const f = new FillSteps();
    [
      [0, 0, 0],
      [1, 100, 1],
      [2, 101, 3],
      [3, 102, 1],
      [4, 500, 2],
    ].forEach(([i = 0, t = 0, v = 0]) => f.push(i, t, v));
    const w = { t0: 0, t1: 1000, width: 10 };
    const b = fillBuckets(f, 5, w);
    expect(Array.from(b.max)).toEqual([0, 3, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect(Array.from(b.last)).toEqual([0, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    // Steps at or after the cursor are the future: left out.
    expect(Array.from(fillBuckets(f, 4, w).last).at(-1)).toBe(1);
    const late = fillBuckets(f, 5, { t0: 300, t1: 1000, width: 7 });
    expect(late.last[0]).toBe(1);
    expect(f.peakBefore(2)).toBe(1);
    expect(f.peakBefore(5)).toBe(3);
    expect(xOf(w, 500)).toBe(5);
  });
});

describe('the mempool and the sender palette', () => {
  it('puts each held entry in its region row, coloured by the allocating task', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    const tenth = ui?.messages[9];
    if (!tenth) throw new Error('fewer than 10 messages');
    seek(s, tenth.sendIndex);
    const plan = portsPlanOf(s.scenario);
    if (!plan?.ok) throw new Error('no plan');
    const rows = poolRows(plan.value.pool, derivedAt(s).pool);
    expect(rows.map((r) => r.name)).toEqual(['tiny_msgs', 'small_msgs']);
    expect(rows.reduce((n, r) => n + r.used, 0)).toBe(10);
    // Both messages fit tiny_msgs (16 B), the first region that fits: the battery reading took entry 0.
    const tiny = rows.find((r) => r.name === 'tiny_msgs')?.cells ?? [];
    expect(tiny[0]?.task).toBe('sysinfo_task');
    expect(tiny.slice(1, 10).every((c) => c?.task === 'auth_task')).toBe(true);
    expect(rows.every((r) => r.cells.length === plan.value.pool.find((p) => p.name === r.name)?.count)).toBe(true);
  });

  it('gives declared tasks distinct colours in declaration order and any other name a stable one', () => {
    const tasks = ['ui_task', 'auth_task', 'sysinfo_task'];
    expect(tasks.map((t) => taskColour(t, tasks))).toEqual(TASK_COLOURS.slice(0, 3));
    expect(taskColour('ghost', tasks)).toBe(taskColour('ghost', []));
    expect(TASK_COLOURS).toContain(taskColour('ghost', tasks));
  });
});
