/**
 * The anomaly list: every invariant violation, anomaly, assert and memory fault up to the time
 * cursor, with its severity, what went wrong, where, and the event where it began. A click on a
 * row moves the cursor to the event and selects it; the first-event cell goes to where the
 * problem began (the send of a lost message…); a region named in `where` can be opened in the
 * ring inspector. At most the newest ROW_CAP rows are drawn, so long faulty runs stay fast.
 */
import { useMemo } from 'react';
import { formatNs } from '../../format';
import { useAppStore } from '../../store/appStore';
import { lowerBound } from '../../trace/search';
import { useViolations } from '../../debug/violations';
import { type Anomaly, AnomalyIndex, anomalyOf, checkerAnomaly } from './anomalies';
import './anomalies.css';

const ROW_CAP = 500;

export function AnomalyList() {
  const session = useAppStore((s) => s.session);
  const frame = useAppStore((s) => s.frame);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const index = useMemo(() => new AnomalyIndex(), []);
  const revision = frame?.revision ?? 0;
  const cursor = frame?.cursor ?? 0;
  const table = session?.table ?? null;
  const indices = useMemo(
    // A view of the index's storage: entries below its count never change until the table's held
    // events do, and then the revision changes too.
    () => (table ? index.update(table) : new Uint32Array(0)),
    // The revision stands for the session's mutable trace.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [table, revision, index],
  );
  const upTo = lowerBound(indices, indices.length, cursor);
  const from = Math.max(0, upTo - ROW_CAP);
  // What the invariant checker finds reading the trace up to the cursor, and at quiescence.
  const checked = useViolations();
  const rows = useMemo(() => {
    const out: { index: number; anomaly: Anomaly }[] = [];
    if (!table || !session) return out;
    for (let k = from; k < upTo; k++) {
      const i = indices[k] ?? -1;
      const e = table.event(i);
      const anomaly = e ? anomalyOf(e, session.regions) : null;
      if (anomaly) out.push({ index: i, anomaly });
    }
    const found = [
      ...(checked?.live ?? []).map((v) => checkerAnomaly(v, false, table, session.regions)),
      ...(checked?.atQuiescence ?? []).map((v) => checkerAnomaly(v, true, table, session.regions)),
    ];
    for (const anomaly of found.slice(-ROW_CAP)) out.push({ index: table.indexOfSeq(anomaly.seq), anomaly });
    // What holds at quiescence sums the run up: first; then the rest in trace order.
    const rank = (a: Anomaly) => (a.source === 'quiescence' ? 0 : 1);
    out.sort((a, b) => rank(a.anomaly) - rank(b.anomaly) || a.anomaly.seq - b.anomaly.seq);
    const rest = out.filter((r) => rank(r.anomaly) === 1);
    return [...out.filter((r) => rank(r.anomaly) === 0).slice(0, ROW_CAP), ...rest.slice(-ROW_CAP)];
  }, [table, session, indices, from, upTo, checked]);
  const found = (checked?.live.length ?? 0) + (checked?.atQuiescence?.length ?? 0);
  const total = upTo + found;
  const errors = rows.filter((r) => r.anomaly.severity === 'error').length;
  const selectedSeq = selection?.kind === 'event' ? selection.seq : null;

  const goTo = (seq: number) => {
    const i = table ? table.indexOfSeq(seq) : -1;
    if (i < 0) return;
    select({ kind: 'event', seq });
    seekEvent(i);
  };

  return (
    <section className="panel anomaly-list" aria-label="Anomalies">
      <header className="panel-head">
        <h2>Anomalies</h2>
        <span
          className={total === 0 ? 'al-badge' : errors > 0 ? 'al-badge sev-error' : 'al-badge sev-warning'}
          role="status"
          aria-label={`${total} ${total === 1 ? 'anomaly' : 'anomalies'} up to the cursor`}
        >
          {total} {total === 1 ? 'anomaly' : 'anomalies'}
        </span>
        {indices.length > upTo && (
          <span className="al-later" title="After the time cursor, in the recorded future">
            +{indices.length - upTo} later
          </span>
        )}
      </header>
      {total === 0 ? (
        <p className="empty">
          {checked?.atQuiescence
            ? 'No anomaly: every invariant holds at quiescence.'
            : 'No anomaly up to the time cursor.'}
        </p>
      ) : (
        <div className="al-rows">
          {total > rows.length && (
            <p className="al-note" role="note">
              Showing the newest {rows.length} of {total}.
            </p>
          )}
          <table aria-label="Anomaly list">
            <thead>
              <tr>
                <th scope="col">sev</th>
                <th scope="col">what</th>
                <th scope="col">where</th>
                <th scope="col">first</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ index: i, anomaly: a }, k) => (
                <tr
                  // Rows are only ever appended in trace order; the position settles duplicates.
                  key={`${a.source}-${a.seq}-${a.firstSeq}-${k}`}
                  data-source={a.source}
                  className={`al-row sev-${a.severity}${selectedSeq === a.seq ? ' selected' : ''}`}
                  data-seq={a.seq}
                  tabIndex={0}
                  title={`#${a.seq} at ${formatNs(a.t)} on ${a.domain}: click to move the time cursor here`}
                  onClick={() => {
                    select({ kind: 'event', seq: a.seq });
                    seekEvent(i);
                  }}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter' && e.key !== ' ') return;
                    e.preventDefault();
                    select({ kind: 'event', seq: a.seq });
                    seekEvent(i);
                  }}
                >
                  <td className="al-sev">{a.severity}</td>
                  <td className="al-what" title={`${a.what}: ${a.message}`}>
                    <div className="al-clamp">
                      <span className="al-rule">{a.what}</span> {a.message}
                    </div>
                  </td>
                  <td className="al-where">
                    <span>{a.where}</span>
                    {a.region !== null && <RegionLink region={a.region} />}
                  </td>
                  <td className="al-first">
                    <button
                      type="button"
                      className="al-link"
                      aria-label={`Go to first event #${a.firstSeq}`}
                      disabled={!table || table.indexOfSeq(a.firstSeq) < 0}
                      onClick={(e) => {
                        e.stopPropagation();
                        goTo(a.firstSeq);
                      }}
                    >
                      #{a.firstSeq}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Opens `region` in the ring inspector (a byte selection there: the inspector follows it). */
function RegionLink({ region }: { readonly region: string }) {
  const select = useAppStore((s) => s.select);
  return (
    <button
      type="button"
      className="al-link"
      aria-label={`Show region ${region} in the ring inspector`}
      title={`Show ${region} in the ring inspector`}
      onClick={(e) => {
        e.stopPropagation();
        select({ kind: 'bytes', region, offset: 0, length: 0 });
      }}
    >
      ring
    </button>
  );
}
