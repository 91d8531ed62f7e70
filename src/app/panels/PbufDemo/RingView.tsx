import { useEffect, useRef } from 'react';
import type { PbufInspection } from '../../../core';
import { useAppStore } from '../../store/appStore';
import { createRingController, type RingController } from '../../components/ring/ringController';

export function RingView({ len, inspection }: { readonly len: number; readonly inspection: PbufInspection }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const controller = useRef<RingController | null>(null);
  const hovered = useAppStore((s) => s.demoHoveredPacket);
  const hover = useAppStore((s) => s.demoHover);

  useEffect(() => {
    if (!svgRef.current) return undefined;
    const c = createRingController(svgRef.current, hover);
    controller.current = c;
    return () => {
      c.destroy();
      controller.current = null;
    };
  }, [hover]);

  useEffect(() => {
    controller.current?.update({ len, inspection, hovered });
  }, [len, inspection, hovered]);

  return (
    <figure className="ring" aria-label="Ring of data[]">
      <svg ref={svgRef} data-testid="ring" />
      <figcaption className="legend">
        <span className="sw sw-header" /> header
        <span className="sw sw-payload" /> payload
        <span className="sw sw-padding" /> padding (untouched)
        <span className="sw sw-free" /> free
        <span className="sw sw-reserved" /> kept free
      </figcaption>
    </figure>
  );
}
