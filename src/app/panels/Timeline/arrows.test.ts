import { describe, expect, it } from 'vitest';
import { TraceFlag } from '../../trace/TraceTable';
import { arcLift, arcPoint, clipSegment, distanceToArc, distanceToSegment, pairArrows } from './arrows';
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

  it('keeps both ends of a vertical segment (a send and its receive at one time)', () => {
    expect(clipSegment(10, 5, 10, 40, 0, 100)).toEqual({
      x1: 10,
      y1: 5,
      x2: 10,
      y2: 40,
      startClipped: false,
      endClipped: false,
    });
  });

  it('returns null for a segment wholly left or right of the edges', () => {
    expect(clipSegment(-20, 0, -10, 5, 0, 50)).toBeNull();
    expect(clipSegment(60, 0, 70, 5, 0, 50)).toBeNull();
  });
});

describe('arcs between events of one lane', () => {
  it('lifts an arc above the marks, at most about half a lane', () => {
    expect(arcLift(0, 26)).toBe(5);
    expect(arcLift(20, 26)).toBe(7);
    expect(arcLift(2000, 26)).toBeCloseTo(14.3);
    expect(arcLift(-20, 26)).toBe(arcLift(20, 26));
  });

  it('peaks `lift` above its ends half way', () => {
    expect(arcPoint(0, 10, 100, 10, 8, 0)).toEqual({ x: 0, y: 10 });
    expect(arcPoint(0, 10, 100, 10, 8, 0.5)).toEqual({ x: 50, y: 2 });
    expect(arcPoint(0, 10, 100, 10, 8, 1)).toEqual({ x: 100, y: 10 });
  });

  it('measures the distance to the curve, not to the chord', () => {
    expect(distanceToArc(0, 10, 100, 10, 8, 50, 2)).toBeCloseTo(0, 1);
    expect(distanceToArc(0, 10, 100, 10, 8, 50, 10)).toBeCloseTo(8, 0);
    expect(distanceToArc(0, 10, 100, 10, 8, 0, 10)).toBe(0);
    expect(distanceToSegment(0, 0, 10, 0, 5, 3)).toBe(3);
    expect(distanceToSegment(0, 0, 10, 0, -4, 3)).toBe(5);
  });
});
