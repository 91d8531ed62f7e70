/**
 * The pbuf demo's ring drawing: data[] as a circle, index 0 at twelve o'clock, growing clockwise. Packets are
 * arcs (header, payload, untouched padding), free space is dim, and the four bytes always kept
 * free sit just before rd_idx. wr_idx (core A) is marked outside the ring, rd_idx (core B) inside.
 *
 * D3 owns the SVG below the element it is given; React owns the state and calls `update` with a
 * new model after each call, and `destroy` when the view goes (DESIGN.md §5).
 */
import { arc, select } from 'd3';
import type { PbufInspection } from '../../../core';
import { appendHatch } from './hatch';
import { ringSegments, type Segment } from './ringSegments';

export interface RingModel {
  /** Length of data[] in bytes. */
  readonly len: number;
  readonly inspection: PbufInspection;
  readonly hovered: number | null;
}

export interface RingController {
  update(model: RingModel): void;
  destroy(): void;
}

const OUTER = 118;
const INNER = 84;
const TAU = Math.PI * 2;

export function createRingController(svgElement: SVGSVGElement, onHover: (seq: number | null) => void): RingController {
  const svg = select(svgElement).attr('viewBox', '-160 -160 320 320').attr('role', 'img');
  svg.selectAll('*').remove();
  // styles.css fills `.seg-padding` with url(#ring-hatch).
  appendHatch(svg, 'ring-hatch');
  const track = svg
    .append('circle')
    .attr('class', 'ring-track')
    .attr('r', (OUTER + INNER) / 2);
  track.attr('stroke-width', OUTER - INNER);
  const segLayer = svg.append('g').attr('class', 'ring-segments');
  const tickLayer = svg.append('g').attr('class', 'ring-ticks');
  const markerLayer = svg.append('g').attr('class', 'ring-markers');
  const center = svg.append('g').attr('class', 'ring-center');

  const arcGen = arc<Segment>()
    .innerRadius(INNER)
    .outerRadius(OUTER)
    .startAngle(() => 0)
    .endAngle(() => 0);

  const angle = (len: number, idx: number): number => (idx / len) * TAU;

  return {
    update(model) {
      const { len, inspection, hovered } = model;
      arcGen.startAngle((d) => angle(len, d.start)).endAngle((d) => angle(len, d.start + d.length));
      segLayer
        .selectAll<SVGPathElement, Segment>('path')
        .data(ringSegments(len, inspection), (d) => d.key)
        .join('path')
        .attr('class', (d) =>
          [
            'seg',
            `seg-${d.cls}`,
            d.seq !== null ? `seg-pk${d.seq % 6}` : '',
            d.seq !== null && d.seq === hovered ? 'hovered' : '',
          ].join(' '),
        )
        .attr('d', (d) => arcGen(d) ?? '')
        .attr('data-seq', (d) => (d.seq === null ? null : d.seq))
        .on('mouseenter', (_event, d) => onHover(d.seq))
        .on('mouseleave', () => onHover(null))
        .selectAll('title')
        .data((d) => [d.title])
        .join('title')
        .text((t) => t);

      const step = len <= 256 ? 4 : Math.max(4, Math.round(len / 64 / 4) * 4);
      const ticks = Array.from({ length: Math.ceil(len / step) }, (_, i) => i * step);
      tickLayer
        .selectAll<SVGLineElement, number>('line')
        .data(ticks)
        .join('line')
        .attr('class', (d) => (d === 0 ? 'tick tick-zero' : 'tick'))
        .attr('x1', (d) => Math.sin(angle(len, d)) * (OUTER + 1))
        .attr('y1', (d) => -Math.cos(angle(len, d)) * (OUTER + 1))
        .attr('x2', (d) => Math.sin(angle(len, d)) * (OUTER + (d === 0 ? 9 : 4)))
        .attr('y2', (d) => -Math.cos(angle(len, d)) * (OUTER + (d === 0 ? 9 : 4)));
      // data[0] is labelled just left of the zero tick, so the wr_idx label above the ring stays clear.
      const quarterLabels = [0, 1, 2, 3].map((q) => Math.round((len * q) / 4 / 4) * 4);
      tickLayer
        .selectAll<SVGTextElement, number>('text')
        .data(quarterLabels)
        .join('text')
        .attr('class', 'tick-label')
        .attr('x', (d) => (d === 0 ? -5 : Math.sin(angle(len, d)) * (OUTER + 20)))
        .attr('y', (d) => (d === 0 ? -(OUTER + 3) : -Math.cos(angle(len, d)) * (OUTER + 20) + 3))
        .attr('text-anchor', (d) => (d === 0 ? 'end' : 'middle'))
        .text((d) => (d === 0 ? 'data[0]' : String(d)));

      const markers =
        inspection.occupied === null
          ? []
          : [
              { key: 'wr', idx: inspection.wrIdx, r0: OUTER + 2, r1: OUTER + 16, label: `wr_idx ${inspection.wrIdx}` },
              { key: 'rd', idx: inspection.rdIdx, r0: INNER - 2, r1: INNER - 16, label: `rd_idx ${inspection.rdIdx}` },
            ];
      const marker = markerLayer
        .selectAll<SVGGElement, (typeof markers)[number]>('g')
        .data(markers, (d) => d.key)
        .join((enter) => {
          const g = enter.append('g');
          g.append('line');
          g.append('circle').attr('r', 3);
          g.append('text');
          return g;
        })
        .attr('class', (d) => `marker marker-${d.key}`);
      marker
        .select('line')
        .attr('x1', (d) => Math.sin(angle(len, d.idx)) * d.r0)
        .attr('y1', (d) => -Math.cos(angle(len, d.idx)) * d.r0)
        .attr('x2', (d) => Math.sin(angle(len, d.idx)) * d.r1)
        .attr('y2', (d) => -Math.cos(angle(len, d.idx)) * d.r1);
      marker
        .select('circle')
        .attr('cx', (d) => Math.sin(angle(len, d.idx)) * d.r1)
        .attr('cy', (d) => -Math.cos(angle(len, d.idx)) * d.r1);
      marker
        .select('text')
        .attr('x', (d) => Math.sin(angle(len, d.idx)) * (d.key === 'wr' ? d.r1 + 14 : d.r1 - 12))
        .attr('y', (d) => -Math.cos(angle(len, d.idx)) * (d.key === 'wr' ? d.r1 + 14 : d.r1 - 12) + 3)
        .attr('text-anchor', 'middle')
        .text((d) => d.label);

      const lines =
        inspection.occupied === null || inspection.free === null
          ? [
              { cls: 'center-error', text: 'indices unusable' },
              ...inspection.problems.map((p) => ({ cls: 'center-error small', text: p.message })),
            ]
          : [
              {
                cls: 'center-big',
                text: `${inspection.packets.length} packet${inspection.packets.length === 1 ? '' : 's'}`,
              },
              { cls: 'center-small', text: `${inspection.occupied} of ${len} B used` },
              { cls: 'center-small', text: `free ${inspection.free} · max write ${inspection.maxWritable ?? 0}` },
              ...inspection.problems.map((p) => ({ cls: 'center-error small', text: p.message })),
            ];
      center
        .selectAll<SVGTextElement, (typeof lines)[number]>('text')
        .data(lines)
        .join('text')
        .attr('class', (d) => d.cls)
        .attr('text-anchor', 'middle')
        .attr('y', (_d, i) => (i - (lines.length - 1) / 2) * 16 + 4)
        .text((d) => d.text);
    },
    destroy() {
      svg.selectAll('*').remove();
      svg.on('.', null);
    },
  };
}
