/**
 * Lane layout: one row per domain and execution context (irq, work queue, tasks), in table lane
 * order (`lane = domainIndex * 3 + context`), labelled `cpuapp · irq`. A lane with no events is
 * collapsed to a thin row that keeps its label, so the three contexts of a domain stay
 * recognisable. Domains are separated by a gap.
 */
import { CONTEXTS, LANES_PER_DOMAIN } from '../../trace/TraceTable';

export const LANE_HEIGHT = 26;
export const COLLAPSED_HEIGHT = 13;
export const DOMAIN_GAP = 6;

export interface LaneRow {
  readonly lane: number;
  readonly domain: number;
  readonly label: string;
  readonly top: number;
  readonly height: number;
  readonly collapsed: boolean;
}

export interface LaneLayout {
  /** One row per table lane, in lane order (`rows[lane]`). */
  readonly rows: readonly LaneRow[];
  /** Total height of the rows and gaps. */
  readonly height: number;
}

export function layoutLanes(domains: readonly string[], count: (lane: number) => number, top = 0): LaneLayout {
  const rows: LaneRow[] = [];
  let y = top;
  domains.forEach((name, d) => {
    if (d > 0) y += DOMAIN_GAP;
    CONTEXTS.forEach((context, c) => {
      const lane = d * LANES_PER_DOMAIN + c;
      const collapsed = count(lane) === 0;
      const height = collapsed ? COLLAPSED_HEIGHT : LANE_HEIGHT;
      rows.push({ lane, domain: d, label: `${name} · ${context}`, top: y, height, collapsed });
      y += height;
    });
  });
  return { rows, height: y - top };
}

/** The row under `y`, or null (a gap, the axis, below the last lane). */
export function rowAt(layout: LaneLayout, y: number): LaneRow | null {
  for (const row of layout.rows) if (y >= row.top && y < row.top + row.height) return row;
  return null;
}
