/**
 * The browser half of the render section of `npm run bench`: `timeline-bench.html` draws a
 * synthetic trace (SyntheticTrace) with the real timeline renderer and leaves the figures in
 * `window.__timelineBench` for scripts/benchRender.ts. Query: `?events=1000000&baseline=10000
 * &steps=120&width=1600`.
 *
 * After an unrecorded warm-up on a small trace, for each trace (the baseline first, then the large
 * one), all with the same canvas size:
 *  - build: making the synthetic columns (not part of drawing; reported for context);
 *  - first-draw: a new renderer's first frame (indexing the whole trace + aggregating + drawing);
 *  - zoom: `steps` frames, half zooming in by 0.85× around a fixed time, half zooming back out;
 *  - pan: `steps` frames panning a window of 2% of the trace by 0.5% of the trace each;
 *  - raf: the zoom sequence again, one step per requestAnimationFrame, timing rAF to rAF.
 * A frame is timed from before `renderNow()` to after a 1-pixel `getImageData`, which makes the
 * canvas finish rasterising, so deferred drawing is counted too.
 */
import { SyntheticTrace } from './syntheticTrace';
import { TimelineRenderer, type TimelineModel } from '../panels/Timeline/timelineRenderer';
import { panBy, zoomAround } from '../panels/Timeline/viewport';
import type { Viewport } from '../store/viewSlice';

export interface RenderBenchRow {
  readonly trace: 'baseline' | 'large';
  readonly events: number;
  readonly phase: 'build' | 'first-draw' | 'zoom' | 'pan' | 'raf';
  readonly frames: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Median events inside the window per frame. */
  readonly visible: number | null;
}

declare global {
  interface Window {
    __timelineBench?: { done: boolean; rows: RenderBenchRow[]; error?: string; log: string[]; width: number };
  }
}

const params = new URLSearchParams(location.search);
const num = (name: string, fallback: number) => {
  const v = Number(params.get(name));
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};
const LARGE = num('events', 1_000_000);
const BASELINE = num('baseline', 10_000);
const STEPS = num('steps', 120);
const WIDTH = num('width', 1600);
const WARMUP = 5;

const state: NonNullable<Window['__timelineBench']> = { done: false, rows: [], log: [], width: WIDTH };
window.__timelineBench = state;
const out = document.getElementById('log');
const log = (line: string) => {
  state.log.push(line);
  if (out) out.textContent += `${line}\n`;
};

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

function summary(times: readonly number[]): { medianMs: number; p95Ms: number; maxMs: number } {
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: s[s.length - 1] ?? NaN };
}

const median = (xs: readonly number[]) => summary(xs).medianMs;

/** `record: false` runs the same steps unrecorded (a warm-up, so the baseline's first draw is not the page's). */
async function benchTrace(label: RenderBenchRow['trace'], events: number, record = true): Promise<void> {
  const row = (phase: RenderBenchRow['phase'], times: readonly number[], visible: number | null = null) => {
    const r: RenderBenchRow = { trace: label, events, phase, frames: times.length, ...summary(times), visible };
    if (!record) return;
    state.rows.push(r);
    log(
      `${label} ${events} ${phase}: median ${r.medianMs.toFixed(2)} ms, p95 ${r.p95Ms.toFixed(2)} ms (${r.frames} frames)`,
    );
  };
  const built = performance.now();
  const table = new SyntheticTrace(events, 4, 7);
  row('build', [performance.now() - built]);

  const host = document.createElement('div');
  host.style.width = `${WIDTH}px`;
  document.body.appendChild(host);
  await nextFrame();
  const cursor = Math.floor(events * 0.6);
  const model: TimelineModel = {
    table,
    cursor,
    cursorTimeNs: table.t[cursor - 1] ?? 0,
    viewport: null,
    selectedSeq: null,
    selectedMsg: null,
    hoverSeq: null,
    hoverMsg: null,
  };
  const noop = () => undefined;
  const started = performance.now();
  const renderer = new TimelineRenderer(host, { onViewport: noop, onClick: noop, onHover: noop });
  const canvas = host.querySelector('canvas');
  const ctx = canvas?.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  const flush = () => ctx.getImageData(0, 0, 1, 1);
  renderer.update(model);
  renderer.renderNow();
  flush();
  row('first-draw', [performance.now() - started]);

  const fit = renderer.fit();
  const span = fit.endNs - fit.startNs;
  const anchor = fit.startNs + span * 0.37;
  const zooms: Viewport[] = [];
  let v: Viewport = fit;
  for (let k = 0; k < STEPS; k++) {
    v = zoomAround(v, k < STEPS / 2 ? 0.85 : 1 / 0.85, anchor, fit);
    zooms.push(v);
  }
  const pans: Viewport[] = [];
  v = { startNs: fit.startNs + span * 0.2, endNs: fit.startNs + span * 0.22 };
  for (let k = 0; k < STEPS; k++) {
    v = panBy(v, span * 0.005, fit);
    pans.push(v);
  }
  const frames = (views: readonly Viewport[]) => {
    const times: number[] = [];
    const visible: number[] = [];
    for (const viewport of views) {
      renderer.update({ ...model, viewport });
      const t0 = performance.now();
      const stats = renderer.renderNow();
      flush();
      times.push(performance.now() - t0);
      visible.push(stats.visible);
    }
    return { times, visible: median(visible) };
  };
  frames(zooms.slice(0, WARMUP));
  const zoom = frames(zooms);
  row('zoom', zoom.times, zoom.visible);
  const pan = frames(pans);
  row('pan', pan.times, pan.visible);

  const stamps: number[] = [];
  for (const viewport of zooms) {
    stamps.push(await nextFrame());
    renderer.update({ ...model, viewport });
    renderer.renderNow();
  }
  stamps.push(await nextFrame());
  row(
    'raf',
    stamps.slice(1).map((s, k) => s - (stamps[k] ?? s)),
    zoom.visible,
  );
  renderer.destroy();
  host.remove();
}

async function run(): Promise<void> {
  log(`timeline render bench: ${BASELINE} and ${LARGE} events, ${STEPS} steps, ${WIDTH} px, dpr ${devicePixelRatio}`);
  await benchTrace('baseline', 2000, false);
  await benchTrace('baseline', BASELINE);
  await benchTrace('large', LARGE);
}

run()
  .then(() => {
    state.done = true;
    log('done');
  })
  .catch((error: unknown) => {
    state.error = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    state.done = true;
    log(`failed: ${state.error}`);
  });
