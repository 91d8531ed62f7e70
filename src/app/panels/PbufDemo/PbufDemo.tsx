import { useMemo } from 'react';
import { inspectPbuf } from '../../../core';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { useAppStore } from '../../store/appStore';
import { ConfigBar } from './ConfigBar';
import { HexView } from './HexView';
import { OpLog } from './OpLog';
import { ReaderPanel } from './ReaderPanel';
import { RingView } from './RingView';
import { WriterPanel } from './WriterPanel';

/**
 * The first screen: one pbuf region between two cores. Core A writes packets, core B reads them,
 * and the ring and the hex pane show every byte that changes. The seed of the ring inspector.
 */
export function PbufDemo() {
  const session = useAppStore((s) => s.demoSession);
  const revision = useAppStore((s) => s.demoRevision);
  const inspection = useMemo(
    () => (session ? inspectPbuf(session.pair.map.bytes, session.pair.cfg) : null),
    // The memory is mutable: `revision` changes after every call that may have written it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [session, revision],
  );
  const bytes = useMemo(
    () => (session ? session.pair.map.bytes.slice(0, session.config.regionSize) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [session, revision],
  );

  if (!session || !inspection || !bytes) {
    return <p className="loading">Setting up shared memory…</p>;
  }
  const region = session.pair.map.regions[0];

  return (
    <section className="demo" aria-label="pbuf demo">
      <div className="demo-intro">
        <h2>pbuf · the packet FIFO under Zephyr's ICMsg</h2>
        <p>
          One region of shared RAM, written by core A and read by core B, byte-compatible with Zephyr's{' '}
          <code>pbuf.c</code>. Write packets, read them back, and watch the indices, the framing and the wrap.
        </p>
      </div>
      <ConfigBar />
      {session.buildAsserts.length > 0 && (
        <p className="warning" role="status">
          A firmware build would stop here: PBUF_DEFINE build assert{session.buildAsserts.length > 1 ? 's' : ''} “
          {session.buildAsserts.join('”, “')}”. The calls below show what the code itself does.
        </p>
      )}
      {session.initFailed && (
        <p className="warning" role="status">
          pbuf_tx_init / pbuf_rx_init returned -EINVAL: validate_cfg() rejects this layout
          {session.config.useHandshake && session.config.dcacheAlignment < 8
            ? ' (with a handshake word, wr_idx lands at rd_idx + 8 while the check wants rd_idx + MAX(4, dcache): ICMsg 1.1 needs dcache-alignment ≥ 8)'
            : ''}
          . Every call on it fails the same way.
        </p>
      )}
      <div className="demo-grid">
        <WriterPanel session={session} inspection={inspection} />
        <ErrorBoundary area="The ring view">
          <RingView len={session.pair.cfg.len} inspection={inspection} />
        </ErrorBoundary>
        <ReaderPanel session={session} inspection={inspection} />
      </div>
      <div className="demo-bottom">
        <ErrorBoundary area="The hex view">
          <HexView
            bytes={bytes}
            cfg={session.pair.cfg}
            base={session.pair.map.base}
            regionOffset={region?.offset ?? 0}
            inspection={inspection}
          />
        </ErrorBoundary>
        <OpLog log={session.log} />
      </div>
    </section>
  );
}
