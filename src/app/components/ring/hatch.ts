/**
 * The diagonal hatch that marks padding bytes (never written, stale memory) in the ring and strip
 * drawings: an SVG pattern filled by the stylesheet's `.hatch` colour.
 */
import type { Selection } from 'd3';

/** Appends the hatch pattern with element id `id` under `svg`'s defs. */
export function appendHatch(svg: Selection<SVGSVGElement, unknown, null, undefined>, id: string): void {
  svg
    .append('defs')
    .append('pattern')
    .attr('id', id)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 4)
    .attr('height', 4)
    .attr('patternTransform', 'rotate(45)')
    .append('rect')
    .attr('width', 2)
    .attr('height', 4)
    .attr('class', 'hatch');
}
