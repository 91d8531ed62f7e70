import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../../core';
import { NO_FILTER } from '../../store/viewSlice';
import { ColumnTrace } from '../../trace/TraceTable';
import { FilterIndex } from './eventFilter';

let seq = 0;
const ev = (domain: string, body: TraceBody): TraceEvent => ({ ...body, seq: seq++, t: seq, domain });

function table(): ColumnTrace {
  seq = 0;
  const t = new ColumnTrace();
  t.append(
    ev('cpuapp', { kind: 'api', call: 'ipc_service_send', instance: 'ipc0', endpoint: 'ep0', result: 5, msgId: 3 }),
  );
  t.append(
    ev('cpurad', { kind: 'callback', instance: 'ipc0', endpoint: 'ep0', callback: 'received', length: 5, msgId: 3 }),
  );
  t.append(ev('cpurad', { kind: 'doorbell-lost', channel: 'app_to_rad', reason: 'rx-disabled' }));
  t.append(ev('cpuapp', { kind: 'transition', machine: 'icmsg', instance: 'ipc0', from: 'A', to: 'B', event: 'E' }));
  return t;
}

describe('the event list filter', () => {
  it('passes everything with no filter, and extends as the trace grows', () => {
    const t = table();
    const f = new FilterIndex();
    expect(Array.from(f.update(t, NO_FILTER))).toEqual([0, 1, 2, 3]);
    t.append(ev('cpuapp', { kind: 'note', text: 'more' }));
    expect(Array.from(f.update(t, NO_FILTER))).toEqual([0, 1, 2, 3, 4]);
  });

  it('filters by domain, by kind, by endpoint (its instance transitions included) and by text', () => {
    const t = table();
    const f = new FilterIndex();
    expect(Array.from(f.update(t, { ...NO_FILTER, domains: ['cpurad'] }))).toEqual([1, 2]);
    expect(Array.from(f.update(t, { ...NO_FILTER, kinds: ['doorbell-lost'] }))).toEqual([2]);
    expect(Array.from(f.update(t, { ...NO_FILTER, endpoints: ['cpuapp/ipc0/ep0'] }))).toEqual([0, 3]);
    expect(Array.from(f.update(t, { ...NO_FILTER, text: 'LOST' }))).toEqual([2]);
  });
});
