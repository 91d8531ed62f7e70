import { memo, useMemo } from 'react';
import { classifyPbufBytes, type PbufCfg, type PbufInspection, type VirtualAddress } from '../../../core';
import { BYTE_CLASSES, byteClassName } from '../../components/hex/byteClasses';
import { HEX_ROW_BYTES, hexAddress, HexRow } from '../../components/hex/HexRow';
import { useAppStore } from '../../store/appStore';

interface HexProps {
  readonly bytes: Uint8Array;
  readonly cfg: PbufCfg;
  readonly base: VirtualAddress;
  readonly regionOffset: number;
  readonly inspection: PbufInspection;
}

/** Every byte of the region, coloured by what it is; hovering a byte highlights its packet everywhere. */
const HexGrid = memo(function HexGrid({ bytes, cfg, base, regionOffset, inspection }: HexProps) {
  const hover = useAppStore((s) => s.demoHover);
  const { classes, packet } = useMemo(() => classifyPbufBytes(cfg, bytes.length, inspection), [cfg, bytes, inspection]);
  const dataStart = cfg.dataLoc - cfg.rdIdxLoc;
  const rows: number[] = [];
  for (let r = 0; r < bytes.length; r += HEX_ROW_BYTES) rows.push(r);

  const describe = (i: number): string => {
    const cls = BYTE_CLASSES[classes[i] ?? 8]?.[1] ?? '';
    const dataIdx = i >= dataStart ? ` · data[${i - dataStart}]` : '';
    const pk = packet[i] ?? -1;
    return `${hexAddress(base + regionOffset + i)} · offset ${i}${dataIdx} · ${cls}${pk >= 0 ? ` of packet #${pk}` : ''}`;
  };

  return (
    <div
      className="hex-grid"
      onMouseOver={(e) => {
        const target = e.target as HTMLElement;
        const pk = target.dataset['pk'];
        hover(pk === undefined ? null : Number(pk));
      }}
      onMouseLeave={() => hover(null)}
    >
      {rows.map((r) => (
        <HexRow
          key={r}
          base={base + regionOffset}
          start={r}
          bytes={bytes.subarray(r, r + HEX_ROW_BYTES)}
          cell={(i) => {
            const pk = packet[i] ?? -1;
            return {
              className: `hb ${byteClassName(classes[i] ?? 8)}${pk >= 0 ? ` pk${pk % 6}` : ''}`,
              'data-offset': i,
              'data-pk': pk >= 0 ? pk : undefined,
              title: describe(i),
            };
          }}
        />
      ))}
    </div>
  );
});

/** Highlights the hovered packet's bytes with one style rule, so hovering never re-renders the grid. */
function HoverHighlight() {
  const hovered = useAppStore((s) => s.demoHoveredPacket);
  if (hovered === null) return null;
  return (
    <style>{`.hex-grid [data-pk="${hovered}"] { outline: 1px solid var(--hover); background: var(--hover-bg); }`}</style>
  );
}

export function HexView(props: HexProps) {
  const { cfg } = props;
  return (
    <section className="hex" aria-label="Hex view of the region">
      <header>
        <h2>Region bytes</h2>
        <span className="layout-summary">
          rd_idx @{cfg.rdIdxLoc - cfg.rdIdxLoc}
          {cfg.handshakeLoc !== null && ` · handshake @${cfg.handshakeLoc - cfg.rdIdxLoc}`} · wr_idx @
          {cfg.wrIdxLoc - cfg.rdIdxLoc} · data[{cfg.len}] @{cfg.dataLoc - cfg.rdIdxLoc}
        </span>
      </header>
      <div className="hex-legend">
        {BYTE_CLASSES.slice(0, 8).map(([cls, text]) => (
          <span key={cls}>
            <span className={`hb ${cls} ${cls === 'b-pl' ? 'pk0' : ''}`}>00</span> {text.split(':')[0]?.split(' (')[0]}
          </span>
        ))}
      </div>
      <HoverHighlight />
      <HexGrid {...props} />
    </section>
  );
}
