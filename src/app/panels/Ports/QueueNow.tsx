/**
 * A port's queue at the time cursor: its `depth` slots in ring order from the head (the next item
 * `ipc_recv` takes), then each queued `ipc_ref_t` — tag, sender, length, object address, whether
 * it is a mempool copy (`take_ownership`) — with the object's struct decoded from shared memory,
 * and the tasks waiting on the port.
 *
 * The items are the trace's (derive.ts), so both runtimes agree on them; the bytes are memory at
 * the cursor (inline) or live (workers, said so).
 */
import type { AreaPlan } from '../../../core';
import type { PortState } from '../../debug/derive';
import { hex32 } from '../../format';
import { decodeObject, objectStatus, statusNote } from './decodeObject';
import { ObjectFields } from './ObjectFields';
import type { PortHistory, PortRecord } from './portHistory';

interface Props {
  readonly plan: AreaPlan;
  readonly port: string;
  readonly depth: number;
  readonly state: PortState | undefined;
  readonly history: PortHistory;
  readonly record: PortRecord | undefined;
  readonly cursor: number;
  readonly memory: Uint8Array;
  readonly base: number;
  /** Memory is live rather than at the cursor (the worker runtime). */
  readonly live: boolean;
  readonly colourOf: (task: string) => string;
  readonly selected: number | null;
  readonly onSelect: (msgId: number) => void;
}

const WAIT_WORDS = { send: 'waits to send (queue full)', recv: 'waits to receive', response: 'waits for a response' };

/** The slot of the queue's head: the first item's, or the slot after the last send's when empty. */
function headSlot(props: Props): number {
  const { state, history, record, cursor, depth } = props;
  const first = state?.items[0];
  const slot = first ? history.message(first.msgId)?.slot : undefined;
  if (slot !== undefined) return slot;
  const last = record ? record.messages[record.sentBefore(cursor) - 1] : undefined;
  // After a reset the queue starts again at slot 0.
  if (!last || (last.dropIndex >= 0 && last.dropIndex < cursor)) return 0;
  return (last.slot + 1) % Math.max(1, depth);
}

export function QueueNow(props: Props) {
  const { plan, port, depth, state, history, cursor, memory, base, live, colourOf, selected, onSelect } = props;
  const items = state?.items ?? [];
  const head = headSlot(props);
  const writes = props.record?.writes ?? [];
  return (
    <div className="ports-queue">
      <div className="ports-history-head">
        <span className="ports-sub">The queue now</span>
        <span className="muted">
          {items.length} of {depth} slots used{live ? ' · memory is live (workers), not at the cursor' : ''}
        </span>
      </div>
      <ol className="ports-ring" aria-label={`${port} slots from the head`}>
        {Array.from({ length: depth }, (_, i) => {
          const slot = (head + i) % depth;
          const item = items[i];
          return (
            <li
              key={slot}
              className={`ports-cell${item ? ' used' : ''}${item && item.msgId === selected ? ' on' : ''}`}
              style={item ? { background: colourOf(item.task) } : undefined}
              title={
                item ? `slot ${slot}: #${item.msgId} ${item.tagName ?? ''} from ${item.task}` : `slot ${slot}: free`
              }
            >
              {item ? (
                <button type="button" onClick={() => onSelect(item.msgId)}>
                  #{item.msgId}
                </button>
              ) : (
                <span className="ports-free">·</span>
              )}
              <span className="ports-cell-slot">
                {i === 0 ? 'head ' : i === items.length ? 'tail ' : ''}
                {slot}
              </span>
            </li>
          );
        })}
      </ol>
      {state && state.waiting.size > 0 && (
        <ul className="ports-chips" aria-label="Tasks waiting on the port">
          {[...state.waiting].map(([task, what]) => (
            <li key={task} className="ports-chip" style={{ borderColor: colourOf(task) }}>
              <span className="ports-dot" style={{ background: colourOf(task) }} />
              {task} {WAIT_WORDS[what]}
            </li>
          ))}
        </ul>
      )}
      {items.length === 0 ? (
        <p className="empty">The queue is empty at the cursor.</p>
      ) : (
        <ol className="ports-items" aria-label={`Items in ${port}`}>
          {items.map((item, i) => {
            const decoded = decodeObject(plan, memory, base, { port, ...item });
            const m = history.message(item.msgId);
            const status = m ? objectStatus(m, writes, cursor) : null;
            const note = status ? statusNote(status, item.owned) : null;
            return (
              <li
                key={item.msgId}
                className={`ports-item${item.msgId === selected ? ' on' : ''}`}
                style={{ borderLeftColor: colourOf(item.task) }}
              >
                <button type="button" className="ports-item-head" onClick={() => onSelect(item.msgId)}>
                  <span className="ports-slot">{i === 0 ? 'head' : `+${i}`}</span>
                  <strong>#{item.msgId}</strong>
                  <span className="ports-tag">{item.tagName ?? `tag ${item.tag}`}</span>
                  {item.owned ? (
                    <span className="ports-badge copy">mempool copy</span>
                  ) : (
                    <span className="ports-badge ref">by reference</span>
                  )}
                </button>
                <div className="ports-ref">
                  <span className="ports-dot" style={{ background: colourOf(item.task) }} />
                  {item.task} · {item.length} B · object {hex32(item.object)}
                  {m ? ` · slot ${m.slot}` : ''}
                </div>
                <ObjectFields decoded={decoded} label={`Fields of message #${item.msgId}`} />
                {note !== null && <p className="ports-note">{note}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
