/**
 * Send a message by hand from any endpoint: text (sent as UTF-8) or hex bytes (`de ad be ef`), as
 * the user says (a word such as "dead" reads either way).
 * In the inline runtime the send is recorded at the current decision: the endpoint's task calls
 * `ipc_service_send()` when it next runs, and the future after it is a new branch.
 */
import { useState } from 'react';
import { encodeUtf8, fromHex } from '../../../core';
import { useAppStore } from '../../store/appStore';

export type PayloadFormat = 'text' | 'hex';

/** The bytes a user typed, read as UTF-8 text or as hex bytes (spaces and a leading 0x allowed). */
export function parsePayload(text: string, format: PayloadFormat): { bytes: Uint8Array } | { error: string } {
  if (text.length === 0) return { error: 'type a message' };
  let bytes: Uint8Array;
  if (format === 'hex') {
    const parsed = fromHex(text.trim().replace(/^0x/i, ''));
    if (!parsed.ok) return { error: parsed.error };
    bytes = parsed.value;
  } else {
    bytes = encodeUtf8(text);
  }
  if (bytes.length > 65535) return { error: 'at most 65535 bytes' };
  return { bytes };
}

export function SendPanel() {
  const session = useAppStore((s) => s.session);
  const act = useAppStore((s) => s.act);
  const endpoints = session?.scenario.endpoints.map((e) => `${e.domain}/${e.instance}/${e.name}`) ?? [];
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [text, setText] = useState('hello');
  const [format, setFormat] = useState<PayloadFormat>('text');
  const chosen = endpoint !== null && endpoints.includes(endpoint) ? endpoint : (endpoints[0] ?? '');
  const parsed = parsePayload(text, format);
  const refused = session?.mode === 'workers' ? 'sending by hand needs the inline runtime' : null;

  return (
    <section className="panel send-panel" aria-label="Send by hand">
      <header className="panel-head">
        <h2>Send by hand</h2>
      </header>
      <form
        className="send-form"
        onSubmit={(e) => {
          e.preventDefault();
          if ('bytes' in parsed) act({ kind: 'send', endpoint: chosen, data: Array.from(parsed.bytes) });
        }}
      >
        <select aria-label="From endpoint" value={chosen} onChange={(e) => setEndpoint(e.target.value)}>
          {endpoints.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <input aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        <select aria-label="Message format" value={format} onChange={(e) => setFormat(e.target.value as PayloadFormat)}>
          <option value="text">text</option>
          <option value="hex">hex</option>
        </select>
        <button
          type="submit"
          disabled={!('bytes' in parsed) || refused !== null || chosen === ''}
          title={refused ?? ''}
        >
          Send
        </button>
      </form>
      <p className={'error' in parsed ? 'send-hint error' : 'send-hint'}>
        {'error' in parsed
          ? parsed.error
          : `${parsed.bytes.length} bytes; the endpoint's task sends them when it next runs`}
        {refused ? ` · ${refused}` : ''}
      </p>
    </section>
  );
}
