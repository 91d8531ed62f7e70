import { describe, expect, it } from 'vitest';
import { TraceFlag } from '../../trace/TraceTable';
import { clipSegment, pairArrows } from './arrows';
import type { MessageEnds } from './traceIndex';

// Indices 0–5: send #1, read #1, send #2, send #3, read #3, read #2.
const flags = Uint8Array.from([
  TraceFlag.send,
  TraceFlag.receive,
  TraceFlag.send,
  TraceFlag.send,
  TraceFlag.receive,
  TraceFlag.receive,
]);
const msgId = Float64Array.from([1, 1, 2, 3, 3, 2]);
const ends = new Map<number, MessageEnds>([
  [1, { send: 0, receive: 1 }],
  [2, { send: 2, receive: 5 }],
  [3, { send: 3, receive: 4 }],
]);
const lookup = (id: number): MessageEnds => ends.get(id) ?? { send: -1, receive: -1 };

describe('pairArrows', () => {
  it('pairs each visible send with the read of the same msgId, one arrow per message', () => {
    expect(pairArrows([0, 1, 2, 3, 4, 5], { flags, msgId }, lookup)).toEqual([
      { msgId: 1, send: 0, receive: 1 },
      { msgId: 2, send: 2, receive: 5 },
      { msgId: 3, send: 3, receive: 4 },
    ]);
  });

  it('draws an arrow for a visible read whose send is off screen, from that send', () => {
    expect(pairArrows([5], { flags, msgId }, lookup)).toEqual([{ msgId: 2, send: 2, receive: 5 }]);
  });

  it('gives a send that was never read the receive index −1', () => {
    const unread = (id: number): MessageEnds => (id === 1 ? { send: 0, receive: -1 } : lookup(id));
    expect(pairArrows([0], { flags, msgId }, unread)).toEqual([{ msgId: 1, send: 0, receive: -1 }]);
  });
});

describe('clipSegment', () => {
  it('leaves a segment inside the edges as it is', () => {
    expect(clipSegment(10, 0, 20, 10, 0, 100)).toEqual({
      x1: 10,
      y1: 0,
      x2: 20,
      y2: 10,
      startClipped: false,
      endClipped: false,
    });
  });

  it('cuts a segment at the edges, interpolating y, and says which end was cut', () => {
    expect(clipSegment(-100, 0, 100, 20, 0, 50)).toEqual({
      x1: 0,
      y1: 10,
      x2: 50,
      y2: 15,
      startClipped: true,
      endClipped: true,
    });
  });

  it('returns null for a segment wholly left or right of the edges', () => {
    expect(clipSegment(-20, 0, -10, 5, 0, 50)).toBeNull();
    expect(clipSegment(60, 0, 70, 5, 0, 50)).toBeNull();
  });
});
