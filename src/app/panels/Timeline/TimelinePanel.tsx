/**
 * The Timeline panel: a lane per domain and context on canvas (TimelineCanvas), or the same window
 * as a sequence diagram (SequenceView). The toolbar switches mode, zooms, shows the window and
 * says when the oldest events were evicted. The window lives in the store (`viewport`), so other
 * views can follow it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useViolations } from '../../debug/violations';
import { formatNs } from '../../format';
import type { TraceTable } from '../../trace/TraceTable';
import { appStore, useAppStore } from '../../store/appStore';
import { sameSelection, type Selection, selectedMessage } from '../../store/selectionSlice';
import type { TimelineMode } from '../../store/viewSlice';
import { SequenceView } from './SequenceView';
import { type TimelineHit, TimelineRenderer } from './timelineRenderer';
import { type Tip, TimelineTooltip } from './TimelineTooltip';
import { fitOf, formatTime, lastIndexAtOrBefore, zoomAround } from './viewport';
import './timeline.css';
import { Segmented } from '../../components/Segmented';

const MODES: readonly { mode: TimelineMode; label: string; hint: string }[] = [
  { mode: 'timeline', label: 'Timeline', hint: 'lanes per core and context, every event' },
  { mode: 'sequence', label: 'Sequence', hint: 'endpoints and messages in the current window' },
];

const KEYS =
  'Wheel, W/S or +/- zoom; drag, A/D or arrow keys pan; 0 or double-click fits the whole trace. Click an event to select it and move the time cursor there; click empty space to move the cursor.';

export function TimelinePanel() {
  const mode = useAppStore((s) => s.timelineMode);
  const setMode = useAppStore((s) => s.setTimelineMode);
  const session = useAppStore((s) => s.session);
  const frame = useAppStore((s) => s.frame);
  const viewport = useAppStore((s) => s.viewport);
  const setViewport = useAppStore((s) => s.setViewport);
  const table = session?.table ?? null;
  const cursorNs = frame?.cursorTimeNs ?? 0;
  const fit = table ? fitOf(table, cursorNs) : null;
  const shown = viewport ?? fit;
  const zoom = (factor: number) => {
    if (!fit || !shown) return;
    setViewport(zoomAround(shown, factor, (shown.startNs + shown.endNs) / 2, fit));
  };

  return (
    <section className="panel timeline-panel" aria-label="Timeline">
      <header className="panel-head timeline-toolbar">
        <h2>Timeline</h2>
        <Segmented
          label="Timeline mode"
          value={mode}
          options={MODES.map((m) => ({ value: m.mode, label: m.label, hint: m.hint }))}
          onChange={setMode}
        />
        <div className="timeline-zoom" role="group" aria-label="Zoom">
          <button type="button" aria-label="Zoom in" title="Zoom in (W or +)" onClick={() => zoom(0.5)} disabled={!fit}>
            +
          </button>
          <button type="button" aria-label="Zoom out" title="Zoom out (S or -)" onClick={() => zoom(2)} disabled={!fit}>
            −
          </button>
          <button
            type="button"
            title="Show the whole trace (0 or double-click)"
            onClick={() => setViewport(null)}
            disabled={!viewport}
          >
            Fit
          </button>
        </div>
        {shown && (
          <span className="timeline-window" aria-label="Window">
            {formatNs(Math.round(shown.startNs))} – {formatNs(Math.round(shown.endNs))}{' '}
            <span className="timeline-muted">({formatTime(shown.endNs - shown.startNs)})</span>
          </span>
        )}
        <span className="timeline-keys" title={KEYS} aria-label={`Keys: ${KEYS}`} role="note">
          ⌨ keys
        </span>
        <span className="timeline-spacer" />
        {table && table.evicted > 0 && (
          <span className="timeline-evicted" role="status">
            {table.evicted.toLocaleString('en-US')} oldest events evicted
          </span>
        )}
        {table && <span className="timeline-muted">{table.length.toLocaleString('en-US')} events</span>}
      </header>
      {!table ? (
        <p className="timeline-empty">No run yet: open a scenario to see its timeline.</p>
      ) : mode === 'timeline' ? (
        <TimelineCanvas table={table} />
      ) : (
        <SequenceView table={table} />
      )}
    </section>
  );
}

/** The hover target as a shared selection (events by seq, messages by id). */
function hoverOf(hit: TimelineHit | null, table: TraceTable): Selection | null {
  if (hit?.kind === 'event') {
    const seq = table.seq[hit.index];
    return seq === undefined ? null : { kind: 'event', seq };
  }
  if (hit?.kind === 'message') return { kind: 'message', msgId: hit.msgId };
  return null;
}

function TimelineCanvas({ table }: { table: TraceTable }) {
  const frame = useAppStore((s) => s.frame);
  const viewport = useAppStore((s) => s.viewport);
  const selection = useAppStore((s) => s.selection);
  const hover = useAppStore((s) => s.hover);
  const host = useRef<HTMLDivElement>(null);
  const renderer = useRef<TimelineRenderer | null>(null);
  const [tip, setTip] = useState<Tip | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const r = new TimelineRenderer(el, {
      onViewport: (v) => appStore.getState().setViewport(v),
      onClick: (hit) => {
        const s = appStore.getState();
        if (hit.kind === 'event') {
          const seq = table.seq[hit.index];
          if (seq !== undefined) s.select({ kind: 'event', seq });
          s.seekEvent(hit.index);
        } else if (hit.kind === 'message') {
          s.select({ kind: 'message', msgId: hit.msgId });
          const at = hit.send >= 0 ? hit.send : hit.receive;
          if (at >= 0) s.seekEvent(at);
        } else {
          const index = lastIndexAtOrBefore(table.t, table.length, hit.ns);
          if (index >= 0) s.seekEvent(index);
        }
      },
      onHover: (hit, x, y) => {
        const s = appStore.getState();
        const next = hoverOf(hit, table);
        if (!sameSelection(s.hover, next)) s.setHover(next);
        setTip(hit ? { hit, x, y } : null);
      },
    });
    renderer.current = r;
    return () => {
      r.destroy();
      renderer.current = null;
    };
  }, [table]);

  // Where the checker found violations: as it sees them, and where quiescent ones began.
  const checked = useViolations();
  const violations = useMemo(() => {
    if (!checked) return [];
    const seqs = [
      ...checked.live.map((v) => v.seq ?? v.firstSeq),
      ...(checked.atQuiescence ?? []).map((v) => v.firstSeq),
    ];
    return seqs.flatMap((seq) => (seq === undefined ? [] : [table.indexOfSeq(seq)])).filter((i) => i >= 0);
  }, [checked, table]);

  useEffect(() => {
    renderer.current?.update({
      violations,
      table,
      cursor: frame?.cursor ?? table.length,
      cursorTimeNs: frame?.cursorTimeNs ?? null,
      viewport,
      selectedSeq: selection?.kind === 'event' ? selection.seq : null,
      selectedMsg: selectedMessage(selection, table),
      hoverSeq: hover?.kind === 'event' ? hover.seq : null,
      hoverMsg: selectedMessage(hover, table),
    });
  }, [table, frame, viewport, selection, hover, violations]);

  return (
    <div className="timeline-body">
      <div
        ref={host}
        className="timeline-canvas"
        role="application"
        aria-roledescription="timeline"
        aria-label="Timeline canvas"
        aria-description={KEYS}
        tabIndex={0}
      />
      {tip && <TimelineTooltip tip={tip} table={table} cursor={frame?.cursor ?? table.length} />}
    </div>
  );
}
