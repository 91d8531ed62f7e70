import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../../core';
import { ColumnTrace } from '../../trace/TraceTable';
import { AnomalyIndex, anomalyOf, regionNamed } from './anomalies';

let seq = 0;
const ev = (domain: string, body: TraceBody): TraceEvent => ({ ...body, seq: seq++, t: seq * 1000, domain });

const REGIONS = [
  { name: 'sram_app_to_rad', offset: 0, size: 256 },
  { name: 'sram_rad_to_app', offset: 256, size: 256 },
];

function table(): ColumnTrace {
  seq = 0;
  const t = new ColumnTrace();
  t.append(ev('cpuapp', { kind: 'note', text: 'boot' }));
  t.append(ev('cpuapp', { kind: 'packet-written', region: 'sram_app_to_rad', offset: 0, length: 5, msgId: 1 }));
  t.append(
    ev('cpurad', {
      kind: 'violation',
      rule: 'delivered-once',
      severity: 'error',
      where: 'sram_app_to_rad',
      message: 'message #1 was never delivered',
      firstSeq: 1,
    }),
  );
  t.append(ev('cpurad', { kind: 'anomaly', where: 'cpurad/ipc0', message: 'rx while unbound' }));
  t.append(ev('cpuapp', { kind: 'assert', where: 'pbuf_write', message: 'len > 0', halted: false }));
  t.append(ev('cpuapp', { kind: 'memory-fault', access: 'write', offset: 300, length: 4, inBounds: 0 }));
  t.append(ev('cpuapp', { kind: 'fault', fault: 'f1', what: 'doorbell-drop', target: 'app_to_rad', detail: 'lost' }));
  return t;
}

describe('the anomaly list', () => {
  it('has a row per violation, anomaly, assert and memory fault, in trace order', () => {
    const t = table();
    expect(Array.from(new AnomalyIndex().update(t))).toEqual([2, 3, 4, 5]);
  });

  it('takes a violation’s severity, rule and first event; anomalies warn, asserts and memory faults are errors', () => {
    const t = table();
    const rows = [2, 3, 4, 5].map((i) => {
      const e = t.event(i);
      return e ? anomalyOf(e, REGIONS) : null;
    });
    expect(rows[0]).toMatchObject({
      severity: 'error',
      what: 'delivered-once',
      where: 'sram_app_to_rad',
      firstSeq: 1,
      region: 'sram_app_to_rad',
    });
    expect(rows[1]).toMatchObject({ severity: 'warning', what: 'anomaly', firstSeq: 3, region: null });
    expect(rows[2]).toMatchObject({ severity: 'error', what: '__ASSERT', where: 'pbuf_write' });
    // A memory fault points at the region its offset falls in.
    expect(rows[3]).toMatchObject({ severity: 'error', what: 'memory-fault', region: 'sram_rad_to_app' });
  });

  it('has no row for other events', () => {
    const t = table();
    const fault = t.event(6);
    expect(fault && anomalyOf(fault, REGIONS)).toBeNull();
  });

  it('extends as the trace grows, and starts again when held events change', () => {
    const t = table();
    const index = new AnomalyIndex();
    index.update(t);
    t.append(ev('cpurad', { kind: 'anomaly', where: 'x', message: 'y' }));
    expect(Array.from(index.update(t))).toEqual([2, 3, 4, 5, 7]);
    t.truncate(4);
    expect(Array.from(index.update(t))).toEqual([2, 3]);
  });

  it('finds a region named in `where`, alone or among other words', () => {
    expect(regionNamed('sram_rad_to_app', REGIONS)).toBe('sram_rad_to_app');
    expect(regionNamed('cpuapp/ipc0 sram_app_to_rad', REGIONS)).toBe('sram_app_to_rad');
    expect(regionNamed('cpuapp/ipc0', REGIONS)).toBeNull();
  });
});
