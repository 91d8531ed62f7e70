/**
 * Sequence-diagram mode of the timeline panel (SVG): lifelines per endpoint and per libipc task,
 * messages as arrows from sender to receiver (a libipc item labelled with its tag), proto
 * responses as dashed replies labelled with their seq (a stale one in the problem colour, ending
 * in ✕ before it reaches the client), lifelines per synchronous-channel task too (messages labelled
 * with channel and copy path, replies dashed and labelled `reply`), callbacks, failed sends, state changes and problems as notes. It shows
 * the timeline's window (the whole trace when the window is "fit"), at most SEQUENCE_CAP
 * messages, and says so when there are more. Rows after the time cursor are the recorded future,
 * dimmed, with the cursor drawn as a line between rows. Click a message to select it and move the
 * time cursor to its send; click a note to select its event.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TraceTable } from '../../trace/TraceTable';
import { type Selection, sameSelection, selectedMessage } from '../../store/selectionSlice';
import { appStore, useAppStore } from '../../store/appStore';
import { CURSOR_COLOUR, domainColour, messageColour, PROBLEM_COLOUR, SELECTION_COLOUR } from '../../theme/colours';
import { formatNs } from '../../format';
import { describeEvent } from '../../debug/describe';
import { TRANSITION_COLOUR } from './palette';
import { buildSequence, lifelinesOf, type SequenceMessage, type SequenceNote, type SequenceReply } from './sequence';

export const SEQUENCE_CAP = 300;
const HEADER = 46;
const ROW = 22;
const GUTTER = 88;
const MIN_COLUMN = 180;

const TONE: Record<SequenceNote['tone'], string> = {
  state: TRANSITION_COLOUR,
  bound: '#3fb950',
  unbound: '#d29922',
  problem: PROBLEM_COLOUR,
  wait: '#d29922',
};

/** How far towards its client a stale reply is drawn before its ✕. */
const STALE_REACH = 0.6;

/** An arrowhead marker per message colour (SVG markers cannot take the line's colour everywhere). */
const headId = (colour: string) => `seq-head-${colour.replace('#', '')}`;

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

