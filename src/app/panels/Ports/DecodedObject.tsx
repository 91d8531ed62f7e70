/**
 * The inspector's "Decoded <struct_t>": the object a libipc message points at (its `ipc_ref_t`
 * from the port `send`, or the fields of a selected port event), decoded from shared memory at the
 * cursor, with a note when those bytes are no longer the message's (freed, rewritten, released,
 * lost in a reset, or not sent yet). Renders nothing outside libipc scenarios.
 */
import type { TraceEvent } from '../../../core';
import type { DebugSession } from '../../debug/DebugSession';
import { hex32 } from '../../format';
import { decodeObject, type ObjectRef, objectStatus, statusNote } from './decodeObject';
import { ObjectFields } from './ObjectFields';
import { portsPlanOf } from './plan';
import { portHistoryOf } from './portHistory';
import './ports.css';

interface Props {
  readonly session: DebugSession;
  /** The selected message, if any. */
  readonly msgId: number | null;
  /** The selected event, if any. */
  readonly event: TraceEvent | undefined;
}

export function DecodedObject({ session, msgId, event }: Props) {
  const plan = portsPlanOf(session.scenario);
  if (!plan?.ok) return null;
  const history = portHistoryOf(session.table);
  const m = msgId === null ? undefined : history.message(msgId);
  let ref: ObjectRef | null = null;
  if (m) ref = m;
  else if (event?.kind === 'port' && event.object !== undefined && event.tag !== undefined)
    ref = { port: event.port, tag: event.tag, length: event.length ?? 0, object: event.object };
  if (!ref) return null;
  const decoded = decodeObject(plan.value, session.memory(), session.scenario.memory.base, ref);
  const status = m ? objectStatus(m, history.port(m.port)?.writes ?? [], session.cursor) : null;
  const note = status ? statusNote(status, m?.owned ?? false) : null;
  const what = decoded.kind === 'struct' ? decoded.struct : decoded.kind === 'proto' ? decoded.proto : 'object';
  return (
    <div className="insp-object" role="group" aria-label={`Decoded ${what}`}>
      <p className="insp-title">
        Decoded <strong>{what}</strong>
      </p>
      <p className="insp-note">
        {ref.port} · {decoded.kind === 'none' ? `tag ${ref.tag}` : decoded.tagName} · {ref.length} B at{' '}
        {hex32(ref.object)}
        {m ? (m.owned ? ' · mempool copy' : ' · by reference') : ''}
      </p>
      <ObjectFields decoded={decoded} label={`Fields of ${what}`} />
      {note !== null && <p className="insp-note ports-note">{note}</p>}
      {session.mode === 'workers' && (
        <p className="insp-note">Memory is live on the worker runtime, not as it was at the cursor.</p>
      )}
    </div>
  );
}
