import { describe, expect, it } from 'vitest';
import { LIBIPC_UI_POLLING } from '../../../core';
import { PortActivity } from '../../debug/portActivity';
import { runPreset } from '../../testing/presetTrace';
import { CONTEXTS, LANES_PER_DOMAIN } from '../../trace/TraceTable';
import { blockAt, blocksOf } from './blockedBands';
import { xOf } from './draw';
import { testGeometry as geometry } from './testGeometry';

describe('blocked-send bands', () => {
  const { table } = runPreset(LIBIPC_UI_POLLING);
  const spans = new PortActivity().sync(table).spans();
  const g = geometry(table, 0, table.t[table.length - 1] ?? 0);

  it('runs from the send-blocked to the send, on the task lane of the task’s domain', () => {
    const blocks = blocksOf(g, table, spans, table.length);
    expect(blocks).toHaveLength(spans.length);
    const taskLane = CONTEXTS.indexOf('task');
    for (const b of blocks) {
      const e = table.event(b.span.start);
      expect(e).toMatchObject({ kind: 'port', op: 'send-blocked', task: b.span.task });
      expect(table.event(b.span.end)).toMatchObject({ kind: 'port', op: 'send', task: b.span.task });
      expect(b.x1).toBeCloseTo(xOf(g, table.t[b.span.start] ?? 0));
      expect(b.x2).toBeCloseTo(Math.max(xOf(g, table.t[b.span.end] ?? 0), b.x1 + 2));
      const row = g.layout.rows[table.lane[b.span.start] ?? -1];
      expect((table.lane[b.span.start] ?? -1) % LANES_PER_DOMAIN).toBe(taskLane);
      expect(b.top).toBeGreaterThanOrEqual(row?.top ?? NaN);
      expect(b.bottom).toBeLessThanOrEqual((row?.top ?? NaN) + (row?.height ?? NaN));
      expect(b.future).toBe(false);
    }
  });

  it('gives each waiting task of a lane its own stripe', () => {
    const blocks = blocksOf(g, table, spans, table.length);
    const tops = new Map(blocks.map((b) => [b.span.task, b.top]));
    expect([...tops.keys()].sort()).toEqual(['auth_task', 'sysinfo_task']);
    expect(tops.get('auth_task')).not.toBe(tops.get('sysinfo_task'));
  });

  it('leaves out waits outside the window, dims those after the cursor, and finds a band under a point', () => {
    const first = spans[0];
    if (!first) throw new Error('no blocked span');
    const before = geometry(table, -1000, (table.t[first.start] ?? 0) - 1);
    expect(blocksOf(before, table, spans, table.length)).toEqual([]);
    const dimmed = blocksOf(g, table, spans, first.start);
    expect(dimmed.every((b) => b.future)).toBe(true);
    const b = dimmed[0];
    if (!b) throw new Error('no band');
    expect(blockAt(dimmed, (b.x1 + b.x2) / 2, (b.top + b.bottom) / 2)?.span.start).toBe(b.span.start);
    expect(blockAt(dimmed, b.x1 - 50, b.top)).toBeNull();
  });
});