export function SequenceView({ table }: { table: TraceTable }) {
  const session = useAppStore((s) => s.session);
  const frame = useAppStore((s) => s.frame);
  const viewport = useAppStore((s) => s.viewport);
  const selection = useAppStore((s) => s.selection);
  const hover = useAppStore((s) => s.hover);
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  const revision = frame?.revision ?? 0;
  const lifelines = useMemo(() => (session ? lifelinesOf(session.scenario) : []), [session]);
  const model = useMemo(() => {
    const from = viewport ? table.indexAtTime(viewport.startNs - table.tSlackNs) : 0;
    const to = viewport ? table.indexAtTime(viewport.endNs + table.tSlackNs) : table.length;
    return buildSequence(table, lifelines, from, to, SEQUENCE_CAP);
    // The revision stands for the table's mutable content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [table, lifelines, viewport, revision]);
  const cursor = frame?.cursor ?? table.length;
  const selectedMsg = selectedMessage(selection, table);
  const hoverMsg = selectedMessage(hover, table);
  const selectedSeq = selection?.kind === 'event' ? selection.seq : null;

  const column = Math.max(MIN_COLUMN, (width - GUTTER) / Math.max(1, lifelines.length));
  const xOf = (k: number) => GUTTER + (k + 0.5) * column;
  const yOf = (row: number) => HEADER + row * ROW + ROW / 2;
  const svgWidth = Math.max(width, GUTTER + column * lifelines.length);
  const svgHeight = HEADER + Math.max(1, model.rows.length) * ROW + 12;
  const cursorRow = model.rows.findIndex((index) => index >= cursor);

  const hoverTo = (next: Selection | null) => {
    const s = appStore.getState();
    if (!sameSelection(s.hover, next)) s.setHover(next);
  };
  const pickMessage = (m: SequenceMessage) => {
    const s = appStore.getState();
    s.select({ kind: 'message', msgId: m.msgId });
    const at = m.send >= 0 ? m.send : m.receive;
    if (at >= 0) s.seekEvent(at);
  };
  const pickReply = (r: SequenceReply) => {
    const s = appStore.getState();
    const seq = table.seq[r.send];
    if (seq !== undefined) s.select({ kind: 'event', seq });
    s.seekEvent(r.send);
  };
  const pickNote = (n: SequenceNote) => {
    const s = appStore.getState();
    const seq = table.seq[n.index];
    if (seq !== undefined) s.select({ kind: 'event', seq });
    s.seekEvent(n.index);
  };
  const onKey = (e: React.KeyboardEvent, act: () => void) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      act();
    }
  };

  if (lifelines.length === 0) {
    return <p className="timeline-empty">This scenario has no endpoints to draw lifelines for.</p>;
  }
  return (
    <div className="sequence" ref={ref}>
      {model.truncated && (
        <p className="sequence-cap" role="status">
          Showing the first {model.shown.toLocaleString('en-US')} of {model.total.toLocaleString('en-US')} messages in
          this window: zoom in on the timeline (W, wheel) to see the rest.
        </p>
      )}
      <svg width={svgWidth} height={svgHeight} role="group" aria-label="Sequence diagram" className="sequence-svg">
        <defs>
          {[
            ...new Set([
              ...model.messages.map((m) => messageColour(m.msgId)),
              ...model.replies.filter((r) => !r.stale).map((r) => messageColour(r.msgId)),
            ]),
          ].map((colour) => (
            <marker
              key={colour}
              id={headId(colour)}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" fill={colour} />
            </marker>
          ))}
        </defs>
        {model.rows.map((_index, row) =>
          row % 2 === 0 ? null : (
            <rect
              key={`band${row}`}
              x={0}
              y={HEADER + row * ROW}
              width={svgWidth}
              height={ROW}
              className="sequence-band"
            />
          ),
        )}
        {cursorRow >= 0 && (
          <rect
            x={GUTTER}
            y={HEADER + cursorRow * ROW}
            width={svgWidth - GUTTER}
            height={(model.rows.length - cursorRow) * ROW}
            className="sequence-future"
          />
        )}
        {model.rows.map((index, row) => (
          <text
            key={`t${row}`}
            x={GUTTER - 8}
            y={yOf(row)}
            className="sequence-time"
            textAnchor="end"
            dominantBaseline="middle"
            opacity={index >= cursor ? 0.45 : 1}
          >
            {formatNs(table.t[index] ?? 0)}
          </text>
        ))}
        {lifelines.map((l, k) => (
          <g key={l.key}>
            <line x1={xOf(k)} x2={xOf(k)} y1={HEADER - 4} y2={svgHeight} className="sequence-lifeline" />
            <rect x={xOf(k) - column / 2 + 8} y={6} width={column - 16} height={32} rx={5} className="sequence-head" />
            <rect
              x={xOf(k) - column / 2 + 8}
              y={6}
              width={4}
              height={32}
              fill={domainColour(table.domains.indexOf(l.domain))}
            />
            <text x={xOf(k)} y={18} textAnchor="middle" className="sequence-head-name">
              {l.kind === 'endpoint' ? `${l.instance}/${l.name}` : l.name}
            </text>
            <text x={xOf(k)} y={31} textAnchor="middle" className="sequence-head-domain">
              {l.kind === 'task'
                ? `${l.domain} · libipc task`
                : l.kind === 'channel-task'
                  ? `${l.domain} · channel task`
                  : l.domain}
            </text>
          </g>
        ))}
        {model.notes.map((n) => {
          const e = table.event(n.index);
          const selected = selectedSeq !== null && table.seq[n.index] === selectedSeq;
          const w = Math.min(column - 12, n.text.length * 6.4 + 14);
          return (
            <g
              key={`n${n.index}`}
              role="button"
              tabIndex={0}
              aria-label={`${n.text} on ${lifelines[n.lifeline]?.key ?? '?'}`}
              className="sequence-note"
              opacity={n.index >= cursor ? 0.45 : 1}
              onClick={() => pickNote(n)}
              onKeyDown={(ev) => onKey(ev, () => pickNote(n))}
              onMouseEnter={() => hoverTo({ kind: 'event', seq: table.seq[n.index] ?? -1 })}
              onMouseLeave={() => hoverTo(null)}
            >
              <title>{e ? describeEvent(e).title : n.text}</title>
              <rect
                x={xOf(n.lifeline) - w / 2}
                y={yOf(n.row) - 8}
                width={w}
                height={16}
                rx={8}
                fill="#161c25"
                stroke={selected ? SELECTION_COLOUR : TONE[n.tone]}
                strokeWidth={selected ? 2 : 1}
              />
              <text
                x={xOf(n.lifeline)}
                y={yOf(n.row)}
                textAnchor="middle"
                dominantBaseline="middle"
                fill={TONE[n.tone]}
                className="sequence-note-text"
              >
                {n.text}
              </text>
            </g>
          );
        })}
        {model.messages.map((m) => {
          const colour = messageColour(m.msgId);
          const x1 = m.from >= 0 ? xOf(m.from) : GUTTER + 4;
          const y1 = m.sendRow >= 0 ? yOf(m.sendRow) : yOf(m.receiveRow) - ROW / 2;
          const x2 =
            m.to >= 0 ? xOf(m.to) : x1 + (m.from >= 0 && m.from < lifelines.length - 1 ? column / 2 : -column / 2);
          const y2 = m.receiveRow >= 0 ? yOf(m.receiveRow) : y1 + ROW / 2;
          const selected = m.msgId === selectedMsg;
          const hovered = m.msgId === hoverMsg;
          const future = (m.send >= 0 ? m.send : m.receive) >= cursor;
          const label = `#${m.msgId}${m.label === undefined ? '' : ` ${m.label}`}${m.length === null ? '' : ` · ${m.length} B`}`;
          return (
            <g
              key={`m${m.msgId}`}
              role="button"
              tabIndex={0}
              aria-label={`message #${m.msgId} from ${lifelines[m.from]?.key ?? 'before this window'} to ${lifelines[m.to]?.key ?? 'not received in this window'}`}
              aria-pressed={selected}
              className="sequence-message"
              opacity={future ? 0.4 : 1}
              onClick={() => pickMessage(m)}
              onKeyDown={(ev) => onKey(ev, () => pickMessage(m))}
              onMouseEnter={() => hoverTo({ kind: 'message', msgId: m.msgId })}
              onMouseLeave={() => hoverTo(null)}
            >
              <title>{`message #${m.msgId}${m.receive < 0 ? ' (not received in this window)' : ''}`}</title>
              <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="transparent" strokeWidth={10} />
              {(selected || hovered) && (
                <line
                  x1={x1}
                  y1={y1}
                  x2={x2}
                  y2={y2}
                  stroke={selected ? SELECTION_COLOUR : '#ffffff'}
                  strokeOpacity={selected ? 0.9 : 0.5}
                  strokeWidth={4}
                />
              )}
              <line
                x1={x1}
                y1={y1}
                x2={x2}
                y2={y2}
                stroke={colour}
                strokeWidth={1.6}
                strokeDasharray={m.receive < 0 ? '4 3' : undefined}
                markerEnd={`url(#${headId(colour)})`}
              />
              <text
                x={(x1 + x2) / 2}
                y={(y1 + y2) / 2 - 5}
                textAnchor="middle"
                className="sequence-label"
                fill={colour}
              >
                {label}
              </text>
            </g>
          );
        })}
        {model.replies.map((r) => {
          const colour = r.stale ? PROBLEM_COLOUR : messageColour(r.msgId);
          const x1 = r.from >= 0 ? xOf(r.from) : GUTTER + 4;
          const y1 = yOf(r.sendRow);
          const target = r.to >= 0 ? xOf(r.to) : x1 + (r.from > 0 ? -column / 2 : column / 2);
          const x2 = r.stale ? x1 + (target - x1) * STALE_REACH : target;
          const y2 = r.receiveRow >= 0 ? yOf(r.receiveRow) : y1 + (r.stale ? 0 : ROW / 2);
          const selected = selectedSeq !== null && table.seq[r.send] === selectedSeq;
          const seq = r.seq === null ? '' : `seq ${r.seq} `;
          const label = r.label ?? (r.stale ? `${seq}stale: dropped` : `${seq}response`);
          const client = r.to >= 0 ? (lifelines[r.to]?.name ?? '?') : 'a client before this window';
          return (
            <g
              key={`r${r.send}`}
              role="button"
              tabIndex={0}
              aria-label={`reply ${label} from ${lifelines[r.from]?.name ?? '?'} to ${client}`}
              className={`sequence-message sequence-reply${r.stale ? ' stale' : ''}`}
              data-reply-seq={r.seq ?? ''}
              data-stale={r.stale}
              opacity={r.send >= cursor ? 0.4 : 1}
              onClick={() => pickReply(r)}
              onKeyDown={(ev) => onKey(ev, () => pickReply(r))}
              onMouseEnter={() => hoverTo({ kind: 'event', seq: table.seq[r.send] ?? -1 })}
              onMouseLeave={() => hoverTo(null)}
            >
              <title>
                {r.stale
                  ? `proto response ${seq}dropped as stale: ${client} retired it after its timeout`
                  : `${r.label === undefined ? `proto response ${seq}` : `${r.label} `}to ${client}${r.receive < 0 ? ' (not taken in this window)' : ''}`}
              </title>
              <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="transparent" strokeWidth={10} />
              {selected && (
                <line x1={x1} y1={y1} x2={x2} y2={y2} stroke={SELECTION_COLOUR} strokeOpacity={0.9} strokeWidth={4} />
              )}
              <line
                x1={x1}
                y1={y1}
                x2={x2}
                y2={y2}
                stroke={colour}
                strokeWidth={1.6}
                strokeDasharray="5 3"
                markerEnd={r.stale ? undefined : `url(#${headId(colour)})`}
              />
              {r.stale && (
                <path
                  d={`M${x2 - 5},${y2 - 5} L${x2 + 5},${y2 + 5} M${x2 + 5},${y2 - 5} L${x2 - 5},${y2 + 5}`}
                  stroke={colour}
                  strokeWidth={2}
                  className="sequence-stale-cross"
                />
              )}
              <text
                x={(x1 + x2) / 2}
                y={(y1 + y2) / 2 - 5}
                textAnchor="middle"
                className="sequence-label"
                fill={colour}
              >
                {label}
              </text>
            </g>
          );
        })}
        {cursorRow >= 0 && (
          <g className="sequence-cursor">
            <line
              x1={0}
              x2={svgWidth}
              y1={HEADER + cursorRow * ROW}
              y2={HEADER + cursorRow * ROW}
              stroke={CURSOR_COLOUR}
              strokeWidth={1.5}
            />
            <text x={6} y={HEADER + cursorRow * ROW - 4} fill={CURSOR_COLOUR} className="sequence-time">
              now
            </text>
          </g>
        )}
      </svg>
      {model.rows.length === 0 && (
        <p className="timeline-empty">No messages, callbacks or state changes in this window.</p>
      )}
    </div>
  );
}
