/**
 * The timeline's hover tooltip (fixed to the viewport, next to the pointer): an event's kind,
 * lane, time and key fields; a message's ends and latency; or just the time under the pointer.
 */
import { CONTEXTS, LANES_PER_DOMAIN, type TraceTable } from '../../trace/TraceTable';
import { formatNs } from '../../format';
import { describeEvent } from '../../debug/describe';
import type { TimelineHit } from './timelineRenderer';
import { formatTime } from './viewport';

export interface Tip {
  readonly hit: TimelineHit;
  /** Pointer position in client coordinates. */
  readonly x: number;
  readonly y: number;
}

const WIDTH = 300;

function laneName(table: TraceTable, index: number): string {
  const lane = table.lane[index] ?? 0;
  const domain = table.domains[Math.floor(lane / LANES_PER_DOMAIN)] ?? '?';
  return `${domain} · ${CONTEXTS[lane % LANES_PER_DOMAIN] ?? '?'}`;
}

function Fields({ rows }: { rows: readonly (readonly [string, React.ReactNode])[] }) {
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k} className="tip-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Body({ hit, table, cursor }: { hit: TimelineHit; table: TraceTable; cursor: number }) {
  if (hit.kind === 'time') return <div className="tip-title">{formatNs(Math.round(hit.ns))}</div>;
  if (hit.kind === 'message') {
    const sent = hit.send >= 0 ? (table.t[hit.send] ?? NaN) : NaN;
    const read = hit.receive >= 0 ? (table.t[hit.receive] ?? NaN) : NaN;
    const rows: [string, string][] = [
      ['sent', hit.send >= 0 ? `${laneName(table, hit.send)} at ${formatNs(sent)}` : 'before the oldest event held'],
      ['read', hit.receive >= 0 ? `${laneName(table, hit.receive)} at ${formatNs(read)}` : 'not yet'],
    ];
    if (Number.isFinite(sent) && Number.isFinite(read)) rows.push(['latency', formatTime(read - sent)]);
    // A libipc item: which tag went through which port, from which task to which.
    const from = hit.send >= 0 ? table.event(hit.send) : undefined;
    const to = hit.receive >= 0 ? table.event(hit.receive) : undefined;
    const item = from?.kind === 'port' ? from : to?.kind === 'port' ? to : null;
    if (item) {
      const tasks = `${from?.kind === 'port' ? from.task : '?'} → ${to?.kind === 'port' ? to.task : 'not received'}`;
      rows.unshift(['port', item.port], ['tasks', tasks]);
    }
    // A synchronous-channel message or reply: from which task to which, through which channel.
    const call = from?.kind === 'channel' ? from : to?.kind === 'channel' ? to : null;
    if (call) {
      const tasks = `${from?.kind === 'channel' ? from.task : '?'} → ${to?.kind === 'channel' ? to.task : 'not received'}`;
      rows.unshift(['tasks', tasks]);
      if (from?.kind === 'channel' && from.channel !== undefined) rows.unshift(['channel', from.channel]);
    }
    return (
      <>
        <div className="tip-title">
          {from?.kind === 'channel' && from.op === 'reply' ? 'reply' : 'message'} #{hit.msgId}
          {item ? ` · ${item.tagName ?? `tag ${item.tag ?? '?'}`}` : ''}
        </div>
        <Fields rows={rows} />
      </>
    );
  }
  const e = table.event(hit.index);
  if (!e) return <div className="tip-title">event {hit.index} (not held)</div>;
  const d = describeEvent(e);
  const rows: (readonly [string, React.ReactNode])[] = [
    ['kind', e.kind],
    ['lane', laneName(table, hit.index)],
    [
      'time',
      <>
        {formatNs(e.t)} <span className="timeline-muted">seq {e.seq}</span>
      </>,
    ],
    ...d.fields,
  ];
  return (
    <>
      <div className={d.problem ? 'tip-title tip-problem' : 'tip-title'}>{d.title}</div>
      <Fields rows={rows} />
      {hit.index >= cursor && <div className="tip-future">recorded future (after the time cursor)</div>}
    </>
  );
}

export function TimelineTooltip({ tip, table, cursor }: { tip: Tip; table: TraceTable; cursor: number }) {
  const left = tip.x + 16 + WIDTH > window.innerWidth ? tip.x - WIDTH - 12 : tip.x + 16;
  return (
    <div className="timeline-tip" role="tooltip" style={{ left, top: tip.y + 14, maxWidth: WIDTH }}>
      <Body hit={tip.hit} table={table} cursor={cursor} />
    </div>
  );
}
