import { describe, expect, it } from 'vitest';
import type { TraceBody } from '../../../core';
import { ColumnTrace } from '../../trace/TraceTable';
import { lastEventAtOrBefore, occupancyAt, occupancyBuckets } from './occupancy';
import { packetFootprint, packetHistoryOf, packetOrigins, readOf } from './packetHistory';

const A = 'sram_app_to_rad';
const B = 'sram_rad_to_app';

/** A table fed with `bodies`, one every 100 ns from t = 100, on cpuapp. */
function tableOf(bodies: readonly TraceBody[]): ColumnTrace {
  const table = new ColumnTrace();
  bodies.forEach((body, i) => table.append({ ...body, seq: i, t: (i + 1) * 100, domain: 'cpuapp' }));
  return table;
}

const write = (region: string, offset: number, length: number, msgId: number): TraceBody => ({
  kind: 'packet-written',
  region,
  offset,
  length,
  msgId,
});
const read = (region: string, offset: number, length: number, msgId: number | null): TraceBody => ({
  kind: 'packet-read',
  region,
  offset,
  length,
  msgId,
});
const note: TraceBody = { kind: 'note', text: 'something else' };

describe('packet footprint', () => {
  it('is the 4-byte header plus the payload, rounded up to 4', () => {
    expect([0, 1, 4, 5, 13, 16].map(packetFootprint)).toEqual([4, 8, 8, 12, 20, 20]);
  });
});

describe('packetOrigins', () => {
  // data[] of 56 bytes: #1 at 0 (13 B → 20), #2 at 20 (4 B → 8), read #1, #3 at 28, on B a #9 at 0.
  const bodies: TraceBody[] = [
    write(A, 0, 13, 1), // 0
    note, // 1
    write(A, 20, 4, 2), // 2
    write(B, 0, 8, 9), // 3
    read(A, 0, 13, 1), // 4
    write(A, 28, 16, 3), // 5
    read(A, 20, 4, 2), // 6
    write(A, 0, 5, 4), // 7: data[0] again, a later message at the same offset
  ];
  const table = tableOf(bodies);
  const history = packetHistoryOf(table);

  it('gives each packet in the ring the message of the latest write at its offset before the cursor', () => {
    const origins = packetOrigins(history.region(A), 6, [20, 28]);
    expect(origins.get(20)).toEqual({ msgId: 2, writtenAt: 2, length: 4 });
    expect(origins.get(28)).toEqual({ msgId: 3, writtenAt: 5, length: 16 });
  });

  it('follows the cursor back in time, where an older write is still in the ring', () => {
    expect(packetOrigins(history.region(A), 4, [0, 20]).get(0)).toEqual({ msgId: 1, writtenAt: 0, length: 13 });
    expect(packetOrigins(history.region(A), 8, [28, 0]).get(0)).toEqual({ msgId: 4, writtenAt: 7, length: 5 });
  });

  it('does not attribute a packet whose offset was read after its last write', () => {
    // At cursor 5, data[0] has been read (event 4): a packet the memory shows there is unknown to the trace.
    expect(packetOrigins(history.region(A), 5, [0]).get(0)).toEqual({ msgId: null, writtenAt: -1, length: null });
  });

  it('keeps regions apart and says unknown when the trace has nothing at an offset', () => {
    expect(packetOrigins(history.region(B), 8, [0]).get(0)?.msgId).toBe(9);
    expect(packetOrigins(history.region(B), 8, [12]).get(12)?.msgId).toBeNull();
    expect(packetOrigins(history.region('nowhere'), 8, [0]).get(0)?.msgId).toBeNull();
  });

  it('gives up after the scan limit instead of walking the whole trace', () => {
    const long = tableOf([write(A, 0, 4, 1), ...Array.from({ length: 50 }, (_, i) => write(A, 4 + 8 * i, 4, 100 + i))]);
    const packets = packetHistoryOf(long).region(A);
    expect(packetOrigins(packets, long.length, [0], 60).get(0)?.msgId).toBe(1);
    expect(packetOrigins(packets, long.length, [0], 10).get(0)?.msgId).toBeNull();
  });

  it('finds the read that takes a packet out: the first read at its offset after its write', () => {
    expect(readOf(history.region(A), 2, 20)).toBe(6);
    expect(readOf(history.region(A), 0, 0)).toBe(4);
    expect(readOf(history.region(A), 5, 28)).toBe(-1); // not read yet
    expect(readOf(history.region(A), 7, 0)).toBe(-1); // the read at data[0] came before this write
  });
});

