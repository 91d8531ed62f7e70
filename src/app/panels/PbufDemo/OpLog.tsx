import { ResultText } from './ResultText';
import type { LogEntry } from './session';

/** Every call either core made, newest first, with the cache maintenance it issued. */
export function OpLog({ log }: { readonly log: readonly LogEntry[] }) {
  return (
    <section className="oplog" aria-label="Call log">
      <h2>Calls</h2>
      <ol>
        {[...log].reverse().map((e) => (
          <li key={e.id} className={`log-${e.core}`}>
            <span className="log-id">#{e.id}</span> <span className="core-tag small">{e.core}</span>{' '}
            <code>{e.call}</code> → <ResultText result={e.result} />
            {e.note && <span className="note"> · {e.note}</span>}
            {e.cacheOps.length > 0 && (
              <details>
                <summary>{e.cacheOps.length} cache ops</summary>
                <code className="cache-ops">{e.cacheOps.join('  ')}</code>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
