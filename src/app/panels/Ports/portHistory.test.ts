import { describe, expect, it } from 'vitest';
import { LIBIPC_POWER_OFF_RESET, LIBIPC_PROTO_STALE, LIBIPC_UI_POLLING, type TraceEvent } from '../../../core';
import type { DebugSession } from '../../debug/DebugSession';
import { derivedAt } from '../../debug/useDerived';
import { ColumnTrace } from '../../trace/TraceTable';
import { PortHistory, portHistoryOf } from './portHistory';
import { ranSession, seek } from './testing/ranSession';

const portEvents = (s: DebugSession, port: string): (TraceEvent & { kind: 'port' })[] => {
  const out: (TraceEvent & { kind: 'port' })[] = [];
  for (let i = 0; i < s.table.length; i++) {
    const e = s.table.event(i);
    if (e?.kind === 'port' && e.port === port) out.push(e);
  }
  return out;
};

describe('the port object history', () => {
  it('UI polling: every send of ui_port is a message, each received after it was sent; the queue fills to its depth of 10', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    if (!ui) throw new Error('no ui_port history');
    const sends = portEvents(s, 'ui_port').filter((e) => e.op === 'send');
    expect(ui.depth).toBe(10);
    expect(ui.messages.map((m) => m.msgId)).toEqual(sends.map((e) => e.msgId));
    expect(ui.messages).toHaveLength(18);
    for (const m of ui.messages) {
      expect(m.recvIndex).toBeGreaterThan(m.sendIndex);
      expect(m.recvT).toBeGreaterThanOrEqual(m.sendT);
      expect(m.slot).toBeGreaterThanOrEqual(0);
      expect(m.slot).toBeLessThan(10);
      expect(m.owned).toBe(true);
    }
    expect(new Set(ui.messages.map((m) => m.task))).toEqual(new Set(['auth_task', 'sysinfo_task']));
    expect(ui.fill.peak).toBe(10);
    expect(ui.fill.at(s.table.length)).toBe(0);
    // Every fill level the trace reports is a step of the chart.
    const reported = portEvents(s, 'ui_port').flatMap((e) => (e.fill === undefined ? [] : [e.fill]));
    expect(Math.max(...reported)).toBe(ui.fill.peak);
    const blocked = ui.marks.filter((m) => m.op === 'send-blocked');
    expect(blocked.length).toBeGreaterThan(0);
    expect(new Set(blocked.map((m) => m.task))).toEqual(new Set(['auth_task', 'sysinfo_task']));
    expect(ui.marks.every((m) => m.op === 'send-blocked')).toBe(true);
    // Freed mempool copies are tied to their message.
    expect(ui.messages.every((m) => m.freeIndex > m.recvIndex)).toBe(true);
  });

  it('agrees with the derived queue at every cursor: the messages sent and not yet received are the items', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    if (!ui) throw new Error('no ui_port history');
    let longest = 0;
    for (let cursor = 0; cursor <= s.table.length; cursor += 7) {
      seek(s, cursor - 1);
      const derived = derivedAt(s).ports.get('ui_port');
      const queued = ui.messages
        .slice(0, ui.sentBefore(s.cursor))
        .filter((m) => m.recvIndex < 0 || m.recvIndex >= s.cursor)
        .map((m) => m.msgId);
      expect(queued).toEqual(derived?.items.map((i) => i.msgId) ?? []);
      expect(ui.fill.at(s.cursor)).toBe(queued.length);
      longest = Math.max(longest, queued.length);
    }
    // The cursor really moved: somewhere on the way the queue was full.
    expect(longest).toBe(10);
  });

  it('power-off reset: the failed send and the reset are marks; the items queued at the reset are dropped and the fill falls to 0', () => {
    const s = ranSession(LIBIPC_POWER_OFF_RESET, 400);
    const port = portHistoryOf(s.table).port('sysinfo_port');
    if (!port) throw new Error('no sysinfo_port history');
    const ops = port.marks.map((m) => m.op);
    expect(ops).toContain('send-timeout');
    expect(ops).toContain('reset');
    const reset = port.marks.find((m) => m.op === 'reset');
    // The boot loop resets again and again: the first reset drops the 4 items of the full queue.
    const firstReset = Math.min(...port.messages.filter((m) => m.dropIndex >= 0).map((m) => m.dropIndex));
    const dropped = port.messages.filter((m) => m.dropIndex === firstReset);
    expect(dropped.length).toBe(4);
    for (const m of dropped) {
      expect(m.sendIndex).toBeLessThan(m.dropIndex);
      expect(m.recvIndex < 0 || m.recvIndex > m.dropIndex).toBe(true);
      expect(m.dropIndex).toBeGreaterThan(reset?.index ?? Infinity);
    }
    const firstDrop = dropped[0]?.dropIndex ?? -1;
    expect(port.fill.at(firstDrop)).toBe(4);
    expect(port.fill.at(firstDrop + 1)).toBe(0);
  });

  it('proto path: the stale response and the timeout are failure marks', () => {
    const s = ranSession(LIBIPC_PROTO_STALE);
    const port = portHistoryOf(s.table).port('key_manager_port');
    expect(port?.marks.map((m) => m.op)).toEqual(expect.arrayContaining(['proto-timeout', 'proto-stale']));
  });

  it('reads incrementally: events appended in two parts give the same history; a rewritten table starts over', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const events: TraceEvent[] = [];
    for (let i = 0; i < s.table.length; i++) {
      const e = s.table.event(i);
      if (e) events.push(e);
    }
    const table = new ColumnTrace();
    const h = new PortHistory(table);
    const half = Math.floor(events.length / 2);
    for (const e of events.slice(0, half)) table.append(e);
    h.update();
    const early = h.port('ui_port')?.messages.length ?? 0;
    for (const e of events.slice(half)) table.append(e);
    h.update();
    const whole = portHistoryOf(s.table).port('ui_port');
    expect(early).toBeLessThan(18);
    expect(h.port('ui_port')?.messages.map((m) => [m.msgId, m.recvIndex])).toEqual(
      whole?.messages.map((m) => [m.msgId, m.recvIndex]),
    );
    expect(h.port('ui_port')?.fill.peak).toBe(10);
    table.truncate(half);
    h.update();
    expect(h.port('ui_port')?.messages.length).toBe(early);
    expect(h.port('ui_port')?.messages.every((m) => m.recvIndex < half)).toBe(true);
  });
});
