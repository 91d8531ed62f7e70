/**
 * A port's object history (Tracealyzer's Kernel Object History and Object Utilization): messages
 * as numbered blocks in their queue slot's row from send to receive, coloured by sender; marks for
 * blocked senders and failures; the fill level against the depth. The window is the timeline's
 * when it is zoomed, else the trace from its first event to the time cursor.
 *
 * Pointer: a block selects its message; a mark selects its event; the fill band moves the time
 * cursor there (as the ring inspector's occupancy track does). Each visible block is also a
 * button laid over the canvas (up to OVERLAY_MAX), so the keyboard and screen readers reach them.
 */
import { type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useElementWidth } from '../../components/useElementWidth';
import type { DebugSession } from '../../debug/DebugSession';
import { formatNs } from '../../format';
import type { DebugFrame } from '../../store/runSlice';
import type { Viewport } from '../../store/viewSlice';
import { lastEventAtOrBefore } from '../RingInspector/occupancy';
import { drawHistory, historyLayout, rowAt } from './drawHistory';
import {
  type BlockBox,
  blockAt,
  fillBuckets,
  markAt,
  type MarkTick,
  timeOf,
  visibleBlocks,
  visibleMarks,
  xOf,
} from './historyView';
import { isFailureMark, type PortRecord } from './portHistory';

type Pointer =
  | { readonly kind: 'block'; readonly msgId: number }
  | { readonly kind: 'mark'; readonly index: number }
  | { readonly kind: 'time'; readonly x: number }
  | null;

/** Blocks beyond this many in view are drawn but get no button each. */
const OVERLAY_MAX = 400;

interface Props {
  readonly session: DebugSession;
  readonly frame: DebugFrame;
  readonly record: PortRecord;
  readonly depth: number;
  readonly viewport: Viewport | null;
  readonly colourOf: (task: string) => string;
  readonly selected: number | null;
  readonly hovered: number | null;
  readonly onSelectMessage: (msgId: number) => void;
  readonly onSelectEvent: (index: number) => void;
  readonly onHoverMessage: (msgId: number | null) => void;
  readonly onSeek: (index: number) => void;
}

const MARK_WORDS: Record<MarkTick['op'], string> = {
  'send-blocked': 'sender blocked: queue full',
  'send-timeout': 'send timed out',
  'send-failed': 'send failed',
  reset: 'device reset',
  'proto-timeout': 'proto response timed out',
  'proto-stale': 'stale proto response dropped',
  'proto-mismatch': 'proto response for another seq',
};

function blockText(b: BlockBox): string {
  const m = b.message;
  const stay =
    b.state === 'queued'
      ? `queued for ${formatNs(b.endT - m.sendT)} so far`
      : b.state === 'dropped'
        ? `lost in a reset after ${formatNs(b.endT - m.sendT)}`
        : `queued ${formatNs(b.endT - m.sendT)}`;
  const rewritten = b.rewritten ? ' · its object was rewritten before the receiver was done' : '';
  return `#${m.msgId} ${m.tagName ?? `tag ${m.tag}`} from ${m.task} · slot ${m.slot} · ${stay}${rewritten}`;
}

