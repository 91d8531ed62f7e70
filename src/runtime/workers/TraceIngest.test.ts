/**
 * The host's trace ingest, without threads: records written into the control memory's rings as a
 * domain would, some of them missing or late, and what the store then holds.
 */
import { describe, expect, it } from 'vitest';
import { RingWriter, TraceEncoder, TraceStore, type TraceBody } from '../../core';
import { Control, D_WRITING, G_SEQ, planControl } from './control';
import { DomainTrace } from './DomainTrace';
import { TraceIngest } from './TraceIngest';

function setup() {
  const layout = planControl(['cpuapp', 'cpurad'], [], 1024);
  const control = new Control(new SharedArrayBuffer(layout.totalWords * 4), layout);
  control.initialise('full', 1);
  const store = new TraceStore({ capacity: 1000 });
  return { control, store, ingest: new TraceIngest(control, store), app: new DomainTrace(control, 0) };
}

const work = (item: string): TraceBody => ({ kind: 'work', item, phase: 'run' });
const all = (store: TraceStore) => Array.from({ length: store.length }, (_, i) => store.get(i));

describe('trace ingest', () => {
  it('gives up a number its dead domain took, says so in the store, and counts the record if it comes late', () => {
    const { control, store, ingest, app } = setup();
    app.emit(work('first')); // seq 0
    // seq 1: cpurad raises WRITING and takes a number, as a domain does, then dies before writing.
    Atomics.store(control.words, control.domainWord(1, D_WRITING), 1);
    const radSeq = Atomics.add(control.words, G_SEQ, 1);
    app.emit(work('third')); // seq 2
    const appOnly = (d: number) => d === 0;

    // While cpurad is alive and inside a write, nothing is given up.
    ingest.drain(0, false, undefined, () => true);
    expect(all(store).map((e) => e?.seq)).toEqual([0]);

    // cpurad is gone: its number is lost, and the store says so after what it released.
    ingest.drain(0, false, undefined, appOnly);
    ingest.drain(0, false, undefined, appOnly);
    const events = all(store);
    expect(events.map((e) => [e?.seq, e?.kind])).toEqual([
      [0, 'work'],
      [2, 'work'],
      [3, 'trace-gap'],
    ]);
    const gap = events[2];
    expect(gap?.kind === 'trace-gap' && [gap.domain, gap.lost, gap.reason]).toEqual([
      'host',
      1,
      'records that never arrived (a domain stopped mid-record)',
    ]);
    expect(ingest.gaps).toBe(1);

    // Its record turns up after all: refused, counted and reported.
    const out: number[] = [];
    const head = new TraceEncoder().encode(work('second'), radSeq, 0, out);
    expect(head).toBeGreaterThanOrEqual(0);
    new RingWriter(control.ring(1)).write(out, out.length);
    ingest.drain(0, false, undefined, appOnly);
    expect(ingest.late).toBe(1);
    const late = all(store).at(-1);
    expect(late?.kind === 'trace-gap' && late.lost).toBe(1);
    expect(late?.kind === 'trace-gap' && late.reason).toMatch(/arrived after they had been given up/);
  });
});
