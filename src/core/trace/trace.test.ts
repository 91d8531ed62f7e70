import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../utf8';
import { TraceDecoder, TraceEncoder } from './codec';
import type { TraceBody } from './events';
import { initRing, RingReader, ringWords, RingWriter } from './ring';
import { SeqMerger } from './SeqMerger';
import { TraceStore } from './TraceStore';

const SAMPLES: TraceBody[] = [
  { kind: 'decision', step: 7, pick: 'cpuapp', candidates: ['cpuapp', 'cpurad'], ran: 'irq:app_to_rad' },
  {
    kind: 'api',
    call: 'ipc_service_send',
    instance: 'ipc0',
    endpoint: 'ep0',
    result: 16,
    msgId: 0x1_0000_0005,
    length: 16,
  },
  { kind: 'api', call: 'ipc_service_send', instance: 'ipc0', result: 'ENOMEM' },
  {
    kind: 'transition',
    machine: 'icmsg',
    instance: 'ipc0',
    from: 'OFF',
    to: 'INITIALIZING_SID_ENABLED',
    event: 'OPEN',
  },
  { kind: 'packet-written', region: 'sram_tx', offset: 40, length: 13, msgId: 3 },
  { kind: 'packet-read', region: 'sram_tx', offset: 40, length: 13, msgId: null },
  { kind: 'packet-dropped', region: 'sram_rx', length: 4, msgId: null, reason: 'the session changed' },
  { kind: 'doorbell-rung', channel: 'app_to_rad', to: 'cpurad', result: 0 },
  { kind: 'doorbell-delivered', channel: 'app_to_rad', coalesced: 2 },
  { kind: 'doorbell-lost', channel: 'app_to_rad', reason: 'rx-disabled' },
  { kind: 'callback', instance: 'ipc0', endpoint: 'ep0', callback: 'received', length: 8, msgId: null },
  { kind: 'callback', instance: 'ipc0', endpoint: 'ep0', callback: 'error', message: 'Incorrect Tx configuration' },
  { kind: 'anomaly', where: 'icmsg ipc0', message: 'send() while DISCONNECTED returns 4 and drops the data' },
  { kind: 'assert', where: 'icmsg ipc0', message: 'too big: ümlaut ✓ 🚀', halted: true },
  { kind: 'work', item: 'ipc0/mbox_work', phase: 'run' },
  { kind: 'task', task: 'ipc0/ep0', phase: 'blocked' },
  { kind: 'memory-fault', access: 'write', offset: 4090, length: 200, inBounds: 6 },
  { kind: 'note', text: 'boot' },
  { kind: 'domain', status: 'crashed', message: 'RangeError: oops' },
  { kind: 'trace-gap', lost: 12, reason: 'ring full' },
  { kind: 'blocks', instance: 'ipc0', region: 'sram_tx', use: 'data', first: 3, count: 2, endpoint: 'hci', msgId: 9 },
  { kind: 'blocks', instance: 'ipc0', region: 'sram_rx', use: 'free', first: 0, count: 1 },
  { kind: 'fault', fault: 'f1', what: 'doorbell-drop', target: 'app_to_rad', detail: 'dropped 1 doorbell' },
  {
    kind: 'violation',
    rule: 'delivered-once',
    severity: 'error',
    where: 'cpuapp/ipc0/ep0',
    message: 'lost',
    firstSeq: 4,
  },
  { kind: 'violation', rule: 'blocks-leaked', severity: 'warning', where: 'sram_tx', message: 'leak' },
];

describe('trace records as words', () => {
  it('round-trips every kind of event, strings defined once', () => {
    const encoder = new TraceEncoder();
    const decoder = new TraceDecoder();
    const words: number[] = [];
    SAMPLES.forEach((body, i) => encoder.encode(body, 100 + i, 1_000_000_000_123 + i, words));
    const decoded: unknown[] = [];
    for (let at = 0; at < words.length;) {
      const len = TraceDecoder.recordLength(words[at] ?? 0);
      const record = decoder.decode(words.slice(at, at + len));
      if (record && 'body' in record) decoded.push({ seq: record.seq, t: record.t, ...record.body });
      at += len;
    }
    expect(decoded).toEqual(SAMPLES.map((body, i) => ({ seq: 100 + i, t: 1_000_000_000_123 + i, ...body })));
    // 'ipc0' appears in many events, defined once.
    const again: number[] = [];
    encoder.encode({ kind: 'work', item: 'ipc0/mbox_work', phase: 'run' }, 1, 1, again);
    expect(again).toHaveLength(4 + 2);
  });

  it('encodes UTF-8 as the platform does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(encodeUtf8(s)).toEqual(new TextEncoder().encode(s));
        expect(decodeUtf8(encodeUtf8(s))).toBe(s);
      }),
    );
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x82))).toBe(new TextDecoder().decode(Uint8Array.of(0xe2, 0x82)));
  });
});

describe('the shared-memory trace ring', () => {
  it('passes records whole, wraps, and counts what did not fit', () => {
    const words = new Int32Array(new SharedArrayBuffer(ringWords(64) * 4));
    initRing(words);
    const writer = new RingWriter(words);
    const reader = new RingReader(words);
    const got: number[][] = [];
    const take = () =>
      reader.drain(
        (h) => h & 0xff,
        (r, n) => got.push([...r.subarray(0, n)]),
      );
    for (let round = 0; round < 20; round++) {
      const record = [5, round, round + 1, round + 2, round + 3];
      expect(writer.fits(5)).toBe(true);
      writer.write(record, 5);
      take();
    }
    expect(got).toHaveLength(20);
    expect(got[19]).toEqual([5, 19, 20, 21, 22]);
    for (let i = 0; i < 20; i++)
      if (writer.fits(5)) writer.write([5, 0, 0, 0, 0], 5);
      else writer.drop();
    expect(reader.takeDropped()).toBe(8);
    const before = got.length;
    expect(take()).toBe(true); // emptied
    expect(got.length - before).toBe(12);
  });
});

