/**
 * The region's data[] as a strip, data[0] on the left, in pixels of the element (measured, so text
 * is never scaled):
 *
 *                     ▼ wr_idx 60 · cpuapp                         writer's index, above
 *   ┃hdr│ #7 payload  │pad┃hdr│ #8 …  ┃ free …             ┃kept┃   packets by message colour
 *        ▲ rd_idx 20 · cpurad                                      reader's index, below
 *   0                55                110               165  220 ticks
 *
 * A packet whose payload wraps shows arrowheads at both ends (the wrap point: it continues at
 * data[0]). The focused packet is outlined in the selection colour, the hovered one in white.
 * Segments come from the shared `ringSegments`, so the strip and the demo's ring agree.
 *
 * D3 owns the SVG below the element; React calls `update` with a new model and `destroy` when the
 * view goes (DESIGN.md §5).
 */
import { select } from 'd3';
import type { PbufInspection, PbufPacketView } from '../../../core';
import { appendHatch } from '../../components/ring/hatch';
import { type PacketStyle, ringSegments, type Segment } from '../../components/ring/ringSegments';

export interface StripPacketStyle extends PacketStyle {
  /** Drawn on the packet when it has room: #msgId or p<n>. */
  readonly label: string;
}

export interface StripModel {
  readonly width: number;
  readonly len: number;
  readonly inspection: PbufInspection;
  readonly packetStyle: (packet: PbufPacketView) => StripPacketStyle;
  readonly hovered: number | null;
  readonly selected: number | null;
  readonly writer: string | null;
  readonly reader: string | null;
}

export interface StripController {
  update(model: StripModel): void;
  destroy(): void;
}

export const STRIP_HEIGHT = 78;
const PAD = 12;
const BAR_TOP = 20;
const BAR_H = 24;
const CHAR_PX = 6.6;

interface Run {
  readonly seq: number;
  readonly start: number;
  readonly end: number;
}

/** Each packet's runs of data[]: one, or two when it wraps (up to the end, then from data[0]). */
function packetRuns(len: number, p: PbufPacketView): Run[] {
  const end = p.nextIdx === 0 ? len : p.nextIdx;
  return p.wraps
    ? [
        { seq: p.seq, start: p.headerIdx, end: len },
        { seq: p.seq, start: 0, end: p.nextIdx },
      ]
    : [{ seq: p.seq, start: p.headerIdx, end }];
}

let patternIds = 0;

