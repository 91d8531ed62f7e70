/**
 * The block map of an ICBMsg region: one cell per block after the ICMsg area, showing what it
 * holds as the two cores know it at the time cursor — free, a message of an endpoint (coloured
 * and numbered by message), an endpoint's name while it binds, a buffer granted to the
 * application, held by the receiving application, or leaked (refused by the receiver and never
 * released).
 *
 * Which blocks are taken is the sender's local knowledge (its bitmap lives in its own RAM, not in
 * shared memory), so the map is read from the trace's `blocks` events: it works on both runtimes
 * and at any point of the history, but needs message-level tracing.
 */
import type { BlockHolder } from '../../debug/derive';
import type { DebugSession } from '../../debug/DebugSession';
import type { RegionInfo } from '../../debug/regions';
import { derivedAt } from '../../debug/useDerived';
import { useAppStore } from '../../store/appStore';
import { selectedMessage } from '../../store/selectionSlice';
import { messageColour } from '../../theme/colours';

export interface BlockCell {
  readonly index: number;
  readonly owner: BlockHolder | null;
  readonly held: boolean;
  readonly leaked: boolean;
}

/** The cells of `region`'s blocks at the session's cursor, or why there are none. */
export function blockCells(session: DebugSession, region: RegionInfo): BlockCell[] | string {
  if (region.backend !== 'icbmsg') return 'not an ICBMsg region';
  if (session.mode === 'workers' && session.scenario.runtime.tracing === 'counters') {
    return 'the block map is read from message events, which counters-only tracing does not record';
  }
  const blocks = derivedAt(session).blocks.get(region.name);
  const cells: BlockCell[] = [];
  for (let index = 0; index < region.blockCount; index++) {
    const owner = blocks?.owners[index] ?? null;
    cells.push({
      index,
      owner,
      held: owner !== null && (blocks?.held.has(owner.first) ?? false),
      leaked: owner !== null && (blocks?.leaked.has(owner.first) ?? false),
    });
  }
  return cells;
}

function describe(cell: BlockCell): string {
  const o = cell.owner;
  if (!o) return `block ${cell.index}: free`;
  const what =
    o.use === 'data'
      ? `message #${o.msgId ?? '?'} for endpoint "${o.endpoint}"`
      : o.use === 'name'
        ? `the name of endpoint "${o.endpoint}" (binding)`
        : `a buffer granted to endpoint "${o.endpoint}", not sent yet`;
  const state = cell.leaked
    ? ' · LEAKED: refused by the receiver, never released'
    : cell.held
      ? ' · held by the receiver'
      : '';
  return `block ${cell.index} (${cell.index - o.first + 1} of ${o.blocks}): ${what}${state}`;
}

export function BlockMap({ session, region }: { session: DebugSession; region: RegionInfo }) {
  useAppStore((s) => s.frame?.revision);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const cells = blockCells(session, region);
  if (typeof cells === 'string') {
    return <p className="ri-blocks-note">{`Blocks: ${cells}.`}</p>;
  }
  const msg = selectedMessage(selection, session.table);
  const used = cells.filter((c) => c.owner !== null).length;
  const held = cells.filter((c) => c.held).length;
  const granted = cells.filter((c) => c.owner?.use === 'granted').length;
  return (
    <div className="ri-blocks">
      <p className="ri-blocks-title">
        Blocks of {region.name}: {cells.length - used} free of {cells.length}
        {held > 0 && ` · ${held} held by the receiver`}
        {granted > 0 && ` · ${granted} granted, not sent`}
        {cells.some((c) => c.leaked) && <span className="ri-blocks-leak"> · leaked blocks</span>}
        {session.table.evicted > 0 && (
          <span className="ri-blocks-note"> · blocks taken before the oldest kept event are not shown</span>
        )}
      </p>
      <div className="ri-block-grid" role="list" aria-label={`Blocks of ${region.name}`}>
        {cells.map((c) => {
          const o = c.owner;
          const colour = o?.use === 'data' && o.msgId !== null ? messageColour(o.msgId) : undefined;
          const cls = [
            'ri-block',
            o ? `use-${o.use}` : 'free',
            c.held ? 'held' : '',
            c.leaked ? 'leaked' : '',
            o !== null && msg !== null && o.msgId === msg ? 'selected' : '',
          ].join(' ');
          return (
            <button
              key={c.index}
              type="button"
              role="listitem"
              className={cls}
              style={colour ? { background: colour } : undefined}
              title={describe(c)}
              aria-label={describe(c)}
              data-block={c.index}
              onClick={() => {
                if (o?.msgId !== null && o?.msgId !== undefined) select({ kind: 'message', msgId: o.msgId });
              }}
            >
              {o && c.index === o.first
                ? o.use === 'data'
                  ? `#${o.msgId ?? '?'}`
                  : o.use === 'name'
                    ? 'name'
                    : 'buf'
                : ''}
            </button>
          );
        })}
      </div>
      <p className="ri-blocks-legend" aria-hidden="true">
        <span className="ri-block-swatch free" /> free <span className="ri-block-swatch use-data" /> message
        <span className="ri-block-swatch use-name" /> name (binding) <span className="ri-block-swatch use-granted" />{' '}
        granted <span className="ri-block-swatch held" /> held <span className="ri-block-swatch leaked" /> leaked
      </p>
    </div>
  );
}
