/**
 * The mempool at the cursor, one row per pool region (`mempool_alloc` picks the smallest region
 * whose entries fit): `count` cells, each free or held by the task that allocated it (for a
 * `take_ownership` copy or a routed proto) and the message it carries.
 */
import type { PoolPlan } from '../../../core';
import type { PoolHolding } from '../../debug/derive';

export interface PoolRow {
  readonly name: string;
  /** Entry size in bytes. */
  readonly size: number;
  readonly cells: readonly (PoolHolding | null)[];
  readonly used: number;
}

export function poolRows(pool: readonly PoolPlan[], held: ReadonlyMap<number, PoolHolding>): PoolRow[] {
  const rows = pool.map((p) => ({
    name: p.name,
    size: p.size,
    cells: new Array<PoolHolding | null>(p.count).fill(null),
  }));
  for (const h of held.values()) {
    const row = rows.find((r) => r.name === h.pool);
    if (row && h.entry >= 0 && h.entry < row.cells.length) row.cells[h.entry] = h;
  }
  return rows.map((r) => ({ ...r, used: r.cells.filter((c) => c !== null).length }));
}
