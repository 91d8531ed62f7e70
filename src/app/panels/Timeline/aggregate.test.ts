import { describe, expect, it } from 'vitest';
import { LIBIPC_PROTO_STALE } from '../../../core';
import { runPreset } from '../../testing/presetTrace';
import { kindIndex, TraceFlag } from '../../trace/TraceTable';
import {
  aggregate,
  AggregateBuffers,
  type AggregateRequest,
  categoryOf,
  cellOf,
  type Columns,
  pickCell,
  priorityOf,
  Priority,
} from './aggregate';

interface Row {
  t: number;
  lane: number;
  kind: Parameters<typeof kindIndex>[0];
  flags?: number;
  msgId?: number;
}

function columnsOf(rows: readonly Row[]): Columns {
  return {
    t: Float64Array.from(rows, (r) => r.t),
    lane: Uint16Array.from(rows, (r) => r.lane),
    kind: Uint8Array.from(rows, (r) => kindIndex(r.kind)),
    flags: Uint8Array.from(rows, (r) => r.flags ?? 0),
    msgId: Float64Array.from(rows, (r) => r.msgId ?? NaN),
  };
}

/** 100 columns over 0–1000 ns: one column per 10 ns. */
const request = (rows: readonly Row[], over: Partial<AggregateRequest> = {}): AggregateRequest => ({
  from: 0,
  to: rows.length,
  split: rows.length,
  startNs: 0,
  endNs: 1000,
  columns: 100,
  lanes: 6,
  arrowCap: 100,
  ...over,
});

describe('priorityOf', () => {
  it('ranks the categories problem > transition > message > other', () => {
    const problem = priorityOf(kindIndex('doorbell-lost'), TraceFlag.problem, NaN);
    const transition = priorityOf(kindIndex('transition'), 0, NaN);
    const message = priorityOf(kindIndex('packet-written'), TraceFlag.send, 7);
    const other = priorityOf(kindIndex('doorbell-rung'), 0, NaN);
    expect([problem, transition, message, other].map(categoryOf)).toEqual([
      'problem',
      'transition',
      'message',
      'other',
    ]);
    expect(problem).toBeGreaterThan(transition);
    expect(transition).toBeGreaterThan(message);
    expect(message).toBeGreaterThan(other);
  });

  it('ranks a send call carrying a message id as a message, and one that returned an errno as a problem', () => {
    const api = kindIndex('api');
    expect(categoryOf(priorityOf(api, 0, NaN))).toBe('other');
    expect(categoryOf(priorityOf(api, 0, 12))).toBe('message');
    expect(categoryOf(priorityOf(api, TraceFlag.problem, NaN))).toBe('problem');
  });

  it('ranks libipc failures (timeout, stale response, reset) as problems, above the message they carry', () => {
    const { table } = runPreset(LIBIPC_PROTO_STALE);
    const ops = new Map<string, number>();
    for (let i = 0; i < table.length; i++) {
      const e = table.event(i);
      if (e?.kind !== 'port') continue;
      ops.set(
        e.op,
        Math.max(ops.get(e.op) ?? 0, priorityOf(table.kind[i] ?? 0, table.flags[i] ?? 0, table.msgId[i] ?? NaN)),
      );
    }
    expect(categoryOf(ops.get('proto-stale') ?? 0)).toBe('problem');
    expect(categoryOf(ops.get('proto-timeout') ?? 0)).toBe('problem');
    expect(categoryOf(ops.get('send') ?? 0)).toBe('message');
    const reset = priorityOf(kindIndex('port'), TraceFlag.problem, 8);
    expect(reset).toBeGreaterThan(priorityOf(kindIndex('port'), TraceFlag.send, 8));
  });

  it('ranks a trace gap above every other problem', () => {
    const gap = priorityOf(kindIndex('trace-gap'), TraceFlag.problem, NaN);
    for (const kind of ['assert', 'anomaly', 'doorbell-lost', 'api'] as const) {
      expect(gap).toBeGreaterThan(priorityOf(kindIndex(kind), TraceFlag.problem, NaN));
    }
    expect(gap).toBe(Priority.gap);
  });
});

