import { useState } from 'react';
import type { PbufInspection } from '../../../core';
import { useAppStore } from '../../store/appStore';
import { formatBytes } from './payload';
import { ResultText } from './ResultText';
import type { DemoSession } from './session';

/** ICMsg reads into a CONFIG_PBUF_RX_READ_BUF_SIZE buffer: 128 bytes by default. */
const PBUF_RX_READ_BUF_SIZE = 128;

const printable = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join('');

/** Core B: owns rd_idx (and the handshake word); reads, peeks, and peeks at the first packet. */
export function ReaderPanel({
  session,
  inspection,
}: {
  readonly session: DemoSession;
  readonly inspection: PbufInspection;
}) {
  const read = useAppStore((s) => s.demoRead);
  const peek = useAppStore((s) => s.demoPeek);
  const initialBuf = useAppStore((s) => s.demoInitialBuf);
  const lastRead = useAppStore((s) => s.demoLastRead);
  const [capacity, setCapacity] = useState(PBUF_RX_READ_BUF_SIZE);
  const last = [...session.log].reverse().find((e) => e.core === 'B');
  const capacityOk = Number.isInteger(capacity) && capacity >= 0 && capacity <= 0xffff;

  return (
    <section className="core core-b" aria-label="Core B (reader)">
      <h2>
        <span className="core-tag">Core B</span> RX · reader
      </h2>
      <dl className="indices">
        <dt>local rd_idx</dt>
        <dd data-testid="reader-local-rd">{session.pair.reader.data.rdIdx}</dd>
        <dt>shared rd_idx</dt>
        <dd>{inspection.rdIdx}</dd>
        {inspection.handshake !== null && (
          <>
            <dt>handshake</dt>
            <dd>0x{inspection.handshake.toString(16).padStart(8, '0')}</dd>
          </>
        )}
      </dl>
      <label>
        Read buffer
        <input
          type="number"
          min={0}
          max={65535}
          value={Number.isNaN(capacity) ? '' : capacity}
          aria-label="Read buffer size"
          onChange={(e) => setCapacity(e.target.valueAsNumber)}
        />
        <span className="unit">bytes</span>
      </label>
      <div className="row">
        <button type="button" className="primary" disabled={!capacityOk} onClick={() => read(capacity)}>
          pbuf_read
        </button>
        <button type="button" className="secondary" onClick={peek}>
          Peek (buf = NULL)
        </button>
        <button type="button" className="secondary" onClick={initialBuf} title="What ICMsg's detect mode uses">
          get_initial_buf
        </button>
      </div>
      {last && (
        <p className="last-result" aria-live="polite">
          {last.call} → <ResultText result={last.result} />
          {last.note && <span className="note"> · {last.note}</span>}
        </p>
      )}
      {lastRead && (
        <figure className="read-bytes">
          <figcaption>Last packet read ({lastRead.length} bytes)</figcaption>
          <code data-testid="last-read-hex">{formatBytes(lastRead, 64)}</code>
          <code className="ascii">{printable(lastRead.subarray(0, 64))}</code>
        </figure>
      )}
    </section>
  );
}
