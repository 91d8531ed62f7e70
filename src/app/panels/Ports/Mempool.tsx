/**
 * The mempool at the cursor: one row of `count` cells per pool region, each held cell coloured by
 * the task that allocated it (a `take_ownership` copy or a routed proto), with used / count.
 * Clicking a held cell selects the message it carries.
 */
import type { PoolPlan } from '../../../core';
import type { PoolHolding } from '../../debug/derive';
import { poolRows } from './poolView';

interface Props {
  readonly pool: readonly PoolPlan[];
  readonly held: ReadonlyMap<number, PoolHolding>;
  readonly colourOf: (task: string) => string;
  readonly selected: number | null;
  readonly onSelect: (msgId: number) => void;
}

export function Mempool({ pool, held, colourOf, selected, onSelect }: Props) {
  const rows = poolRows(pool, held);
  const used = rows.reduce((n, r) => n + r.used, 0);
  const total = rows.reduce((n, r) => n + r.cells.length, 0);
  return (
    <div className="ports-pool">
      <div className="ports-history-head">
        <span className="ports-sub">Mempool</span>
        <span className="muted">
          {used} of {total} entries held
        </span>
      </div>
      <table className="ports-pool-rows">
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} aria-label={`${r.name}: ${r.used} of ${r.cells.length} used`}>
              <th scope="row">
                {r.name} <span className="muted">{r.size} B</span>
              </th>
              <td>
                <div className="ports-pool-cells">
                  {r.cells.map((c, i) =>
                    c ? (
                      <button
                        key={i}
                        type="button"
                        className={`ports-pool-cell used${c.msgId !== null && c.msgId === selected ? ' on' : ''}`}
                        style={{ background: colourOf(c.task) }}
                        title={`${r.name}[${i}]: ${c.msgId === null ? '' : `#${c.msgId} · `}${c.task} · ${c.size} B`}
                        aria-label={`${r.name} entry ${i}: held by ${c.task}`}
                        onClick={() => c.msgId !== null && onSelect(c.msgId)}
                      />
                    ) : (
                      <span key={i} className="ports-pool-cell" title={`${r.name}[${i}]: free`} />
                    ),
                  )}
                </div>
              </td>
              <td className={`ports-pool-count${r.used === r.cells.length ? ' full' : ''}`}>
                {r.used}/{r.cells.length}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
