import { describe, expect, it } from 'vitest';
import { COLLAPSED_HEIGHT, DOMAIN_GAP, LANE_HEIGHT, layoutLanes, rowAt, TASK_ROW_HEIGHT, taskRowAt } from './lanes';

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

describe('channel task rows', () => {
  const count = (lane: number) => (lane === 2 ? 0 : 5);
  const plain = layoutLanes(['cpuapp', 'cpurad'], count, 24);
  const withTasks = layoutLanes(['cpuapp', 'cpurad'], count, 24, (d) =>
    d === 1
      ? [
          { key: 'k-server', label: 'server' },
          { key: 'k-client', label: 'client/g1' },
        ]
      : [],
  );

  it('adds one thin row per task under its domain’s task lane, labelled indented, in the order given', () => {
    const cpuradTask = withTasks.rows[5];
    if (!cpuradTask) throw new Error('no cpurad task lane');
    expect(withTasks.tasks).toEqual([
      {
        key: 'k-server',
        domain: 1,
        label: '  ↳ server',
        top: cpuradTask.top + cpuradTask.height,
        height: TASK_ROW_HEIGHT,
      },
      {
        key: 'k-client',
        domain: 1,
        label: '  ↳ client/g1',
        top: cpuradTask.top + cpuradTask.height + TASK_ROW_HEIGHT,
        height: TASK_ROW_HEIGHT,
      },
    ]);
    expect(withTasks.taskByKey.get('k-client')).toBe(withTasks.tasks[1]);
    expect(withTasks.height).toBe(plain.height + 2 * TASK_ROW_HEIGHT);
  });

  it('keeps rows[lane] indexing the lanes, and leaves the layout as it was without channel tasks', () => {
    expect(withTasks.rows).toEqual(plain.rows);
    expect(plain.tasks).toEqual([]);
    expect(layoutLanes(['cpuapp', 'cpurad'], count, 24, () => [])).toEqual(plain);
  });

  it('pushes the next domain down past the task rows', () => {
    const tasksFirst = layoutLanes(['cpuapp', 'cpurad'], count, 24, (d) => (d === 0 ? [{ key: 'k', label: 'k' }] : []));
    expect(tasksFirst.rows[3]?.top).toBe((plain.rows[3]?.top ?? NaN) + TASK_ROW_HEIGHT);
    expect(tasksFirst.tasks[0]?.top).toBe((plain.rows[2]?.top ?? NaN) + (plain.rows[2]?.height ?? NaN));
  });

  it('finds a task row under a y coordinate, which is no lane row', () => {
    const row = withTasks.tasks[1];
    if (!row) throw new Error('no row');
    expect(taskRowAt(withTasks, row.top + 1)?.key).toBe('k-client');
    expect(rowAt(withTasks, row.top + 1)).toBeNull();
    expect(taskRowAt(withTasks, 30)).toBeNull();
  });
});
