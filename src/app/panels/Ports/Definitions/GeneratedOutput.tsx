/**
 * What the libipc generator makes of the definitions: the selected file's C header, the
 * TypeScript module of every file, or layout.json, each to copy or download; below, the port's
 * tags as libipc numbers them and each struct's layout on the ARM EABI.
 */
import { useEffect, useState } from 'react';
import { Segmented } from '../../../components/Segmented';
import {
  type DraftCheck,
  generatedOutput,
  headerName,
  type OutputKind,
  type PortView,
  structRows,
  tagTable,
} from './definitionsModel';

function download(name: string, text: string): void {
  const type = name.endsWith('.json') ? 'application/json' : 'text/plain';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function GeneratedOutput(props: {
  readonly check: DraftCheck;
  readonly file: string;
  readonly port: PortView | null;
}) {
  const { check, file, port } = props;
  const [kind, setKind] = useState<OutputKind>('header');
  /** What the last Copy did: 'done' for a moment, or why it failed. */
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    if (copied !== 'done') return;
    const id = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(id);
  }, [copied]);
  const output = generatedOutput(check, file, kind);
  const options: { value: OutputKind; label: string; hint: string }[] = [
    {
      value: 'header',
      label: port ? headerName(port.definition.portName) : 'C header',
      hint: `The C header the firmware compiles, from ${file}`,
    },
    { value: 'typescript', label: 'ipc_ports.ts', hint: 'Tags, layouts and a codec for every file, in TypeScript' },
    { value: 'layout', label: 'layout.json', hint: 'Every struct’s size, alignment and field offsets' },
  ];
  const copy = (text: string) => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('done'),
      (error: unknown) => setCopied(`Could not copy: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  return (
    <section className="panel defs-output" aria-label="Generated code">
      <header className="panel-head">
        <h2>Generated</h2>
        <Segmented
          label="Output"
          value={kind}
          options={options}
          onChange={(k) => {
            setKind(k);
            setCopied(null);
          }}
        />
        <span className="defs-spacer" />
        <button
          type="button"
          className="defs-copy"
          disabled={typeof output === 'string'}
          onClick={() => typeof output !== 'string' && copy(output.text)}
          title={typeof output === 'string' ? undefined : `Copy ${output.name}`}
        >
          {copied === 'done' ? 'Copied ✓' : 'Copy'}
        </button>
        <button
          type="button"
          disabled={typeof output === 'string'}
          onClick={() => typeof output !== 'string' && download(output.name, output.text)}
          title={typeof output === 'string' ? undefined : `Download ${output.name}`}
        >
          Download
        </button>
      </header>
      {typeof output === 'string' ? (
        <p className="empty defs-code-empty">{output}</p>
      ) : (
        <>
          {copied !== null && copied !== 'done' && (
            <p className="form-error" role="alert">
              {copied}
            </p>
          )}
          {output.note && <p className="defs-note">{output.note}</p>}
          <pre className="defs-code" aria-label={`Generated ${output.name}`} tabIndex={0}>
            {output.text}
          </pre>
        </>
      )}
      <div className="defs-tables">
        {port ? <TagTable port={port} /> : <p className="empty">{file} defines no port yet.</p>}
        {port && <StructTables port={port} />}
      </div>
    </section>
  );
}

const Stale = ({ port }: { readonly port: PortView }) =>
  port.stale ? <span className="defs-stale"> (before the last edit)</span> : null;

function TagTable({ port }: { readonly port: PortView }) {
  return (
    <div className="defs-table-box">
      <h3>
        Tags of <code>{port.definition.portName}</code>
        <Stale port={port} />
      </h3>
      <table className="defs-table" aria-label="Tags">
        <thead>
          <tr>
            <th>Tag</th>
            <th className="num">Value</th>
            <th>Kind</th>
          </tr>
        </thead>
        <tbody>
          {tagTable(port.definition).map((t) => (
            <tr key={t.name} className={`tag-${t.kind}`}>
              <td>
                <code>{t.name}</code>
              </td>
              <td className="num">
                <code>{t.value}</code>
              </td>
              <td className="note" title={t.message ?? `one past the last tag of ${port.definition.portName}`}>
                {t.kind}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StructTables({ port }: { readonly port: PortView }) {
  const rows = structRows(port.definition, port.structs);
  return (
    <div className="defs-table-box" aria-label="Struct layouts" role="group">
      <h3>
        Struct layouts (ARM EABI)
        <Stale port={port} />
      </h3>
      {rows.length === 0 && <p className="empty">No structs: this port carries protos only.</p>}
      {rows.map((s) => (
        <table key={s.name} className="defs-table defs-struct" aria-label={s.name}>
          <caption>
            <code>{s.name}</code>
            <span className="note">
              {s.layout ? ` size ${s.layout.size} · align ${s.layout.align}` : ' a field’s type is unknown'}
            </span>
          </caption>
          <tbody>
            {s.layout?.fields.map((f) => (
              <tr key={f.name}>
                <td className="num">
                  <code>+{f.offset}</code>
                </td>
                <td>
                  <code>
                    {f.type} {f.name}
                    {f.dims.map((d) => `[${d}]`).join('')}
                  </code>
                </td>
                <td className="num note">{f.size} B</td>
              </tr>
            ))}
            {s.layout && s.layout.fields.length === 0 && (
              <tr>
                <td colSpan={3} className="note">
                  no fields: an empty struct (size 0), sent with ipc_send_empty
                </td>
              </tr>
            )}
          </tbody>
        </table>
      ))}
    </div>
  );
}
