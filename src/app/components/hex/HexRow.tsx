/**
 * One row of a hex pane, shared by the pbuf demo and the ring inspector: the virtual address, the
 * offset from the region start, 16 byte cells and the ASCII column. The caller decides what each
 * cell is (its class, data attributes, title); the row only lays them out.
 *
 *   0x20070010  +010  00 0d 00 00 45 6d 31 6c 31 4b 30 72 6e 33 6c 69  ....Em1l1K0rn3li
 */
import type { HTMLAttributes } from 'react';

export const HEX_ROW_BYTES = 16;

export const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
export const hexAddress = (a: number): string => `0x${a.toString(16).padStart(8, '0')}`;
export const asciiChar = (b: number): string => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·');

/** Attributes of one byte cell, including `data-*` ones. */
export type HexCellProps = HTMLAttributes<HTMLSpanElement> & Record<`data-${string}`, string | number | undefined>;

interface HexRowProps {
  /** Virtual address of the region's first byte. */
  readonly base: number;
  /** Offset of this row's first byte from the region start. */
  readonly start: number;
  /** The row's bytes (up to 16). */
  readonly bytes: Uint8Array;
  /** The cell of region byte `offset`. */
  readonly cell: (offset: number) => HexCellProps;
  /** Class of the ASCII character of region byte `offset`; without it the column is plain text. */
  readonly asciiClass?: (offset: number) => string;
}

export function HexRow({ base, start, bytes, cell, asciiClass }: HexRowProps) {
  return (
    <div className="hex-row">
      <span className="hex-addr">{hexAddress(base + start)}</span>
      <span className="hex-off">+{start.toString(16).padStart(3, '0')}</span>
      <span className="hex-bytes">
        {Array.from(bytes, (b, j) => (
          <span key={start + j} {...cell(start + j)}>
            {hex2(b)}
          </span>
        ))}
      </span>
      <span className="hex-ascii">
        {asciiClass
          ? Array.from(bytes, (b, j) => (
              <span key={start + j} className={asciiClass(start + j)}>
                {asciiChar(b)}
              </span>
            ))
          : Array.from(bytes, asciiChar).join('')}
      </span>
    </div>
  );
}
