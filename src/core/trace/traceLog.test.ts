import { describe, expect, it } from 'vitest';
import { TraceLog } from './Tracer';

const note = (text: string) => ({ kind: 'note' as const, text });
const texts = (log: TraceLog) =>
  Array.from({ length: log.recorded }, (_, i) => {
    const e = log.recordedEvent(i);
    return e?.kind === 'note' ? e.text : '?';
  });

describe('the trace tape', () => {
  it('keeps the recorded future when the cursor goes back, and a replay writes over it', () => {
    const log = new TraceLog();
    for (const t of ['a', 'b', 'c', 'd']) log.emit('x', 0, note(t));
    log.rewind(2);
    expect(log.length).toBe(2);
    expect(texts(log)).toEqual(['a', 'b', 'c', 'd']);
    log.emit('x', 0, note('C'));
    expect(texts(log)).toEqual(['a', 'b', 'C', 'd']);
  });

  it('puts back what a trial run wrote over the recorded future, and drops what it added', () => {
    const log = new TraceLog();
    for (const t of ['a', 'b', 'c']) log.emit('x', 0, note(t));
    log.rewind(1);
    log.beginTrial();
    for (const t of ['P', 'Q', 'R', 'S']) log.emit('x', 0, note(t));
    log.rewind(1);
    log.emit('x', 0, note('T'));
    log.rewind(1);
    log.endTrial();
    expect(texts(log)).toEqual(['a', 'b', 'c']);
    expect(log.length).toBe(1);
  });
});
