/**
 * The event list: every trace event, filtered by domain, endpoint and kind and searched by text,
 * drawn as a virtual list (only the rows on screen exist) so long traces stay fast. Events after
 * the time cursor (the recorded future) are dimmed; a click selects the event and moves the
 * cursor to it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { KINDS } from '../../../core';
import { eventLine } from '../../debug/describe';
import { formatNs } from '../../format';
import { useAppStore } from '../../store/appStore';
import { selectedMessage } from '../../store/selectionSlice';
import { lowerBound } from '../../trace/search';
import { TraceFlag } from '../../trace/TraceTable';
import { FilterIndex } from './eventFilter';
import './eventList.css';

const ROW = 20;

export function EventList() {
  const session = useAppStore((s) => s.session);
  const frame = useAppStore((s) => s.frame);
  const filter = useAppStore((s) => s.eventFilter);
  const setFilter = useAppStore((s) => s.setEventFilter);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement | null>(null);
  const index = useMemo(() => new FilterIndex(), []);
  const revision = frame?.revision ?? 0;
  const rows = useMemo(
    () => (session ? index.update(session.table, filter).slice() : new Uint32Array(0)),
    // The revision stands for the session's mutable trace.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [session, filter, revision, index],
  );
  const table = session?.table ?? null;
  const cursor = frame?.cursor ?? 0;
  const msg = selectedMessage(selection, table);
  const selectedSeq = selection?.kind === 'event' ? selection.seq : null;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Keep the row at the cursor in view while following.
  useEffect(() => {
    const el = box.current;
    if (!el || !follow) return;
    const at = lowerBound(rows, rows.length, cursor);
    const top = Math.max(0, (at - 1) * ROW - el.clientHeight / 2);
    el.scrollTop = top;
  }, [rows, cursor, follow]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - 5);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW) + 5);
  const visible: number[] = [];
  for (let r = first; r < last; r++) visible.push(r);
  const domains = session?.scenario.domains.map((d) => d.name) ?? [];
  const endpoints = session?.scenario.endpoints.map((e) => `${e.domain}/${e.instance}/${e.name}`) ?? [];
  const one = (values: readonly string[]) => values[0] ?? '';

  return (
    <section className="panel event-list" aria-label="Events">
      <header className="panel-head">
        <h2>Events</h2>
        <span className="el-count">
          {rows.length} of {table?.length ?? 0}
          {table && table.evicted > 0 ? ` · ${table.evicted} oldest evicted` : ''}
        </span>
        <label className="el-follow">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow cursor
        </label>
      </header>
      <div className="el-filters">
        <select
          aria-label="Filter by domain"
          value={one(filter.domains)}
          onChange={(e) => setFilter({ domains: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">all domains</option>
          {domains.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
        <select
          aria-label="Filter by endpoint"
          value={one(filter.endpoints)}
          onChange={(e) => setFilter({ endpoints: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">all endpoints</option>
          {endpoints.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <select
          aria-label="Filter by kind"
          value={one(filter.kinds)}
          onChange={(e) => setFilter({ kinds: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">all kinds</option>
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Search events"
          placeholder="search…"
          value={filter.text}
          onChange={(e) => setFilter({ text: e.target.value })}
        />
      </div>
      <div
        className="el-rows"
        ref={box}
        role="listbox"
        aria-label="Trace events"
        tabIndex={0}
        aria-activedescendant={selectedSeq === null ? undefined : `ev-${selectedSeq}`}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onWheel={() => setFollow(false)}
        onKeyDown={(e) => {
          // ↑/↓ select the previous/next listed event and move the cursor to it.
          if (!table || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
          e.preventDefault();
          const current = selectedSeq === null ? -1 : table.indexOfSeq(selectedSeq);
          const at = current < 0 ? lowerBound(rows, rows.length, cursor) : lowerBound(rows, rows.length, current);
          const next = e.key === 'ArrowDown' ? (current < 0 ? at : at + 1) : at - 1;
          const index = rows[Math.max(0, Math.min(rows.length - 1, next))];
          const ev = index === undefined ? undefined : table.event(index);
          if (index === undefined || !ev) return;
          select({ kind: 'event', seq: ev.seq });
          seekEvent(index);
        }}
      >
        <div style={{ height: rows.length * ROW, position: 'relative' }}>
          {table &&
            visible.map((r) => {
              const i = rows[r] ?? 0;
              const e = table.event(i);
              if (!e) return null;
              const flags = table.flags[i] ?? 0;
              const id = table.msgId[i] ?? NaN;
              const cls = [
                'el-row',
                i >= cursor ? 'future' : '',
                flags & TraceFlag.problem ? 'problem' : '',
                selectedSeq === e.seq ? 'selected' : '',
                msg !== null && id === msg ? 'msg' : '',
              ].join(' ');
              return (
                <div
                  key={e.seq}
                  id={`ev-${e.seq}`}
                  role="option"
                  aria-selected={selectedSeq === e.seq}
                  className={cls}
                  style={{ top: r * ROW }}
                  data-seq={e.seq}
                  onClick={() => {
                    select({ kind: 'event', seq: e.seq });
                    seekEvent(i);
                  }}
                >
                  <span className="el-seq">{e.seq}</span>
                  <span className="el-t">{formatNs(e.t)}</span>
                  <span className="el-dom">{e.domain}</span>
                  <span className={`el-kind k-${e.kind}`}>{e.kind}</span>
                  <span className="el-text">{eventLine(e)}</span>
                </div>
              );
            })}
        </div>
      </div>
    </section>
  );
}
