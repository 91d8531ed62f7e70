import { describe, expect, it } from 'vitest';
import { CHANNELS_CLIENT_SERVER, LIBIPC_UI_POLLING } from '../../../core';
import { ChannelActivity, taskKey } from '../../debug/channelActivity';
import { runPreset } from '../../testing/presetTrace';
import { ColumnTrace, TraceFlag, type TraceTable } from '../../trace/TraceTable';
import type { Geometry } from './draw';
import { drawArrows, type Highlights, isReply, positionOf } from './drawOverlay';
import { TraceIndex } from './traceIndex';
import type { Arrow } from './arrows';
import { testGeometry } from './testGeometry';

/** A 2D context that records the line dashes set and draws nothing. */
function fakeContext(): { ctx: CanvasRenderingContext2D; dashes: number[][] } {
  const dashes: number[][] = [];
  const target: Record<string | symbol, unknown> = {
    setLineDash: (d: number[]) => dashes.push([...d]),
  };
  const ctx = new Proxy(target, {
    get: (t, key) => (key in t ? t[key] : () => undefined),
    set: (t, key, value) => {
      t[key] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, dashes };
}

/** Every message of the table as an arrow, send → receive. */
function arrowsOf(table: TraceTable): Arrow[] {
  const index = new TraceIndex();
  index.sync(table);
  const ids = new Set<number>();
  for (let i = 0; i < table.length; i++) {
    const id = table.msgId[i] ?? NaN;
    if (!Number.isNaN(id) && (table.flags[i] ?? 0) & (TraceFlag.send | TraceFlag.receive)) ids.add(id);
  }
  return [...ids].map((msgId) => ({ msgId, ...index.message(msgId) }));
}

const highlights = (cursor: number): Highlights => ({
  cursor,
  selectedIndex: -1,
  selectedMsg: null,
  hoverIndex: -1,
  hoverMsg: null,
});

describe('message arrows between channel task rows', () => {
  const { table } = runPreset(CHANNELS_CLIENT_SERVER);
  const g = geometry(table, true);
  const arrows = arrowsOf(table);
  const centre = (task: string) => {
    const row = g.layout.taskByKey.get(taskKey(0, task));
    return row ? row.top + row.height / 2 : NaN;
  };
  const channel = (i: number) => {
    const e = table.event(i);
    if (e?.kind !== 'channel') throw new Error(`event ${i} is no channel event`);
    return e;
  };

  it('runs from the sender’s task row to the receiver’s, not through the domain’s task lane', () => {
    const drawn = drawArrows(fakeContext().ctx, g, table, arrows, highlights(table.length));
    expect(drawn.length).toBe(arrows.length);
    for (const a of drawn) {
      expect(a.y1).toBe(centre(channel(a.send).task));
      expect(a.y2).toBe(centre(channel(a.receive).task));
      expect(a.y1).not.toBe(a.y2);
      // Two rows apart: a straight arrow, not the arc for two ends in one lane.
      expect(a.lift).toBe(0);
    }
    const first = drawn.find((a) => a.msgId === 1);
    expect([channel(first?.send ?? -1).task, channel(first?.receive ?? -1).task]).toEqual(['ui', 'fs']);
    expect(positionOf(g, table, first?.send ?? -1)?.y).toBe(centre('ui'));
  });

  it('dashes a reply, and only a reply, as the QNX System Profiler draws MsgReply', () => {
    const { ctx, dashes } = fakeContext();
    const drawn = drawArrows(ctx, g, table, arrows, highlights(table.length));
    for (const a of drawn) expect(a.reply).toBe(channel(a.send).op === 'reply');
    expect(drawn.filter((a) => a.reply).length).toBeGreaterThan(0);
    expect(drawn.filter((a) => !a.reply).length).toBeGreaterThan(0);
    // Nothing is in flight at the end of the run: sends are solid, replies dashed.
    expect(dashes).toContainEqual([]);
    expect(dashes).toContainEqual([6, 3]);
    expect(dashes.every((d) => d.length === 0 || (d[0] === 6 && d[1] === 3))).toBe(true);
    expect(isReply(table, drawn.find((a) => a.reply)?.send ?? -1)).toBe(true);
  });

  it('keeps an arrow between two events of one task row an arc over that row', () => {
    const base = { domain: 'hart0', kind: 'channel', task: 'loop', generation: 0 } as const;
    const own = new ColumnTrace();
    own.append({ ...base, seq: 0, t: 0, op: 'send', msgId: 7 });
    own.append({ ...base, seq: 1, t: 1000, op: 'receive', msgId: 7 });
    const og = geometry(own, true);
    const [a] = drawArrows(fakeContext().ctx, og, own, [{ msgId: 7, send: 0, receive: 1 }], highlights(2));
    const row = og.layout.taskByKey.get(taskKey(0, 'loop'));
    expect(a?.y1).toBe((row?.top ?? NaN) + (row?.height ?? NaN) / 2);
    expect(a?.lift).toBeGreaterThan(0);
    expect(a?.lift).toBeLessThanOrEqual((row?.height ?? 0) * 0.55);
  });

  it('leaves the other arrows on their lanes (a libipc trace has no task rows)', () => {
    const libipc = runPreset(LIBIPC_UI_POLLING).table;
    const lg = geometry(libipc, true);
    expect(lg.layout.tasks).toEqual([]);
    const drawn = drawArrows(fakeContext().ctx, lg, libipc, arrowsOf(libipc), highlights(libipc.length));
    expect(drawn.length).toBeGreaterThan(0);
    for (const a of drawn) {
      const row = lg.layout.rows[libipc.lane[a.receive] ?? -1];
      expect(a.y2).toBe((row?.top ?? NaN) + (row?.height ?? NaN) / 2);
      expect(a.reply).toBe(false);
    }
  });
});

function geometry(table: TraceTable, withTasks: boolean): Geometry {
  const activity = withTasks ? new ChannelActivity().sync(table) : null;
  return testGeometry(table, 0, table.t[table.length - 1] ?? 0, activity);
}
