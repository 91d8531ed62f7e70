/**
 * The region's data[] as a strip (stripController), sized to its container: packets coloured and
 * numbered by the message they carry (#msgId, or p<n> for the n-th packet in the FIFO when the
 * trace does not say), wr_idx above with its writer, rd_idx below with its reader.
 */
import { useEffect, useRef, useState } from 'react';
import { createStripController, STRIP_HEIGHT, type StripController } from './stripController';
import { domainOf, msgIdOf, packetColour, packetName, type RegionView, UNKNOWN_MESSAGE_COLOUR } from './regionView';

interface Props {
  readonly view: RegionView;
  /** Packets by `seq` (0 = the next one the reader takes). */
  readonly selected: number | null;
  readonly hovered: number | null;
  readonly onHover: (seq: number | null) => void;
  readonly onSelect: (seq: number) => void;
}

export function InspectorStrip({ view, selected, hovered, onHover, onSelect }: Props) {
  const svgRef = useRef<SVGSVGElement>(null);
  const controller = useRef<StripController | null>(null);
  const [width, setWidth] = useState(0);
  // The controller lives as long as the element; it calls the newest handlers.
  const handlers = useRef({ onHover, onSelect });
  useEffect(() => {
    handlers.current = { onHover, onSelect };
  });

  useEffect(() => {
    const el = svgRef.current;
    if (!el) return undefined;
    const c = createStripController(
      el,
      (seq) => handlers.current.onHover(seq),
      (seq) => handlers.current.onSelect(seq),
    );
    controller.current = c;
    const observer = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    observer.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => {
      observer.disconnect();
      c.destroy();
      controller.current = null;
    };
  }, []);

  useEffect(() => {
    if (width <= 0) return;
    controller.current?.update({
      width,
      len: view.cfg.len,
      inspection: view.tree.inspection,
      hovered,
      selected,
      packetStyle: (p) => {
        const id = msgIdOf(view, p);
        return {
          colour: packetColour(view, p),
          label: packetName(view, p),
          name: id === null ? `packet ${p.seq} (message not in the trace)` : `message #${id}`,
        };
      },
      writer: domainOf(view.region.writer),
      reader: domainOf(view.region.reader),
    });
  }, [view, hovered, selected, width]);

  return (
    <figure className="ri-strip" aria-label={`data[] of ${view.region.name}`}>
      <svg ref={svgRef} data-testid="inspector-strip" style={{ height: STRIP_HEIGHT }} />
      <figcaption className="ri-legend">
        <span>
          <span className="sw sw-header" /> header
        </span>
        <span>
          <span className="sw ri-sw-msg" /> payload, by message
        </span>
        <span>
          <span className="sw" style={{ background: UNKNOWN_MESSAGE_COLOUR }} /> message unknown
        </span>
        <span>
          <span className="sw sw-padding" /> padding (never written)
        </span>
        <span>
          <span className="sw sw-free" /> free
        </span>
        <span>
          <span className="sw sw-reserved" /> 4 bytes kept free
        </span>
      </figcaption>
    </figure>
  );
}
