/**
 * For timeline tests (tests only): the renderer's geometry for a table — a 1000 px plot from
 * x = 100 under a 24 px axis, lanes laid out as the renderer lays them out, with the channel task
 * rows of `activity` when one is given.
 */
import type { ChannelActivity } from '../../debug/channelActivity';
import type { TraceTable } from '../../trace/TraceTable';
import type { Geometry } from './draw';
import { layoutLanes } from './lanes';
import { taskRowSpecs } from './taskRows';

export function testGeometry(
  table: TraceTable,
  startNs: number,
  endNs: number,
  activity: ChannelActivity | null = null,
): Geometry {
  const counts = new Map<number, number>();
  for (let i = 0; i < table.length; i++) counts.set(table.lane[i] ?? 0, (counts.get(table.lane[i] ?? 0) ?? 0) + 1);
  const specs = activity ? taskRowSpecs(activity, table.domains.length, table.length) : [];
  const layout = layoutLanes(
    table.domains,
    (lane) => counts.get(lane) ?? 0,
    24,
    (d) => specs[d] ?? [],
  );
  return {
    width: 1200,
    height: 24 + layout.height,
    plotLeft: 100,
    plotRight: 1100,
    axisHeight: 24,
    layout,
    startNs,
    endNs,
  };
}
