/**
 * Share: puts the link of what is open in the address bar and on the clipboard, and says what it
 * holds. Beside it, what the page's own link said (another app version, or why it could not be
 * opened: the app then shows its demo and stays usable).
 */
import { useState } from 'react';
import { useAppStore } from '../store/appStore';
import { deepLinkHash, shareLinkFor } from './shareLink';

export function ShareControls() {
  const scenario = useAppStore((s) => s.scenario);
  const session = useAppStore((s) => s.session);
  const [status, setStatus] = useState<string | null>(null);
  const [deep, setDeep] = useState(true);
  const clearLinkMessage = useAppStore((s) => s.setLinkMessage);
  const frame = useAppStore((s) => s.frame);
  const selection = useAppStore((s) => s.selection);
  return (
    <div className="share">
      <button
        type="button"
        className="share-button"
        title="Copy a link that opens this scenario (and replays this run on the inline runtime)"
        onClick={() => {
          const link = shareLinkFor(scenario, session);
          const caveat = link.caveat;
          const at = deep && session?.inline ? (frame?.step ?? null) : null;
          const hash = deep ? deepLinkHash(link.hash, at, selection) : link.hash;
          history.replaceState(null, '', `#${hash}`);
          clearLinkMessage(null);
          const url = location.href;
          const said = `Link of ${url.length} characters`;
          const tail = caveat === null ? '' : ` — ${caveat}`;
          setStatus(`${said} is in the address bar${tail}.`);
          void navigator.clipboard
            ?.writeText(url)
            .then(() => setStatus(`${said} copied${tail}.`))
            .catch(() => undefined);
        }}
      >
        Share
      </button>
      <label className="share-deep" title="Put the time cursor and the selection in the link too">
        <input type="checkbox" checked={deep} onChange={(e) => setDeep(e.target.checked)} /> cursor &amp; selection
      </label>
      {status !== null && (
        <span className="share-status" role="status">
          {status}
        </span>
      )}
    </div>
  );
}

export function LinkBanner() {
  const message = useAppStore((s) => s.linkMessage);
  const dismiss = useAppStore((s) => s.setLinkMessage);
  if (!message) return null;
  return (
    <div className={`link-banner ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
      <span>{message.text}</span>
      <button type="button" onClick={() => dismiss(null)} aria-label="Dismiss the link message">
        ×
      </button>
    </div>
  );
}
