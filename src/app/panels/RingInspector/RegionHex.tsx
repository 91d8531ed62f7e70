/**
 * The region's bytes (Wireshark's bytes pane): virtual address, offset, 16 bytes a row, ASCII.
 * Bytes are coloured by what they are (the shared `.b-*` classes; payloads by message), and lit at
 * three levels: the focused packet's span (`hl-pk`), the focused field's span (`hl-field`) and the
 * byte under the pointer (`hl-byte`); the hovered field's span is lit lightly (`hl-hover`).
 *
 * Only the rows in view (plus a margin) are rendered, so a large region costs what a small one does.
 * The pane scrolls to a newly focused field. Bytes are not in the tab order: the field tree is the
 * keyboard's way in.
 *
 * A clicked byte can be corrupted on the spot (FaultBar): a `corrupt-byte` or `flip-bit` fault on
 * that offset of the region, acting at the time cursor.
 */
import { type CSSProperties, type MouseEvent, useEffect, useRef, useState } from 'react';
import { type ByteRange, fieldPathAt, PbufByteClass } from '../../../core';
import { byteClassName } from '../../components/hex/byteClasses';
import { HEX_ROW_BYTES, hexAddress, HexRow } from '../../components/hex/HexRow';
import { FaultBar } from '../Faults/FaultBar';
import { packetColour, type RegionView } from './regionView';

const ROW_PX = 18;
const ROWS_SHOWN = 16;
const MARGIN_ROWS = 6;

const Level = { packet: 1, field: 2, hover: 4 } as const;

interface Props {
  readonly view: RegionView;
  readonly packetRanges: readonly ByteRange[];
  readonly fieldRanges: readonly ByteRange[];
  readonly hoverRanges: readonly ByteRange[];
  readonly hoverByte: number | null;
  /** Region offset to bring into view when it changes. */
  readonly scrollTo: number | null;
  readonly onHoverByte: (offset: number | null) => void;
  readonly onClickByte: (offset: number) => void;
}

function levelsOf(size: number, marks: readonly [readonly ByteRange[], number][]): Uint8Array {
  const levels = new Uint8Array(size);
  for (const [ranges, bit] of marks) {
    for (const r of ranges) {
      for (let i = Math.max(0, r.offset); i < Math.min(size, r.offset + r.length); i++)
        levels[i] = (levels[i] ?? 0) | bit;
    }
  }
  return levels;
}

const offsetOf = (e: MouseEvent): number | null => {
  const cell = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-offset]') : null;
  const value = cell?.dataset['offset'];
  return value === undefined ? null : Number(value);
};

export function RegionHex(props: Props) {
  const { view, hoverByte, scrollTo, onHoverByte, onClickByte } = props;
  const { bytes, byteMap, region, tree } = view;
  const size = tree.size;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  /** The byte last clicked, by region: what the fault bar offers to corrupt. */
  const [picked, setPicked] = useState<{ readonly region: string; readonly offset: number } | null>(null);
  const pickedOffset = picked?.region === region.name && picked.offset < size ? picked.offset : null;

  useEffect(() => {
    const el = box.current;
    if (!el || scrollTo === null) return;
    const top = Math.floor(scrollTo / HEX_ROW_BYTES) * ROW_PX;
    if (top < el.scrollTop || top + ROW_PX > el.scrollTop + el.clientHeight)
      el.scrollTop = Math.max(0, top - ROW_PX * 2);
  }, [scrollTo]);

  const levels = levelsOf(size, [
    [props.packetRanges, Level.packet],
    [props.fieldRanges, Level.field],
    [props.hoverRanges, Level.hover],
  ]);
  const highlight = (i: number): string => {
    const l = levels[i] ?? 0;
    return [
      l & Level.packet ? 'hl-pk' : '',
      l & Level.field ? 'hl-field' : '',
      l & Level.hover ? 'hl-hover' : '',
      i === hoverByte ? 'hl-byte' : '',
      i === pickedOffset ? 'hl-picked' : '',
    ].join(' ');
  };
  const dataStart = view.cfg.dataLoc;
  const describe = (i: number): string => {
    const path = fieldPathAt(tree.fields, i).map((f) => f.label);
    const where = i >= dataStart ? ` · data[${i - dataStart}]` : '';
    return `${hexAddress(region.address + i)} · +${i}${where} · ${path.join(' › ')}`;
  };

  const rowCount = Math.ceil(size / HEX_ROW_BYTES);
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - MARGIN_ROWS);
  const last = Math.min(rowCount, first + ROWS_SHOWN + 2 * MARGIN_ROWS);
  const rows: number[] = [];
  for (let r = first; r < last; r++) rows.push(r * HEX_ROW_BYTES);
  const packets = tree.inspection.packets;

  return (
    <div className="ri-hexpane">
      <div className="hex-row ri-hex-head" aria-hidden="true">
        <span className="hex-addr">address</span>
        <span className="hex-off">off </span>
        <span className="hex-bytes">
          {Array.from({ length: HEX_ROW_BYTES }, (_, j) => (
            <span key={j} className="hb">
              {j.toString(16).padStart(2, '0')}
            </span>
          ))}
        </span>
        <span className="hex-ascii">ascii</span>
      </div>
      <div
        ref={box}
        className="ri-hex"
        role="group"
        aria-label={`Bytes of ${region.name}`}
        style={{ maxHeight: ROWS_SHOWN * ROW_PX }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onMouseMove={(e) => {
          const offset = offsetOf(e);
          if (offset !== hoverByte) onHoverByte(offset);
        }}
        onMouseLeave={() => onHoverByte(null)}
        onClick={(e) => {
          const offset = offsetOf(e);
          if (offset === null) return;
          setPicked({ region: region.name, offset });
          onClickByte(offset);
        }}
      >
        <div style={{ height: first * ROW_PX }} />
        {rows.map((start) => (
          <HexRow
            key={start}
            base={region.address}
            start={start}
            bytes={bytes.subarray(start, Math.min(size, start + HEX_ROW_BYTES))}
            cell={(i) => {
              const cls = byteClassName(byteMap.classes[i] ?? PbufByteClass.unknown);
              const seq = byteMap.packet[i] ?? -1;
              const packet = seq >= 0 ? packets[seq] : undefined;
              const style = packet ? ({ '--msg': packetColour(view, packet) } as CSSProperties) : undefined;
              return {
                className: `hb ${cls} ${highlight(i)}`,
                style,
                'data-offset': i,
                // Only the byte under the pointer needs its tooltip: describing every byte costs a
                // field lookup each.
                title: i === hoverByte ? describe(i) : undefined,
              };
            }}
            asciiClass={highlight}
          />
        ))}
        <div style={{ height: (rowCount - last) * ROW_PX }} />
      </div>
      {pickedOffset !== null && (
        <FaultBar
          key={`${region.name}:${pickedOffset}`}
          region={region.name}
          offset={pickedOffset}
          address={region.address + pickedOffset}
          value={bytes[pickedOffset] ?? 0}
        />
      )}
    </div>
  );
}
