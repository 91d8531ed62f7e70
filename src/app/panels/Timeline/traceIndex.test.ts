import { describe, expect, it } from 'vitest';
import type { TraceBody } from '../../../core';
import { ColumnTrace } from '../../trace/TraceTable';
import { TraceIndex } from './traceIndex';

const write = (msgId: number): TraceBody => ({ kind: 'packet-written', region: 'tx', offset: 0, length: 4, msgId });
const read = (msgId: number | null): TraceBody => ({ kind: 'packet-read', region: 'tx', offset: 0, length: 4, msgId });
const note: TraceBody = { kind: 'note', text: 'n' };

function append(table: ColumnTrace, domain: string, bodies: readonly TraceBody[]): void {
  for (const body of bodies) {
    const i = table.length + table.evicted;
    table.append({ ...body, seq: i, t: (i + 1) * 10, domain });
  }
}

describe('TraceIndex', () => {
  it('finds both ends of a message by its id', () => {
    const table = new ColumnTrace();
    append(table, 'cpuapp', [write(1), note]);
    append(table, 'cpurad', [read(1)]);
    const index = new TraceIndex();
    index.sync(table);
    expect(index.message(1)).toEqual({ send: 0, receive: 2 });
    expect(index.message(2)).toEqual({ send: -1, receive: -1 });
  });

  it('indexes appended events without rebuilding, and counts events per lane', () => {
    const table = new ColumnTrace();
    append(table, 'cpuapp', [write(1)]);
    const index = new TraceIndex();
    expect(index.sync(table)).toBe(true);
    append(table, 'cpurad', [read(1), note]);
    expect(index.sync(table)).toBe(false);
    expect(index.message(1).receive).toBe(1);
    expect(index.count(table.lane[0] ?? -1)).toBe(1);
    expect(index.count(table.lane[1] ?? -1)).toBe(2);
  });

  it('rebuilds after a truncation, forgetting events no longer held', () => {
    const table = new ColumnTrace();
    append(table, 'cpuapp', [write(1), note, note]);
    append(table, 'cpurad', [read(1)]);
    const index = new TraceIndex();
    index.sync(table);
    table.truncate(1);
    append(table, 'cpuapp', [note, note, note]);
    expect(index.sync(table)).toBe(true);
    expect(index.message(1)).toEqual({ send: 0, receive: -1 });
  });

  it('rebuilds after the oldest events were evicted, with indices shifted', () => {
    const table = new ColumnTrace({ capacity: 1024 });
    append(
      table,
      'cpuapp',
      Array.from({ length: 1000 }, () => note),
    );
    const index = new TraceIndex();
    index.sync(table);
    append(table, 'cpuapp', [write(7), ...Array.from({ length: 30 }, () => note)]);
    expect(table.evicted).toBeGreaterThan(0);
    expect(index.sync(table)).toBe(true);
    expect(index.message(7).send).toBe(1000 - table.evicted);
  });
});
