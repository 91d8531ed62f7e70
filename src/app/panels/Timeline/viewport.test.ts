import { describe, expect, it } from 'vitest';
import {
  fitOf,
  clampToFit,
  fitViewport,
  formatTime,
  lastIndexAtOrBefore,
  MAX_SPAN_FACTOR,
  MIN_SPAN_NS,
  panBy,
  timeTicks,
  zoomAround,
} from './viewport';

const fit = { startNs: 0, endNs: 1_000_000 };

describe('zoomAround', () => {
  it('keeps the anchor time at the same fraction of the window', () => {
    const v = { startNs: 0, endNs: 1000 };
    const z = zoomAround(v, 0.5, 250, fit);
    expect(z.endNs - z.startNs).toBe(500);
    expect((250 - z.startNs) / (z.endNs - z.startNs)).toBeCloseTo(0.25);
  });

  it('stops zooming in at MIN_SPAN_NS and out at MAX_SPAN_FACTOR times the fitted span', () => {
    const tiny = zoomAround({ startNs: 0, endNs: 100 }, 0.01, 50, fit);
    expect(tiny.endNs - tiny.startNs).toBe(MIN_SPAN_NS);
    const huge = zoomAround(fit, 1000, 500_000, fit);
    expect(huge.endNs - huge.startNs).toBe(1_000_000 * MAX_SPAN_FACTOR);
  });
});

describe('panBy', () => {
  it('moves both ends of the window by the delta', () => {
    expect(panBy({ startNs: 100, endNs: 200 }, 50, fit)).toEqual({ startNs: 150, endNs: 250 });
  });

  it('keeps at least half a window overlapping the trace', () => {
    expect(panBy({ startNs: 100, endNs: 200 }, -1000, fit)).toEqual({ startNs: -50, endNs: 50 });
    expect(clampToFit({ startNs: 2_000_000, endNs: 2_000_100 }, fit)).toEqual({ startNs: 999_950, endNs: 1_000_050 });
  });
});

describe('fitViewport', () => {
  it('covers the first to the last event and the cursor, with a 2% margin each side', () => {
    expect(fitViewport(1000, 51_000, 0)).toEqual({ startNs: -1020, endNs: 52_020 });
    expect(fitViewport(1000, 51_000, 61_000)).toEqual({ startNs: -200, endNs: 62_200 });
  });
});

describe('timeTicks', () => {
  it('labels a 0–2 ms window in ms', () => {
    const labels = timeTicks({ startNs: 0, endNs: 2_000_000 }, 5).map((t) => t.label);
    expect(labels).toEqual(['0.0 ms', '0.5 ms', '1.0 ms', '1.5 ms', '2.0 ms']);
  });

  it('labels a 10 µs window near the start in µs', () => {
    const labels = timeTicks({ startNs: 0, endNs: 10_000 }, 5).map((t) => t.label);
    expect(labels).toEqual(['0 µs', '2 µs', '4 µs', '6 µs', '8 µs', '10 µs']);
  });

  it('labels a µs window far into the run in ms with three decimals', () => {
    const labels = timeTicks({ startNs: 11_440_000, endNs: 11_450_000 }, 2).map((t) => t.label);
    expect(labels).toEqual(['11.440 ms', '11.445 ms', '11.450 ms']);
  });

  it('falls back to µs when three decimals of ms cannot tell the ticks apart', () => {
    const labels = timeTicks({ startNs: 11_440_000, endNs: 11_440_400 }, 2).map((t) => t.label);
    expect(labels).toEqual(['11440.0 µs', '11440.2 µs', '11440.4 µs']);
  });
});

describe('formatTime', () => {
  it('writes a duration in the largest unit it reaches', () => {
    expect([0, 750, 1500, 240_200, 29_752_000].map(formatTime)).toEqual([
      '0 ns',
      '750 ns',
      '1.500 µs',
      '240.2 µs',
      '29.752 ms',
    ]);
  });
});

describe('lastIndexAtOrBefore', () => {
  const t = Float64Array.from([10, 20, 20, 30]);

  it('finds the last event at or before a time', () => {
    expect(lastIndexAtOrBefore(t, 4, 20)).toBe(2);
    expect(lastIndexAtOrBefore(t, 4, 25)).toBe(2);
    expect(lastIndexAtOrBefore(t, 4, 100)).toBe(3);
  });

  it('returns −1 before the first event and ignores slots beyond the length', () => {
    expect(lastIndexAtOrBefore(t, 4, 5)).toBe(-1);
    expect(lastIndexAtOrBefore(t, 2, 100)).toBe(1);
  });
});

describe('fitOf', () => {
  it('spans the first to the last event, widened by the time slack worker clocks need', () => {
    const t = Float64Array.of(1_000, 5_000, 101_000);
    expect(fitOf({ length: 3, t, tSlackNs: 0 }, 0)).toEqual(fitViewport(1_000, 101_000, 0));
    expect(fitOf({ length: 3, t, tSlackNs: 500 }, 101_000)).toEqual(fitViewport(500, 101_500, 101_000));
    expect(fitOf({ length: 0, t, tSlackNs: 0 }, 7)).toEqual(fitViewport(0, 0, 7));
  });
});
