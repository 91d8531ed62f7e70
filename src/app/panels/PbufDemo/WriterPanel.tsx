import { useState } from 'react';
import type { PbufInspection } from '../../../core';
import { useAppStore } from '../../store/appStore';
import { countingBytes, formatBytes, parsePayload, type PayloadFormat } from './payload';
import { ResultText } from './ResultText';
import type { DemoSession } from './session';

/** Core A: owns wr_idx and the data; writes one packet per call. */
export function WriterPanel({
  session,
  inspection,
}: {
  readonly session: DemoSession;
  readonly inspection: PbufInspection;
}) {
  const write = useAppStore((s) => s.demoWrite);
  const [format, setFormat] = useState<PayloadFormat>('hex');
  const [input, setInput] = useState('48 65 6c 6c 6f');
  const [count, setCount] = useState(25);
  const [start, setStart] = useState('b0');
  const parsed = parsePayload(input, format);
  const last = [...session.log].reverse().find((e) => e.core === 'A');

  const fillCounting = () => {
    const from = /^[0-9a-fA-F]{1,2}$/.test(start) ? parseInt(start, 16) : 0;
    setFormat('hex');
    setInput(formatBytes(countingBytes(Math.max(0, Math.min(count, 4096)), from)));
  };

  return (
    <section className="core core-a" aria-label="Core A (writer)">
      <h2>
        <span className="core-tag">Core A</span> TX · writer
      </h2>
      <dl className="indices">
        <dt>local wr_idx</dt>
        <dd data-testid="writer-local-wr">{session.pair.writer.data.wrIdx}</dd>
        <dt>shared wr_idx</dt>
        <dd>{inspection.wrIdx}</dd>
      </dl>
      <div className="segmented" role="radiogroup" aria-label="Payload format">
        {(['hex', 'text'] as const).map((f) => (
          <button
            key={f}
            type="button"
            role="radio"
            aria-checked={format === f}
            className={format === f ? 'on' : ''}
            onClick={() => setFormat(f)}
          >
            {f === 'hex' ? 'Hex bytes' : 'Text'}
          </button>
        ))}
      </div>
      <textarea
        aria-label="Payload"
        value={input}
        spellCheck={false}
        rows={4}
        onChange={(e) => setInput(e.target.value)}
      />
      <div className="hint">
        {parsed.ok ? `${parsed.value.length} bytes` : <span className="form-error">{parsed.error}</span>}
      </div>
      <div className="row">
        <label>
          Counting
          <input
            className="narrow"
            type="number"
            min={1}
            max={4096}
            value={count}
            aria-label="Counting bytes length"
            onChange={(e) => setCount(e.target.valueAsNumber)}
          />
        </label>
        <label>
          from 0x
          <input
            className="narrow"
            value={start}
            aria-label="Counting bytes start"
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <button type="button" className="secondary" onClick={fillCounting}>
          Fill
        </button>
      </div>
      <button
        type="button"
        className="primary"
        disabled={!parsed.ok}
        onClick={() => {
          if (parsed.ok) write(parsed.value);
        }}
      >
        pbuf_write
      </button>
      {last && (
        <p className="last-result" aria-live="polite">
          {last.call} → <ResultText result={last.result} />
          {last.note && <span className="note"> · {last.note}</span>}
        </p>
      )}
    </section>
  );
}