describe('packet history', () => {
  it('reads only what was appended, and starts over when the table is rewritten', () => {
    const table = tableOf([write(A, 0, 4, 1)]);
    expect(packetHistoryOf(table).region(A).count).toBe(1);
    table.append({ ...write(A, 8, 4, 2), seq: 1, t: 200, domain: 'cpuapp' });
    expect(packetHistoryOf(table).region(A).count).toBe(2);
    // A fork: the table keeps its first event and takes a different future.
    table.truncate(1);
    table.append({ ...read(A, 0, 4, 1), seq: 1, t: 200, domain: 'cpurad' });
    const packets = packetHistoryOf(table).region(A);
    expect(packets.count).toBe(2);
    expect(Array.from(packets.written.subarray(0, 2))).toEqual([1, 0]);
    table.clear();
    expect(packetHistoryOf(table).region(A).count).toBe(0);
  });
});

describe('occupancy', () => {
  const table = tableOf([
    write(A, 0, 13, 1), // t 100: 20
    write(A, 20, 4, 2), // t 200: 28
    note, // t 300
    read(A, 0, 13, 1), // t 400: 8
    write(A, 28, 16, 3), // t 500: 28
    read(A, 20, 4, 2), // t 600: 20
    read(A, 28, 16, 3), // t 700: 0
  ]);
  const packets = packetHistoryOf(table).region(A);

  it('counts the bytes in use after each write and read', () => {
    expect(Array.from(packets.inUse.subarray(0, packets.count))).toEqual([20, 28, 8, 28, 20, 0]);
    expect([50, 100, 350, 400, 699, 700, 10_000].map((t) => occupancyAt(packets, t))).toEqual([0, 20, 28, 8, 20, 0, 0]);
  });

  it('never goes below empty when a write is missing from the trace', () => {
    const partial = packetHistoryOf(tableOf([read(A, 0, 13, 1), write(A, 20, 4, 2)])).region(A);
    expect(Array.from(partial.inUse.subarray(0, partial.count))).toEqual([0, 8]);
  });

  it('aggregates per pixel: min and max over each bucket, with the value carried in', () => {
    // 4 buckets of 200 ns over [0, 800): [0,200) [200,400) [400,600) [600,800]
    const b = occupancyBuckets(packets, 0, 800, 4);
    expect(Array.from(b.min)).toEqual([0, 20, 8, 0]);
    expect(Array.from(b.max)).toEqual([20, 28, 28, 28]); // the last bucket carries 28 in from t 500
    expect(Array.from(b.last)).toEqual([20, 28, 28, 0]);
    expect(b.peak).toBe(28);
  });

  it('carries the value into a window that starts after the last change', () => {
    const b = occupancyBuckets(packets, 210, 290, 2);
    expect(Array.from(b.min)).toEqual([28, 28]);
    expect(Array.from(b.max)).toEqual([28, 28]);
  });

  it('reads each event once however many are in a bucket', () => {
    const many = tableOf(
      Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? write(A, 0, 4, i) : read(A, 0, 4, i - 1))),
    );
    const b = occupancyBuckets(packetHistoryOf(many).region(A), 0, 1_000_100, 10);
    expect(Array.from(b.max)).toEqual(Array.from({ length: 10 }, () => 8));
    expect(b.last[9]).toBe(0);
  });

  it('maps a time back to the last event at or before it', () => {
    expect(lastEventAtOrBefore(table, 50)).toBe(-1);
    expect(lastEventAtOrBefore(table, 100)).toBe(0);
    expect(lastEventAtOrBefore(table, 450)).toBe(3);
    expect(lastEventAtOrBefore(table, 9_999)).toBe(6);
  });
});
