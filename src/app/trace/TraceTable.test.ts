import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../core';
import { ColumnTrace, kindIndex, LANES_PER_DOMAIN, TraceFlag } from './TraceTable';

let seq = 0;
const ev = (domain: string, t: number, body: TraceBody): TraceEvent => ({ ...body, seq: seq++, t, domain });
const decision = (domain: string, t: number, ran: string) =>
  ev(domain, t, { kind: 'decision', step: 0, pick: domain, candidates: [domain], ran });

describe('the debugger trace table', () => {
  it('puts each event in its domain lane of the context it ran in: irq, work queue or task', () => {
    seq = 0;
    const table = new ColumnTrace();
    table.append(decision('cpuapp', 0, 'irq:rad_to_app'));
    table.append(ev('cpuapp', 0, { kind: 'doorbell-delivered', channel: 'rad_to_app', coalesced: 0 }));
    table.append(decision('cpuapp', 2, 'work:ipc0/mbox_work'));
    table.append(
      ev('cpuapp', 2, { kind: 'transition', machine: 'icmsg', instance: 'ipc0', from: 'A', to: 'B', event: 'E' }),
    );
    table.append(decision('cpurad', 3, 'task:ipc0/ep0'));
    table.append(ev('cpurad', 3, { kind: 'note', text: 'x' }));
    expect(table.domains).toEqual(['cpuapp', 'cpurad']);
    expect(Array.from(table.lane.subarray(0, 6))).toEqual([0, 0, 1, 1, LANES_PER_DOMAIN + 2, LANES_PER_DOMAIN + 2]);
    expect(table.kind[3]).toBe(kindIndex('transition'));
  });

  it('puts libipc port and pool events in the task lane, even right after a doorbell (worker traces)', () => {
    seq = 0;
    const table = new ColumnTrace();
    table.append(ev('cpuapp', 0, { kind: 'doorbell-delivered', channel: 'libipc:cpurad->cpuapp', coalesced: 0 }));
    table.append(
      ev('cpuapp', 1, { kind: 'port', op: 'recv', port: 'ui_port', task: 'ui_task', owned: true, msgId: 3 }),
    );
    table.append(
      ev('cpuapp', 2, { kind: 'pool', op: 'free', pool: 'tiny', entry: 0, address: 0x2000, size: 16, task: 'ui_task' }),
    );
    expect(Array.from(table.lane.subarray(0, 3))).toEqual([0, 2, 2]);
    // A port send and receive are a message's two ends.
    expect((table.flags[1] ?? 0) & TraceFlag.receive).toBe(TraceFlag.receive);
  });

  it('flags problems, sends and receives, and keeps message ids (NaN when none)', () => {
    seq = 0;
    const table = new ColumnTrace();
    table.append(ev('a', 0, { kind: 'packet-written', region: 'r', offset: 0, length: 4, msgId: 7 }));
    table.append(ev('b', 1, { kind: 'packet-read', region: 'r', offset: 0, length: 4, msgId: 7 }));
    table.append(ev('b', 1, { kind: 'doorbell-lost', channel: 'c', reason: 'rx-disabled' }));
    table.append(ev('a', 2, { kind: 'api', call: 'ipc_service_send', instance: 'ipc0', result: 'ENOMEM' }));
    table.append(ev('a', 2, { kind: 'note', text: 'x' }));
    expect(Array.from(table.flags.subarray(0, 5))).toEqual([
      TraceFlag.send,
      TraceFlag.receive,
      TraceFlag.problem,
      TraceFlag.problem,
      0,
    ]);
    expect(table.msgId[1]).toBe(7);
    expect(Number.isNaN(table.msgId[4])).toBe(true);
  });

  it('finds events by sequence number and by time, and forgets a rewritten future', () => {
    seq = 0;
    const table = new ColumnTrace();
    for (let i = 0; i < 10; i++) table.append(ev('a', i * 10, { kind: 'note', text: String(i) }));
    expect(table.indexOfSeq(4)).toBe(4);
    expect(table.indexOfSeq(40)).toBe(-1);
    expect(table.indexAtTime(35)).toBe(4);
    const epoch = table.epoch;
    table.truncate(6);
    expect(table.length).toBe(6);
    expect(table.event(6)).toBeUndefined();
    expect(table.epoch).toBe(epoch + 1);
  });

  it('when full, evicts the oldest half and counts it, never silently', () => {
    seq = 0;
    const table = new ColumnTrace({ capacity: 1024 });
    for (let i = 0; i < 1025; i++) table.append(ev('a', i, { kind: 'note', text: '' }));
    expect(table.evicted).toBe(512);
    expect(table.length).toBe(513);
    expect(table.seq[0]).toBe(512);
    expect(table.event(0)?.seq).toBe(512);
    expect(table.indexOfSeq(1024)).toBe(512);
  });
});

describe('following a message', () => {
  it('lists the events that carry a message id, and forgets those cut off or evicted', () => {
    seq = 0;
    const table = new ColumnTrace({ capacity: 1024 });
    table.append(ev('a', 0, { kind: 'note', text: '' }));
    table.append(ev('a', 1, { kind: 'packet-written', region: 'r', offset: 0, length: 4, msgId: 9 }));
    table.append(ev('b', 2, { kind: 'packet-read', region: 'r', offset: 0, length: 4, msgId: 9 }));
    table.append(ev('b', 3, { kind: 'callback', instance: 'i', endpoint: 'e', callback: 'received', msgId: 9 }));
    expect(table.messageEvents(9)).toEqual([1, 2, 3]);
    expect(table.messageEvents(10)).toEqual([]);
    table.truncate(1);
    expect(table.messageEvents(9)).toEqual([]);
    table.append(ev('a', 4, { kind: 'packet-written', region: 'r', offset: 0, length: 4, msgId: 11 }));
    for (let i = 0; i < 1024; i++) table.append(ev('a', 5 + i, { kind: 'note', text: '' }));
    expect(table.evicted).toBe(512);
    expect(table.messageEvents(11)).toEqual([]);
  });
});
