/**
 * Occupancy over time (a Perfetto counter track): the bytes in use in the region, from its
 * `packet-written` / `packet-read` events, drawn on canvas per pixel (the maximum as an area, the
 * value at each pixel's end as a line), over the timeline's window (the whole trace when it has
 * none), scaled to the region's peak. The part after the time cursor (the recorded future) is
 * dimmed; the cursor is a line.
 *
 * Click or drag: moves the cursor to the last event at or before that time. As a slider, ←/→ step
 * to the region's previous/next packet event.
 */
import { useEffect, useRef, useState } from 'react';
import { useElementWidth } from '../../components/useElementWidth';
import type { DebugSession } from '../../debug/DebugSession';
import type { RegionInfo } from '../../debug/regions';
import { formatNs } from '../../format';
import type { DebugFrame } from '../../store/runSlice';
import type { Viewport } from '../../store/viewSlice';
import { CURSOR_COLOUR } from '../../theme/colours';
import { lastEventAtOrBefore, occupancyAt, occupancyBuckets } from './occupancy';
import { eventsBefore, packetHistoryOf } from './packetHistory';

const HEIGHT = 64;
const FILL = 'rgba(63, 185, 80, 0.35)';
const LINE = '#3fb950';
const GRID = '#2b3542';
const FUTURE_SHADE = 'rgba(13, 17, 23, 0.55)';

interface Props {
  readonly region: RegionInfo;
  /** Most bytes packets can take: len(data[]) - 4. */
  readonly capacity: number;
  readonly session: DebugSession;
  readonly frame: DebugFrame;
  readonly viewport: Viewport | null;
  readonly onSeek: (index: number) => void;
}

export function OccupancyTrack({ region, capacity, session, frame, viewport, onSeek }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(canvas);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const { table } = session;
  const packets = packetHistoryOf(table).region(region.name);
  const first = table.length > 0 ? (table.t[0] ?? 0) : 0;
  const lastT = table.length > 0 ? (table.t[table.length - 1] ?? 0) : 0;
  const t0 = viewport?.startNs ?? first;
  const t1 = Math.max(viewport?.endNs ?? lastT, t0 + 1);
  // Scaled to the region's peak (Perfetto's counter tracks), not to its capacity: a ring that
  // never fills still shows its shape.
  const yMax = Math.max(8, Math.min(capacity, packets.peak * 1.15));
  const timeAt = (x: number): number => t0 + (x / Math.max(1, width)) * (t1 - t0);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(HEIGHT * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const top = 4;
    const plot = HEIGHT - top - 1;
    const y = (v: number): number => HEIGHT - 1 - (Math.min(v, yMax) / yMax) * plot;

    // The peak (and the capacity, once the peak comes near it) as dashed lines.
    ctx.strokeStyle = GRID;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    for (const level of capacity <= yMax ? [packets.peak, capacity] : [packets.peak]) {
      ctx.moveTo(0, Math.round(y(level)) + 0.5);
      ctx.lineTo(width, Math.round(y(level)) + 0.5);
    }
    ctx.stroke();
    ctx.setLineDash([]);

    const b = occupancyBuckets(packets, t0, t1, width);
    ctx.fillStyle = FILL;
    ctx.beginPath();
    ctx.moveTo(0, HEIGHT);
    for (let x = 0; x < width; x++) {
      const v = b.max[x] ?? 0;
      ctx.lineTo(x, y(v));
      ctx.lineTo(x + 1, y(v));
    }
    ctx.lineTo(width, HEIGHT);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = LINE;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = 0; x < width; x++) {
      const v = b.last[x] ?? 0;
      if (x === 0) ctx.moveTo(0, y(v));
      ctx.lineTo(x + 1, y(v));
    }
    ctx.stroke();

    const cx = ((frame.cursorTimeNs - t0) / (t1 - t0)) * width;
    if (cx < width) {
      ctx.fillStyle = FUTURE_SHADE;
      ctx.fillRect(Math.max(0, cx), 0, width - Math.max(0, cx), HEIGHT);
    }
    if (cx >= 0 && cx <= width) {
      ctx.strokeStyle = CURSOR_COLOUR;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(Math.round(cx) + 0.5, 0);
      ctx.lineTo(Math.round(cx) + 0.5, HEIGHT);
      ctx.stroke();
    }
  }, [packets, capacity, yMax, t0, t1, width, frame]);

  const seekAt = (clientX: number, el: HTMLElement) => {
    const x = clientX - el.getBoundingClientRect().left;
    // Before the first event: -1, the start of the run.
    onSeek(lastEventAtOrBefore(table, timeAt(x)));
  };
  const step = (direction: 1 | -1) => {
    const k = eventsBefore(packets, frame.cursor);
    const target =
      direction > 0
        ? packets.index[k]
        : k >= 2
          ? packets.index[k - 2]
          : k === 1
            ? (packets.index[0] ?? 0) - 1
            : undefined;
    if (target !== undefined) onSeek(target);
  };

  // By position, not time: events of the recorded future can share the cursor's instant.
  const before = eventsBefore(packets, frame.cursor);
  const nowUsed = before > 0 ? (packets.inUse[before - 1] ?? 0) : 0;
  const hoverT = hoverX === null ? null : timeAt(hoverX);
  return (
    <div className="ri-occupancy">
      <div className="ri-occ-head">
        <span className="ri-occ-title">Occupancy</span>
        <span>
          {nowUsed} of {capacity} B at the cursor · peak {packets.peak} B
        </span>
        {packets.count === 0 && <span className="muted">no packet events traced for this region</span>}
        {hoverT !== null && (
          <span className="ri-occ-hover">
            {formatNs(hoverT)} · {occupancyAt(packets, hoverT)} B
          </span>
        )}
      </div>
      <canvas
        ref={canvas}
        className="ri-occ-canvas"
        style={{ height: HEIGHT }}
        role="slider"
        tabIndex={0}
        aria-label={`Occupancy of ${region.name} over time`}
        aria-valuemin={t0}
        aria-valuemax={t1}
        aria-valuenow={frame.cursorTimeNs}
        aria-valuetext={`${formatNs(frame.cursorTimeNs)}: ${nowUsed} of ${capacity} bytes in use`}
        onMouseDown={(e) => seekAt(e.clientX, e.currentTarget)}
        onMouseMove={(e) => {
          setHoverX(e.clientX - e.currentTarget.getBoundingClientRect().left);
          if (e.buttons === 1) seekAt(e.clientX, e.currentTarget);
        }}
        onMouseLeave={() => setHoverX(null)}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
          e.preventDefault();
          e.stopPropagation();
          step(e.key === 'ArrowRight' ? 1 : -1);
        }}
      />
      <div className="ri-occ-axis" aria-hidden="true">
        <span>{formatNs(t0)}</span>
        <span>{formatNs(t1)}</span>
      </div>
    </div>
  );
}