describe('aggregate', () => {
  it('keeps one mark per lane and pixel column: the most important event in it', () => {
    const rows: Row[] = [
      { t: 101, lane: 1, kind: 'decision' },
      { t: 102, lane: 1, kind: 'packet-written', flags: TraceFlag.send, msgId: 3 },
      { t: 103, lane: 1, kind: 'doorbell-lost', flags: TraceFlag.problem },
      { t: 104, lane: 1, kind: 'transition' },
    ];
    const agg = aggregate(columnsOf(rows), request(rows));
    const cell = cellOf(agg, 0, 1, 10);
    expect(agg.index[cell]).toBe(2);
    expect(categoryOf((agg.rank[cell] ?? 0) - 1)).toBe('problem');
    const marks = Array.from(agg.rank).filter((r) => r !== 0);
    expect(marks).toHaveLength(1);
  });

  it('keeps the first event when several of the same priority share a pixel', () => {
    const rows: Row[] = [
      { t: 500, lane: 0, kind: 'transition' },
      { t: 505, lane: 0, kind: 'transition' },
    ];
    const agg = aggregate(columnsOf(rows), request(rows));
    expect(agg.index[cellOf(agg, 0, 0, 50)]).toBe(0);
  });

  it('keeps lanes apart: the same pixel column in two lanes holds two marks', () => {
    const rows: Row[] = [
      { t: 300, lane: 0, kind: 'decision' },
      { t: 301, lane: 4, kind: 'decision' },
    ];
    const agg = aggregate(columnsOf(rows), request(rows));
    expect(agg.index[cellOf(agg, 0, 0, 30)]).toBe(0);
    expect(agg.index[cellOf(agg, 0, 4, 30)]).toBe(1);
  });

  it('puts events at or after the split index in the future layer', () => {
    const rows: Row[] = [
      { t: 200, lane: 2, kind: 'decision' },
      { t: 200, lane: 2, kind: 'transition' },
    ];
    const agg = aggregate(columnsOf(rows), request(rows, { split: 1 }));
    expect(agg.index[cellOf(agg, 0, 2, 20)]).toBe(0);
    expect(agg.index[cellOf(agg, 1, 2, 20)]).toBe(1);
  });

  it('ignores and does not count events outside the window or the index range', () => {
    const rows: Row[] = [
      { t: -5, lane: 0, kind: 'decision' },
      { t: 10, lane: 0, kind: 'decision' },
      { t: 1000, lane: 0, kind: 'decision' },
      { t: 20, lane: 0, kind: 'decision' },
    ];
    const agg = aggregate(columnsOf(rows), request(rows, { to: 3 }));
    expect(agg.visible).toBe(1);
    expect(Array.from(agg.rank).filter((r) => r !== 0)).toHaveLength(1);
  });

  it('counts every visible send and receive but keeps only the first arrowCap of them', () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({
      t: i * 50,
      lane: i % 2 === 0 ? 2 : 4,
      kind: i % 2 === 0 ? 'packet-written' : 'packet-read',
      flags: i % 2 === 0 ? TraceFlag.send : TraceFlag.receive,
      msgId: Math.floor(i / 2),
    }));
    const agg = aggregate(columnsOf(rows), request(rows, { arrowCap: 4 }));
    expect(agg.ends).toBe(10);
    expect(Array.from(agg.arrowEnds)).toEqual([0, 1, 2, 3]);
  });

  it('reuses its buffers from frame to frame and clears the marks of the previous frame', () => {
    const buffers = new AggregateBuffers();
    const rows: Row[] = [{ t: 1, lane: 0, kind: 'decision' }];
    const first = aggregate(columnsOf(rows), request(rows), buffers);
    const second = aggregate(columnsOf([]), request([]), buffers);
    expect(second.rank.buffer).toBe(first.rank.buffer);
    expect(Array.from(second.rank).every((r) => r === 0)).toBe(true);
  });
});

describe('pickCell', () => {
  const rows: Row[] = [
    { t: 100, lane: 1, kind: 'decision' },
    { t: 130, lane: 1, kind: 'transition' },
  ];
  const agg = aggregate(columnsOf(rows), request(rows));

  it('finds the nearest mark within the radius in the lane', () => {
    expect(pickCell(agg, 1, 11, 4)).toBe(0);
    expect(pickCell(agg, 1, 12, 4)).toBe(1);
  });

  it('finds nothing beyond the radius or in another lane', () => {
    expect(pickCell(agg, 1, 20, 4)).toBe(-1);
    expect(pickCell(agg, 0, 10, 4)).toBe(-1);
  });
});
