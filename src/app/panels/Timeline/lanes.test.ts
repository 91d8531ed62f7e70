import { describe, expect, it } from 'vitest';
import { COLLAPSED_HEIGHT, DOMAIN_GAP, LANE_HEIGHT, layoutLanes, rowAt } from './lanes';

describe('layoutLanes', () => {
  const layout = layoutLanes(['cpuapp', 'cpurad'], (lane) => (lane === 2 ? 0 : 5), 24);

  it('gives each domain three lanes, irq, work and task, labelled "domain · context"', () => {
    expect(layout.rows.map((r) => r.label)).toEqual([
      'cpuapp · irq',
      'cpuapp · work',
      'cpuapp · task',
      'cpurad · irq',
      'cpurad · work',
      'cpurad · task',
    ]);
    expect(layout.rows.map((r) => r.lane)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('collapses a lane with no events to a thin row and separates domains by a gap', () => {
    expect(layout.rows[2]).toMatchObject({ collapsed: true, height: COLLAPSED_HEIGHT });
    expect(layout.rows[3]?.top).toBe(24 + 2 * LANE_HEIGHT + COLLAPSED_HEIGHT + DOMAIN_GAP);
    expect(layout.height).toBe(5 * LANE_HEIGHT + COLLAPSED_HEIGHT + DOMAIN_GAP);
  });
});

describe('rowAt', () => {
  const layout = layoutLanes(['cpuapp', 'cpurad'], () => 1, 0);

  it('finds the row under a y coordinate', () => {
    expect(rowAt(layout, LANE_HEIGHT + 1)?.label).toBe('cpuapp · work');
  });

  it('finds no row in the gap between domains or below the last lane', () => {
    expect(rowAt(layout, 3 * LANE_HEIGHT + 1)).toBeNull();
    expect(rowAt(layout, layout.height + 1)).toBeNull();
  });
});