export function createStripController(
  svgElement: SVGSVGElement,
  onHover: (seq: number | null) => void,
  onSelect: (seq: number) => void,
): StripController {
  const svg = select(svgElement).attr('role', 'img');
  svg.selectAll('*').remove();
  const hatchId = `strip-hatch-${++patternIds}`;
  appendHatch(svg, hatchId);
  const track = svg.append('rect').attr('class', 'strip-track').attr('y', BAR_TOP).attr('height', BAR_H);
  const segLayer = svg.append('g').attr('class', 'strip-segments');
  const errorLayer = svg.append('g').attr('class', 'strip-errors');
  const labelLayer = svg.append('g').attr('class', 'strip-labels');
  const outlineLayer = svg.append('g').attr('class', 'strip-outlines');
  const tickLayer = svg.append('g').attr('class', 'strip-ticks');
  const markerLayer = svg.append('g').attr('class', 'strip-markers');
  const note = svg.append('text').attr('class', 'strip-note');

  return {
    update(model) {
      const { width, len, inspection } = model;
      svg.attr('viewBox', `0 0 ${width} ${STRIP_HEIGHT}`).attr('height', STRIP_HEIGHT);
      const span = Math.max(1, width - 2 * PAD);
      const x = (idx: number): number => PAD + (Math.max(0, Math.min(len, idx)) / Math.max(1, len)) * span;
      const usable = inspection.occupied !== null;
      track.attr('x', PAD).attr('width', span).classed('unusable', !usable);

      segLayer
        .selectAll<SVGRectElement, Segment>('rect')
        .data(usable ? ringSegments(len, inspection, model.packetStyle) : [], (d) => d.key)
        .join('rect')
        .attr('class', (d) => `seg seg-${d.cls}`)
        .attr('x', (d) => x(d.start))
        .attr('y', BAR_TOP)
        .attr('width', (d) => Math.max(1, x(d.start + d.length) - x(d.start)))
        .attr('height', BAR_H)
        .attr('data-seq', (d) => d.seq)
        .style('fill', (d) => (d.cls === 'padding' ? `url(#${hatchId})` : d.colour))
        .style('cursor', (d) => (d.seq === null ? null : 'pointer'))
        .on('mouseenter', (_e, d) => onHover(d.seq))
        .on('mouseleave', () => onHover(null))
        .on('click', (_e, d) => {
          if (d.seq !== null) onSelect(d.seq);
        })
        .selectAll('title')
        .data((d) => [d.title])
        .join('title')
        .text((t) => t);

      // Bytes written after the last packet the walk could frame (a corrupted header): in error.
      const framedTo = inspection.packets.at(-1)?.nextIdx ?? inspection.rdIdx;
      const unframed =
        usable && framedTo !== inspection.wrIdx
          ? framedTo < inspection.wrIdx
            ? [{ start: framedTo, end: inspection.wrIdx }]
            : [
                { start: framedTo, end: len },
                { start: 0, end: inspection.wrIdx },
              ]
          : [];
      errorLayer
        .selectAll<SVGRectElement, (typeof unframed)[number]>('rect')
        .data(unframed)
        .join('rect')
        .attr('class', 'strip-unframed')
        .attr('x', (d) => x(d.start))
        .attr('y', BAR_TOP)
        .attr('width', (d) => Math.max(1, x(d.end) - x(d.start)))
        .attr('height', BAR_H)
        .selectAll('title')
        .data(['written, but not framed as packets: a header claims more bytes than were written'])
        .join('title')
        .text((t) => t);

      const runs = usable ? inspection.packets.flatMap((p) => packetRuns(len, p)) : [];
      const labels = inspection.packets.flatMap((p) => {
        const text = model.packetStyle(p).label;
        const longest = packetRuns(len, p).reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
        const room = x(longest.end) - x(longest.start);
        return usable && room >= text.length * CHAR_PX + 6
          ? [{ seq: p.seq, text, at: (x(longest.start) + x(longest.end)) / 2 }]
          : [];
      });
      labelLayer
        .selectAll<SVGTextElement, (typeof labels)[number]>('text')
        .data(labels, (d) => String(d.seq))
        .join('text')
        .attr('class', 'strip-label')
        .attr('x', (d) => d.at)
        .attr('y', BAR_TOP + BAR_H / 2 + 4)
        .attr('text-anchor', 'middle')
        .text((d) => d.text);

      const outlined = runs.filter((r) => r.seq === model.selected || r.seq === model.hovered);
      outlineLayer
        .selectAll<SVGRectElement, Run>('rect')
        .data(outlined, (d) => `${d.seq}-${d.start}`)
        .join('rect')
        .attr('class', (d) => (d.seq === model.selected ? 'strip-outline selected' : 'strip-outline hovered'))
        .attr('x', (d) => x(d.start) + 0.5)
        .attr('y', BAR_TOP - 1.5)
        .attr('width', (d) => Math.max(1, x(d.end) - x(d.start) - 1))
        .attr('height', BAR_H + 3);
      // The wrap point: arrowheads out of the right end and into the left end, in the packet's colour.
      const wrapped = usable ? inspection.packets.filter((p) => p.wraps) : [];
      const arrows = wrapped.flatMap((p) => [
        { key: `r${p.seq}`, at: x(len) + 1, colour: model.packetStyle(p).colour },
        { key: `l${p.seq}`, at: PAD - 9, colour: model.packetStyle(p).colour },
      ]);
      outlineLayer
        .selectAll<SVGPathElement, (typeof arrows)[number]>('path')
        .data(arrows, (d) => d.key)
        .join('path')
        .attr('class', 'strip-wrap')
        .attr('d', (d) => `M${d.at},${BAR_TOP + 5} l7,${BAR_H / 2 - 5} l-7,${BAR_H / 2 - 5} z`)
        .style('fill', (d) => d.colour)
        .selectAll('title')
        .data(['wrap point: the payload continues at data[0]'])
        .join('title')
        .text((t) => t);

      const ticks = [0, 1, 2, 3, 4].map((q) => Math.round((len * q) / 4 / 4) * 4);
      tickLayer
        .selectAll<SVGLineElement, number>('line')
        .data(ticks)
        .join('line')
        .attr('class', 'strip-tick')
        .attr('x1', (d) => x(d))
        .attr('x2', (d) => x(d))
        .attr('y1', BAR_TOP + BAR_H)
        .attr('y2', BAR_TOP + BAR_H + 4);
      const rdLabelAt = usable ? x(inspection.rdIdx) : -1000;
      tickLayer
        .selectAll<SVGTextElement, number>('text')
        .data(ticks.filter((d) => Math.abs(x(d) - rdLabelAt) > 70))
        .join('text')
        .attr('class', 'strip-tick-label')
        .attr('x', (d) => x(d))
        .attr('y', STRIP_HEIGHT - 2)
        .attr('text-anchor', (d) => (d === 0 ? 'start' : d === len ? 'end' : 'middle'))
        .text((d) => (d === 0 ? 'data[0]' : String(d)));

      const markers = usable
        ? [
            {
              key: 'wr',
              idx: inspection.wrIdx,
              text: `wr_idx ${inspection.wrIdx}${model.writer ? ` · ${model.writer}` : ''}`,
            },
            {
              key: 'rd',
              idx: inspection.rdIdx,
              text: `rd_idx ${inspection.rdIdx}${model.reader ? ` · ${model.reader}` : ''}`,
            },
          ]
        : [];
      const marker = markerLayer
        .selectAll<SVGGElement, (typeof markers)[number]>('g')
        .data(markers, (d) => d.key)
        .join((enter) => {
          const g = enter.append('g');
          g.append('path');
          g.append('text');
          return g;
        })
        .attr('class', (d) => `strip-marker marker-${d.key}`);
      marker
        .select('path')
        .attr('d', (d) =>
          d.key === 'wr'
            ? `M${x(d.idx)},${BAR_TOP - 1} l-5,-6 h10 z`
            : `M${x(d.idx)},${BAR_TOP + BAR_H + 1} l-5,6 h10 z`,
        );
      marker
        .select('text')
        .attr('y', (d) => (d.key === 'wr' ? BAR_TOP - 9 : BAR_TOP + BAR_H + 17))
        .each(function (d) {
          // Keep the label inside the strip: anchor it at the end it would cross.
          const half = (d.text.length * CHAR_PX) / 2;
          const at = x(d.idx);
          const anchor = at - half < 0 ? 'start' : at + half > width ? 'end' : 'middle';
          select(this)
            .attr('x', anchor === 'start' ? Math.max(0, at - 6) : anchor === 'end' ? Math.min(width, at + 6) : at)
            .attr('text-anchor', anchor);
        })
        .text((d) => d.text);

      note
        .attr('x', width / 2)
        .attr('y', BAR_TOP + BAR_H / 2 + 4)
        .attr('text-anchor', 'middle')
        .text(usable ? '' : 'data[] not decoded: rd_idx or wr_idx is unusable');
    },
    destroy() {
      svg.selectAll('*').remove();
    },
  };
}
