/**
 * Draws a machine graph as an SVG statechart: states in rows by distance from the initial state
 * (top to bottom), transitions as curved arrows labelled with their events, self-transitions as loops. The
 * live state is filled, the transition that led to it is lit, the selected state is outlined.
 *
 * D3 owns the SVG under the element it is given; React owns the state and calls `update` with a
 * new model, and `destroy` when the view goes (DESIGN.md §5).
 */
import { select } from 'd3';
import type { GraphEdge, GraphState, MachineGraph } from './machineGraph';

export interface StatechartModel {
  readonly graph: MachineGraph;
  /** The states the subject is in at the cursor, one per region (none before its first transition). */
  readonly live: readonly string[];
  /** The last transition taken, lit. */
  readonly lastEdge: { readonly from: string; readonly to: string } | null;
  readonly selected: string | null;
  readonly onSelect: (state: string) => void;
}

export interface StatechartController {
  update(model: StatechartModel): void;
  destroy(): void;
}

const NODE_W = 218;
const NODE_H = 28;
const COL_W = 236;
const ROW_H = 74;
const PAD = 16;

/** Top-left corner of a state's box: rank goes down, row goes across. */
const corner = (s: GraphState) => ({ x: PAD + s.row * COL_W, y: PAD + 14 + s.rank * ROW_H });
const centre = (s: GraphState) => ({ x: corner(s).x + NODE_W / 2, y: corner(s).y + NODE_H / 2 });

/** A path from one state's box to another's, bowed so opposite edges do not overlap. */
function edgePath(a: GraphState, b: GraphState): { d: string; lx: number; ly: number; anchor?: 'start' | 'middle' } {
  const p = centre(a);
  const q = centre(b);
  if (a.name === b.name) {
    const x = p.x + NODE_W / 2;
    const y = p.y;
    return { d: `M${x},${y - 6} C${x + 26},${y - 22} ${x + 26},${y + 22} ${x},${y + 6}`, lx: x + 8, ly: y - 16 };
  }
  const down = b.rank > a.rank;
  const up = b.rank < a.rank;
  const sx = p.x + (down || up ? (q.x - p.x) * 0.15 : q.x > p.x ? NODE_W / 2 : -NODE_W / 2);
  const sy = down ? p.y + NODE_H / 2 : up ? p.y - NODE_H / 2 : p.y;
  const tx = q.x - (down || up ? (q.x - p.x) * 0.15 : q.x > p.x ? NODE_W / 2 : -NODE_W / 2);
  const ty = down ? q.y - NODE_H / 2 : up ? q.y + NODE_H / 2 : q.y;
  // Backward (upward) edges swing out to the side so they never lie on a forward edge.
  const mx = (sx + tx) / 2 + (up ? 60 : 0);
  const my = (sy + ty) / 2 + (down || up ? 0 : -18);
  // A backward edge's label starts right of its bulge, clear of the forward edge's centred one.
  const lx = (sx + 2 * mx + tx) / 4 + (up ? 6 : 0);
  return {
    d: `M${sx},${sy} Q${mx},${my} ${tx},${ty}`,
    lx,
    ly: (sy + 2 * my + ty) / 4,
    anchor: up ? 'start' : 'middle',
  };
}

export function createStatechart(element: SVGSVGElement): StatechartController {
  const svg = select(element);
  const defs = svg.append('defs');
  for (const id of ['sc-arrow', 'sc-arrow-lit']) {
    defs
      .append('marker')
      .attr('id', id)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto-start-reverse')
      .append('path')
      .attr('d', 'M0,0 L10,5 L0,10 z')
      .attr('class', id);
  }
  const edgeLayer = svg.append('g').attr('class', 'sc-edges');
  const nodeLayer = svg.append('g').attr('class', 'sc-nodes');

  return {
    update(model) {
      const byName = new Map(model.graph.states.map((s) => [s.name, s]));
      const ranks = Math.max(1, ...model.graph.states.map((s) => s.rank + 1));
      const across = Math.max(1, ...model.graph.states.map((s) => s.row + 1));
      svg.attr('viewBox', `0 0 ${PAD * 2 + (across - 1) * COL_W + NODE_W + 40} ${PAD * 2 + 14 + ranks * ROW_H - 30}`);
      const lit = (e: GraphEdge) => model.lastEdge?.from === e.from && model.lastEdge.to === e.to;

      const edges = edgeLayer
        .selectAll<SVGGElement, GraphEdge>('g.sc-edge')
        .data(model.graph.edges, (e) => `${e.from}→${e.to}`)
        .join((enter) => {
          const g = enter.append('g').attr('class', 'sc-edge');
          g.append('path');
          g.append('text');
          return g;
        });
      edges.classed('lit', lit);
      edges.each(function (e) {
        const a = byName.get(e.from);
        const b = byName.get(e.to);
        if (!a || !b) return;
        const { d, lx, ly, anchor } = edgePath(a, b);
        const g = select(this);
        g.select('path')
          .attr('d', d)
          .attr('marker-end', lit(e) ? 'url(#sc-arrow-lit)' : 'url(#sc-arrow)');
        g.select('text')
          .attr('x', lx)
          .attr('y', ly)
          .style('text-anchor', anchor ?? 'middle')
          .text(e.events.join(' / '));
      });

      const nodes = nodeLayer
        .selectAll<SVGGElement, GraphState>('g.sc-node')
        .data(model.graph.states, (s) => s.name)
        .join((enter) => {
          const g = enter.append('g').attr('class', 'sc-node').attr('role', 'button').attr('tabindex', 0);
          g.append('rect').attr('width', NODE_W).attr('height', NODE_H).attr('rx', 8);
          g.append('text')
            .attr('x', NODE_W / 2)
            .attr('y', NODE_H / 2 + 5)
            .attr('text-anchor', 'middle');
          g.append('circle')
            .attr('class', 'sc-initial')
            .attr('r', 4)
            .attr('cx', -10)
            .attr('cy', NODE_H / 2);
          return g;
        });
      nodes
        .attr('transform', (s) => `translate(${corner(s).x},${corner(s).y})`)
        .attr('aria-label', (s) => `State ${s.name}${model.live.includes(s.name) ? ' (current)' : ''}`)
        .attr('aria-pressed', (s) => String(s.name === model.selected))
        .classed('live', (s) => model.live.includes(s.name))
        .classed('selected', (s) => s.name === model.selected)
        .on('click', (_, s) => model.onSelect(s.name))
        .on('keydown', (event: KeyboardEvent, s) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            model.onSelect(s.name);
          }
        });
      nodes.select('text').text((s) => s.name);
      nodes.select('circle.sc-initial').attr('display', (s) => (s.initial ? null : 'none'));
    },
    destroy() {
      svg.selectAll('*').remove();
    },
  };
}
