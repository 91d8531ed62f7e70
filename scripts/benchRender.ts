/**
 * The render section of `npm run bench`: the timeline renderer drawing a synthetic 1,000,000-event
 * trace in headless Chromium (timeline-bench.html, src/app/bench/timelineBench.ts), against a
 * 10,000-event baseline drawn in the same run on the same canvas. Reports time to first draw and
 * frame times while zooming and panning (median, p95), and rAF-to-rAF intervals.
 *
 * `runRenderBench(base)` expects the built app served at `base` (scripts/bench.ts builds it and
 * runs `vite preview`), prints a table and returns the figures for bench/results.json.
 * Options: --render-events N (1000000), --render-baseline N (10000), --render-steps N (120).
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import type { RenderBenchRow } from '../src/app/bench/timelineBench';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};

export interface RenderBench {
  readonly date: string;
  readonly chromium: string;
  readonly events: number;
  readonly baselineEvents: number;
  readonly steps: number;
  readonly widthPx: number;
  readonly frame: string;
  readonly rows: readonly RenderBenchRow[];
  /** Large-trace median / baseline median, per phase. */
  readonly ratios: Readonly<Record<string, number>>;
}

type PageState = { done: boolean; rows: RenderBenchRow[]; error?: string; width: number };

export async function runRenderBench(base: string): Promise<RenderBench> {
  const events = option('render-events', 1_000_000);
  const baseline = option('render-baseline', 10_000);
  const steps = option('render-steps', 120);
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1700, height: 900 } });
    page.on('console', (m) => console.error(`[chromium] ${m.text()}`));
    await page.goto(`${base}/timeline-bench.html?events=${events}&baseline=${baseline}&steps=${steps}&width=1600`);
    await page.waitForFunction(
      () => (window as unknown as { __timelineBench?: { done: boolean } }).__timelineBench?.done === true,
      undefined,
      { timeout: 10 * 60_000, polling: 500 },
    );
    const state = await page.evaluate(() => (window as unknown as { __timelineBench?: PageState }).__timelineBench);
    if (!state || state.error !== undefined) throw new Error(`render benchmark failed: ${state?.error ?? 'no result'}`);
    const of = (trace: RenderBenchRow['trace'], phase: RenderBenchRow['phase']) =>
      state.rows.find((r) => r.trace === trace && r.phase === phase);
    const ratios: Record<string, number> = {};
    for (const phase of ['first-draw', 'zoom', 'pan', 'raf'] as const) {
      const large = of('large', phase);
      const small = of('baseline', phase);
      if (large && small && small.medianMs > 0) ratios[phase] = large.medianMs / small.medianMs;
    }
    const result: RenderBench = {
      date: new Date().toISOString(),
      chromium: browser.version(),
      events,
      baselineEvents: baseline,
      steps,
      widthPx: state.width,
      frame:
        'renderNow() plus a 1-pixel getImageData (forces rasterisation); raf: rAF-to-rAF interval with one draw per frame',
      rows: state.rows,
      ratios,
    };
    printRender(result);
    return result;
  } finally {
    await browser.close();
  }
}

function printRender(r: RenderBench): void {
  const f = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(2));
  console.log(
    `\ntimeline render (Chromium ${r.chromium}, ${r.widthPx} px canvas): ms, ${r.events.toLocaleString('en-US')} events vs a ${r.baselineEvents.toLocaleString('en-US')}-event baseline`,
  );
  console.log(
    'phase        frames   large median    large p95   base median     base p95   ×baseline   visible (large)',
  );
  for (const phase of ['build', 'first-draw', 'zoom', 'pan', 'raf'] as const) {
    const large = r.rows.find((x) => x.trace === 'large' && x.phase === phase);
    const small = r.rows.find((x) => x.trace === 'baseline' && x.phase === phase);
    if (!large || !small) continue;
    const ratio = small.medianMs > 0 ? (large.medianMs / small.medianMs).toFixed(1) : '—';
    console.log(
      `${phase.padEnd(12)} ${String(large.frames).padStart(6)} ${f(large.medianMs).padStart(14)} ${f(large.p95Ms).padStart(12)} ${f(small.medianMs).padStart(13)} ${f(small.p95Ms).padStart(12)} ${ratio.padStart(11)} ${(large.visible === null ? '—' : large.visible.toLocaleString('en-US')).padStart(17)}`,
    );
  }
}