export function ObjectHistory(props: Props) {
  const { session, frame, record, depth, viewport, colourOf, selected, hovered } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(canvas);
  // What the pointer is on; its words are worked out from the current picture, so they follow the cursor.
  const [pointer, setPointer] = useState<Pointer>(null);
  const { table } = session;
  const first = table.length > 0 ? (table.t[0] ?? 0) : 0;
  const t0 = viewport?.startNs ?? first;
  const t1 = Math.max(viewport?.endNs ?? frame.cursorTimeNs, t0 + 1);
  const layout = historyLayout(width, depth);
  const w = useMemo(() => ({ t0, t1, width }), [t0, t1, width]);

  // `frame` changes with the trace and the cursor: the record has grown or the cut moved.
  const picture = useMemo(
    () => ({
      blocks: visibleBlocks(record, frame.cursor, frame.cursorTimeNs, w),
      fill: fillBuckets(record.fill, frame.cursor, w),
      marks: visibleMarks(record, frame.cursor, w),
    }),
    [record, frame, w],
  );

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(layout.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawHistory(ctx, layout, {
      ...picture,
      colourOf,
      selected,
      hovered,
      cursorX: xOf(w, frame.cursorTimeNs),
    });
  }, [picture, layout, colourOf, selected, hovered, w, frame, width]);

  const at = (e: MouseEvent<HTMLElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const hit = (x: number, y: number): { block: BlockBox | null; mark: MarkTick | null } => {
    const row = rowAt(layout, y);
    const block = row === null ? null : blockAt(picture.blocks, x, row);
    const mark = y >= layout.markTop - 2 && y < layout.fillTop ? markAt(picture.marks, x, 5) : null;
    return { block, mark };
  };

  let tip: string | null = null;
  if (pointer?.kind === 'block') {
    const b = picture.blocks.find((x) => x.message.msgId === pointer.msgId);
    tip = b ? blockText(b) : null;
  } else if (pointer?.kind === 'mark') {
    const m = picture.marks.find((x) => x.index === pointer.index);
    tip = m ? `${formatNs(table.t[m.index] ?? 0)} ${m.task}: ${MARK_WORDS[m.op]}` : null;
  } else if (pointer?.kind === 'time') tip = `${formatNs(timeOf(w, pointer.x))} · click to move the cursor here`;
  const overlay = picture.blocks.length <= OVERLAY_MAX ? picture.blocks : [];
  const failures = picture.marks.filter((m) => isFailureMark(m.op)).length;
  const rewrites = picture.blocks.filter((b) => b.rewritten).length;
  return (
    <div className="ports-history">
      <div className="ports-history-head ports-oneline">
        <span className="ports-sub">Object history</span>
        <span className="muted">
          {picture.blocks.length} messages in view
          {picture.marks.length > 0 && ` · ${picture.marks.length - failures} blocked sends · ${failures} problems`}
        </span>
        {/* Always there and one line high: words appearing must not move the blocks under the pointer. */}
        <span className="ports-tip" title={tip ?? undefined}>
          {tip}
        </span>
      </div>
      <div className="ports-canvas-wrap" style={{ height: layout.height }}>
        <canvas
          ref={canvas}
          className="ports-canvas"
          style={{ height: layout.height }}
          aria-label="Port object history"
          onMouseMove={(e) => {
            const { x, y } = at(e);
            const { block, mark } = hit(x, y);
            props.onHoverMessage(block?.message.msgId ?? null);
            if (block) setPointer({ kind: 'block', msgId: block.message.msgId });
            else if (mark) setPointer({ kind: 'mark', index: mark.index });
            else if (y >= layout.fillTop) setPointer({ kind: 'time', x });
            else setPointer(null);
          }}
          onMouseLeave={() => {
            setPointer(null);
            props.onHoverMessage(null);
          }}
          onClick={(e) => {
            const { x, y } = at(e);
            const { block, mark } = hit(x, y);
            if (block) props.onSelectMessage(block.message.msgId);
            else if (mark) props.onSelectEvent(mark.index);
            else if (y >= layout.fillTop) props.onSeek(lastEventAtOrBefore(table, timeOf(w, x)));
          }}
        />
        {overlay.map((b) => (
          <button
            key={b.message.msgId}
            type="button"
            className={`ports-block${b.message.msgId === selected ? ' on' : ''}`}
            style={{
              left: Math.max(0, b.x0),
              width: Math.max(3, Math.min(width, b.x1) - Math.max(0, b.x0)),
              top: b.row * layout.rowH,
              height: layout.rowH,
            }}
            aria-label={`Message #${b.message.msgId}: ${b.message.tagName ?? `tag ${b.message.tag}`} from ${b.message.task}`}
            aria-pressed={b.message.msgId === selected}
            onMouseEnter={() => {
              setPointer({ kind: 'block', msgId: b.message.msgId });
              props.onHoverMessage(b.message.msgId);
            }}
            onMouseLeave={() => {
              setPointer(null);
              props.onHoverMessage(null);
            }}
            onFocus={() => setPointer({ kind: 'block', msgId: b.message.msgId })}
            onBlur={() => setPointer(null)}
            onClick={() => props.onSelectMessage(b.message.msgId)}
          />
        ))}
      </div>
      <div className="ports-axis" aria-hidden="true">
        <span>{formatNs(t0)}</span>
        <span className="ports-axis-mid">
          fill 0…{depth} · <span className="ports-key warn">▲</span> blocked · <span className="ports-key bad">▲</span>{' '}
          failure
          {rewrites > 0 && (
            <>
              {' '}
              · <span className="ports-key warn">▭</span> object rewritten before the receiver was done ({rewrites})
            </>
          )}
        </span>
        <span>{formatNs(t1)}</span>
      </div>
    </div>
  );
}