describe('merging domains back into one order', () => {
  it('releases records in sequence order however the rings interleave', () => {
    const merger = new SeqMerger<string>(100);
    const out: string[] = [];
    const gaps: number[] = [];
    for (const seq of [2, 0, 3, 1, 5]) merger.add(seq, `r${seq}`);
    merger.release(
      (item) => out.push(item),
      (lost) => gaps.push(lost),
    );
    expect(out).toEqual(['r0', 'r1', 'r2', 'r3']);
    merger.add(4, 'r4');
    merger.release(
      (item) => out.push(item),
      (lost) => gaps.push(lost),
    );
    expect(out.slice(4)).toEqual(['r4', 'r5']);
    expect(gaps).toEqual([]);
  });

  it('gives missing numbers up only below the horizon it is given, and refuses them if they come later', () => {
    const merger = new SeqMerger<number>();
    const out: number[] = [];
    const gaps: number[] = [];
    const release = (horizon?: number) =>
      merger.release(
        (item) => out.push(item),
        (lost) => gaps.push(lost),
        horizon,
      );
    for (const seq of [2, 3, 5]) merger.add(seq, seq);
    release();
    expect([out, gaps]).toEqual([[], []]); // 0 and 1 may still come
    release(1);
    expect([out, gaps, merger.next]).toEqual([[], [1], 1]); // 0 is lost, 1 may still come
    release(4);
    expect([out, gaps, merger.next]).toEqual([[2, 3], [1, 1], 4]); // so is 1; 4 may still come
    expect(merger.add(0, 0)).toBe(false);
    expect(merger.late).toBe(1);
    release(Infinity); // the run is over: nothing more will come
    expect([out, gaps]).toEqual([
      [2, 3, 5],
      [1, 1, 1],
    ]);
  });

  it('gives the oldest missing numbers up once too many records wait (a memory bound)', () => {
    const merger = new SeqMerger<number>(3);
    const out: number[] = [];
    const gaps: number[] = [];
    for (const seq of [2, 3, 4]) merger.add(seq, seq);
    merger.release(
      (item) => out.push(item),
      (lost) => gaps.push(lost),
    );
    expect([out, gaps]).toEqual([[2, 3, 4], [2]]);
  });

  it('counts numbers below the horizon as lost even when nothing waits after them', () => {
    const merger = new SeqMerger<number>();
    const gaps: number[] = [];
    merger.release(
      () => undefined,
      (lost) => gaps.push(lost),
      3,
    );
    expect([gaps, merger.next]).toEqual([[3], 3]);
  });
});

describe('the columnar flight recorder', () => {
  function filled(capacity: number, events: number, wordsPerEvent = 16) {
    const store = new TraceStore({ capacity, wordsPerEvent });
    const encoder = new TraceEncoder();
    const d = store.domainIndex('cpuapp');
    const decoder = store.decoderFor(d);
    for (let i = 0; i < events; i++) {
      const words: number[] = [];
      const body: TraceBody = { kind: 'packet-written', region: `r${i % 3}`, offset: i * 4, length: 8, msgId: i };
      let at = 0;
      const head = encoder.encode(body, i, i * 1000, words);
      for (; at < head; at += TraceDecoder.recordLength(words[at] ?? 0)) decoder.decode(words.slice(at));
      store.append(d, words.slice(head), words.length - head, i, i * 1000, body);
    }
    return store;
  }

  it('keeps events in typed columns and decodes one on demand', () => {
    const store = filled(100, 10);
    expect(store.length).toBe(10);
    expect(store.get(3)).toEqual({
      kind: 'packet-written',
      region: 'r0',
      offset: 12,
      length: 8,
      msgId: 3,
      seq: 3,
      t: 3000,
      domain: 'cpuapp',
    });
    expect([...store.msgId.subarray(0, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('overwrites the oldest events when full and counts them', () => {
    const store = filled(50, 180);
    expect(store.length).toBeLessThanOrEqual(50);
    expect(store.overwritten).toBe(180 - store.length);
    expect(store.get(store.length - 1)?.seq).toBe(179);
    const seqs = Array.from({ length: store.length }, (_, i) => store.get(i)?.seq);
    expect(seqs).toEqual(Array.from({ length: store.length }, (_, i) => 180 - store.length + i));
  });

  it('starts afresh when cleared, and counts a record larger than the whole arena as refused', () => {
    const store = filled(50, 180);
    store.clear();
    expect([store.length, store.overwritten, store.domainIndex('cpurad')]).toEqual([0, 0, 0]);
    store.append(0, new Int32Array(50 * 16 + 1), 50 * 16 + 1, 0, 0, { kind: 'work', item: 'x', phase: 'run' });
    expect([store.length, store.refused]).toEqual([0, 1]);
  });

  it('stays consistent when the word arena, not the event count, is the limit', () => {
    const store = filled(1000, 1000, 8); // room for 8 words per event on average; records need 9
    expect(store.overwritten).toBeGreaterThan(0);
    const seqs = Array.from({ length: store.length }, (_, i) => store.get(i)?.seq);
    expect(seqs).toEqual(Array.from({ length: store.length }, (_, i) => 1000 - store.length + i));
  });
});
