/**
 * A decoded message object as a field list (name, type, value), a proto's bytes, or why nothing
 * decodes. Shared by the queue's items and the inspector.
 */
import type { DecodedObject } from './decodeObject';

export function ObjectFields({ decoded, label }: { readonly decoded: DecodedObject; readonly label: string }) {
  if (decoded.kind === 'none') return <p className="ports-none">{decoded.reason}</p>;
  if (decoded.kind === 'proto')
    return (
      <div className="ports-proto" aria-label={label}>
        <span className="muted">{decoded.proto} (nanopb bytes)</span>
        <code>{decoded.hex || '(empty)'}</code>
      </div>
    );
  if (decoded.fields.length === 0) return <p className="ports-none">{decoded.struct} has no fields (sizeof 0).</p>;
  return (
    <dl className="ports-fields" aria-label={label}>
      {decoded.fields.map((f) => (
        <div key={f.name} className="ports-field" data-field={f.name}>
          <dt title={`${f.type} at +${f.offset}, ${f.size} B`}>
            {f.name}
            <span className="ports-type">{f.type}</span>
          </dt>
          <dd>{f.text}</dd>
        </div>
      ))}
    </dl>
  );
}
