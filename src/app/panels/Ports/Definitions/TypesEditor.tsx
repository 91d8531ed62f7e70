/**
 * The declared types: C types only the firmware knows (nanopb `fwpb_*` messages, project
 * typedefs), each with its size and alignment, so a field of that type can be laid out.
 */
import type { TypeRow } from './definitionsModel';

export function TypesEditor(props: {
  readonly rows: readonly TypeRow[];
  readonly issues: readonly string[];
  /** Types fields use that nothing declares: one button each to declare it. */
  readonly unknown: readonly string[];
  readonly onChange: (rows: readonly TypeRow[]) => void;
}) {
  const { rows, issues, unknown, onChange } = props;
  const set = (i: number, patch: Partial<TypeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const declared = new Set(rows.map((r) => r.name.trim()));
  return (
    <section className="defs-types" aria-label="Declared types">
      <div className="defs-types-head">
        <h3>Declared types</h3>
        <span className="note">firmware C types fields may use (bytes)</span>
        <span className="defs-spacer" />
        <button type="button" onClick={() => onChange([...rows, { name: '', size: '', align: '4' }])}>
          Add a type
        </button>
      </div>
      {unknown.filter((t) => !declared.has(t)).length > 0 && (
        <div className="row defs-unknown">
          <span className="note">Unknown:</span>
          {unknown
            .filter((t) => !declared.has(t))
            .map((t) => (
              <button key={t} type="button" onClick={() => onChange([...rows, { name: t, size: '', align: '4' }])}>
                Declare <code>{t}</code>
              </button>
            ))}
        </div>
      )}
      {rows.length > 0 && (
        <table className="defs-table defs-types-table">
          <thead>
            <tr>
              <th>Type</th>
              <th>Size</th>
              <th>Align</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Type ${i + 1} name`}
                    value={r.name}
                    placeholder="fwpb_foo"
                    spellCheck={false}
                    onChange={(e) => set(i, { name: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Type ${i + 1} size`}
                    className="narrow"
                    inputMode="numeric"
                    value={r.size}
                    placeholder="bytes"
                    onChange={(e) => set(i, { size: e.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Type ${i + 1} align`}
                    value={r.align}
                    onChange={(e) => set(i, { align: e.target.value })}
                  >
                    {[...new Set(['1', '2', '4', '8', r.align])].map((a) => (
                      <option key={a} value={a}>
                        {a}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    className="defs-remove"
                    aria-label={`Remove type ${r.name || i + 1}`}
                    onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {issues.length > 0 && (
        <ul className="defs-issues" aria-label="Type problems">
          {issues.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
