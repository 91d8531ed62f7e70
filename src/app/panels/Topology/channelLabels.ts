/**
 * Where the labels of the channel section's edges go (channelLayout.ts places the nodes and
 * routes the edges): beside a straight edge, over a detour's horizontal run, each clear of the
 * nodes, of the labels placed before it and, where it can be, of the other edges.
 */
import { type ChannelSection, type Point, type RoutedChanEdge, sortBy } from './channelLayout';

/** Width of a 9 px monospace character, for label boxes. */
export const LABEL_CHAR = 5.5;
const LABEL_H = 10;
/** Kept between a label and anything else. */
const LABEL_PAD = 3;
/** Weighing where a label would go: a unit² over a node or a label, and an edge crossed. */
const AREA_CLASH = 10;
const EDGE_CLASH = 40;

export interface LabelSpot {
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
}

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The segment a–b meets rectangle r (Liang–Barsky clipping). */
export function segmentMeetsRect(a: Point, b: Point, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  for (const [p, q] of [
    [-dx, a.x - r.x],
    [dx, r.x + r.w - a.x],
    [-dy, a.y - r.y],
    [dy, r.y + r.h - a.y],
  ] as const) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

const overlapArea = (p: Rect, q: Rect) =>
  Math.max(0, Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x)) *
  Math.max(0, Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y));

/**
 * Where each labelled edge's text goes (9 px monospace, baseline at `y`): along a straight edge
 * beside it, on a detour over its last horizontal run (the one next to its target). Each takes
 * the first of its candidate spots inside the section that overlaps no node, no label placed
 * before it and no other edge; else the one that overlaps least (crossing an edge weighs less
 * than covering a few units² of text).
 */
export function placeLabels(
  section: ChannelSection,
  routed: readonly RoutedChanEdge[],
  texts: ReadonlyMap<string, string>,
): Map<string, LabelSpot> {
  const taken: Rect[] = section.nodes.map((n) => ({ x: n.x, y: n.y, w: n.w, h: n.h }));
  const right = section.left + section.width;
  const out = new Map<string, LabelSpot>();
  const rectOf = (s: LabelSpot, w: number): Rect => ({
    x: s.anchor === 'start' ? s.x : s.anchor === 'end' ? s.x - w : s.x - w / 2,
    y: s.y - LABEL_H + 2,
    w,
    h: LABEL_H,
  });
  const padded = (r: Rect): Rect => ({ x: r.x - LABEL_PAD, y: r.y, w: r.w + 2 * LABEL_PAD, h: r.h });
  for (const edge of routed) {
    const text = texts.get(edge.id);
    if (text === undefined) continue;
    const w = text.length * LABEL_CHAR;
    const candidates: LabelSpot[] = [];
    if (edge.straight) {
      const [a, b] = edge.points;
      if (!a || !b) continue;
      // Beside the edge on the side away from the section's middle, where edges cross.
      const centre = section.left + section.width / 2;
      for (const t of [0.5, 0.3, 0.7, 0.2, 0.8]) {
        const x = a.x + (b.x - a.x) * t;
        const y = a.y + (b.y - a.y) * t + 3;
        const right: LabelSpot = { x: x + 4, y, anchor: 'start' };
        const left: LabelSpot = { x: x - 4, y, anchor: 'end' };
        candidates.push(...(x < centre ? [left, right] : [right, left]));
      }
    } else {
      // Its horizontal runs, the one by its target first, then the one by its source; on the
      // side of the run away from the node it leads to (the other side holds its arrow).
      const n = edge.points.length;
      for (const [p, q, end] of [
        [edge.points[n - 2], edge.points[n - 3], edge.points[n - 1]],
        [edge.points[1], edge.points[2], edge.points[0]],
      ]) {
        if (!p || !q || !end) continue;
        const mid = (p.x + q.x) / 2;
        const lo = Math.min(p.x, q.x);
        const hi = Math.max(p.x, q.x);
        for (const y of [end.y < p.y ? p.y + LABEL_H : p.y - 2])
          candidates.push(
            { x: mid, y, anchor: 'middle' },
            { x: lo + 4, y, anchor: 'start' },
            { x: hi - 4, y, anchor: 'end' },
          );
      }
    }
    const inside = (r: Rect) => r.x >= section.left && r.x + r.w <= right;
    // The first spot clear of everything; else the one overlapping least.
    const clash = (c: LabelSpot) => {
      const r = padded(rectOf(c, w));
      const crossed = routed.filter(
        (o) => o.id !== edge.id && o.points.some((p, i) => i > 0 && segmentMeetsRect(o.points[i - 1] ?? p, p, r)),
      ).length;
      return taken.reduce((sum, t) => sum + overlapArea(t, r) * AREA_CLASH, 0) + crossed * EDGE_CLASH;
    };
    const fits = candidates.filter((c) => inside(rectOf(c, w)));
    const spot = fits.find((c) => clash(c) === 0) ?? sortBy(fits, clash)[0] ?? candidates[0];
    if (!spot) continue;
    taken.push(rectOf(spot, w));
    out.set(edge.id, spot);
  }
  return out;
}
