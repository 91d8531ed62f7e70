import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../../core';
import { ColumnTrace } from '../../trace/TraceTable';
import type { Geometry } from './draw';
import { bandAt, bandsOf, FaultMarks } from './faultBands';
import { layoutLanes } from './lanes';

let seq = 0;
const ev = (t: number, body: TraceBody): TraceEvent => ({ ...body, seq: seq++, t, domain: 'cpuapp' });
const fault = (t: number, id: string) =>
  ev(t, { kind: 'fault', fault: id, what: 'doorbell-drop', target: 'app_to_rad', detail: 'lost' });

function table(): ColumnTrace {
  seq = 0;
  const t = new ColumnTrace();
  t.append(ev(0, { kind: 'note', text: 'boot' }));
  t.append(fault(1000, 'f1'));
  t.append(fault(1000.3, 'f1'));
  t.append(ev(2000, { kind: 'note', text: 'between' }));
  t.append(fault(5000, 'f2'));
  t.append(fault(20_000, 'f3'));
  return t;
}

/** 1 ns per pixel from x = 100, over [0, 10 µs). */
const geometry: Geometry = {
  width: 10_200,
  height: 100,
  plotLeft: 100,
  plotRight: 10_100,
  axisHeight: 24,
  layout: layoutLanes([], () => 0),
  startNs: 0,
  endNs: 10_000,
};

describe('fault bands on the timeline', () => {
  it('finds every fault event, extending as the trace grows and starting again when it is cut', () => {
    const t = table();
    const marks = new FaultMarks();
    expect(marks.sync(t)).toEqual([1, 2, 4, 5]);
    t.append(fault(30_000, 'f4'));
    expect(marks.sync(t)).toEqual([1, 2, 4, 5, 6]);
    t.truncate(3);
    expect(marks.sync(t)).toEqual([1, 2]);
  });

  it('draws a band per fault in the window, one for faults in the same pixel column, dimmed after the cursor', () => {
    const t = table();
    const bands = bandsOf(geometry, t, new FaultMarks().sync(t), 3);
    expect(bands.map((b) => [b.id, b.x, b.count, b.future])).toEqual([
      ['f1', 1100, 2, false],
      ['f2', 5100, 1, true],
    ]);
  });

  it('hits the nearest band within a few pixels', () => {
    const t = table();
    const bands = bandsOf(geometry, t, new FaultMarks().sync(t), 3);
    expect(bandAt(bands, 1103)?.id).toBe('f1');
    expect(bandAt(bands, 5096)?.index).toBe(4);
    expect(bandAt(bands, 3000)).toBeNull();
  });
});
