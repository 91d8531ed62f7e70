import { describe, expect, it } from 'vitest';
import { LIBIPC_POWER_OFF_RESET, LIBIPC_PROTO_STALE, LIBIPC_UI_POLLING, type TraceEvent } from '../../core';
import { runPreset } from '../testing/presetTrace';
import { ColumnTrace } from '../trace/TraceTable';
import { PortActivity, protoSeqOf } from './portActivity';

const port = (e: TraceEvent | undefined) => (e?.kind === 'port' ? e : null);

describe('PortActivity', () => {
  it('counts each task’s sends, receives, routed commands and failures before the cursor', () => {
    const { table } = runPreset(LIBIPC_PROTO_STALE);
    const activity = new PortActivity().sync(table);
    const end = table.length;
    expect(activity.count('refresh_task', 'sent', end)).toBe(3);
    expect(activity.count('nfc_task', 'sent', end)).toBe(2);
    expect(activity.count('nfc_task', 'routed', end)).toBe(2);
    expect(activity.count('key_manager_task', 'received', end)).toBe(5);
    // nfc_task's seq 1 timed out; key_manager_task's late answer to it was dropped as stale.
    expect(activity.count('nfc_task', 'problems', end)).toBe(1);
    expect(activity.count('key_manager_task', 'problems', end)).toBe(1);
    // At the first receive only refresh_task's three sends had happened.
    const firstRecv = [...Array(end).keys()].find((i) => port(table.event(i))?.op === 'recv') ?? -1;
    expect(activity.count('refresh_task', 'sent', firstRecv)).toBe(3);
    expect(activity.count('key_manager_task', 'received', firstRecv)).toBe(0);
  });

  it('spans a blocked send from its send-blocked to the send that got a slot', () => {
    const { table } = runPreset(LIBIPC_UI_POLLING);
    const spans = new PortActivity().sync(table).spans();
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) {
      expect(port(table.event(s.start))).toMatchObject({ op: 'send-blocked', task: s.task, port: s.port });
      if (s.end < 0) continue;
      expect(s.end).toBeGreaterThan(s.start);
      expect(s.outcome).toBe('sent');
      expect(port(table.event(s.end))).toMatchObject({ op: 'send', task: s.task, port: s.port });
    }
  });

  it('ends a wait at a timeout, and a wait its device reset under it at the reset', () => {
    const { table } = runPreset(LIBIPC_POWER_OFF_RESET, 600);
    const spans = new PortActivity().sync(table).spans();
    const timeout = spans.find((s) => s.outcome === 'timeout');
    expect(timeout?.task).toBe('power_timer');
    expect(port(table.event(timeout?.end ?? -1))?.op).toBe('send-timeout');
    const reset = spans.find((s) => s.outcome === 'reset');
    expect(reset?.task).toBe('log_task');
    expect(table.event(reset?.end ?? -1)).toMatchObject({ kind: 'domain', status: 'reset' });
  });

  it('reads appended events only, and starts over when the table is cut back', () => {
    const { events } = runPreset(LIBIPC_PROTO_STALE);
    const table = new ColumnTrace();
    const activity = new PortActivity();
    const half = Math.floor(events.length / 2);
    events.slice(0, half).forEach((e) => table.append(e));
    const early = activity.sync(table).count('key_manager_task', 'received', table.length);
    events.slice(half).forEach((e) => table.append(e));
    expect(activity.sync(table).count('key_manager_task', 'received', table.length)).toBe(5);
    table.truncate(half);
    expect(activity.sync(table).count('key_manager_task', 'received', table.length)).toBe(early);
  });
});

describe('protoSeqOf', () => {
  it('reads the proto sequence number from its field, or from the detail of an older trace', () => {
    const base = { kind: 'port', port: 'p', task: 't', owned: false, seq: 40, t: 0, domain: 'mcu' } as const;
    expect(protoSeqOf({ ...base, op: 'proto-timeout', protoSeq: 3, detail: 'no response for seq 3' })).toBe(3);
    expect(protoSeqOf({ ...base, op: 'proto-stale', detail: 'Dropping stale proto response seq 7' })).toBe(7);
    expect(protoSeqOf({ ...base, op: 'recv' })).toBeNull();
  });

  it('gives the seq of each step of the proto path', () => {
    const { events } = runPreset(LIBIPC_PROTO_STALE);
    const seqs = events.flatMap((e) => (e.kind === 'port' ? [[e.op, protoSeqOf(e)] as const] : []));
    expect(seqs.filter(([op]) => op === 'proto-route').map(([, s]) => s)).toEqual([1, 2]);
    expect(seqs.find(([op]) => op === 'proto-stale')?.[1]).toBe(1);
    expect(seqs.find(([op]) => op === 'send')?.[1]).toBeNull();
  });
});
