/**
 * The hex panes' colour classes (styles.css `.b-*`), one per `PbufByteClass` value in enum order,
 * with what each byte is. Core A writes the region, core B reads it.
 */
export const BYTE_CLASSES = [
  ['b-rd', 'rd_idx (written by core B, the reader)'],
  ['b-hs', 'handshake word (written by core B)'],
  ['b-line', 'cache-line padding: never written'],
  ['b-wr', 'wr_idx (written by core A, the writer)'],
  ['b-hdr', 'packet header: length, big-endian, then 00 00'],
  ['b-pl', 'payload'],
  ['b-pad', 'packet padding: never written, stale memory'],
  ['b-free', 'free space (stale bytes from earlier packets)'],
  ['b-unk', 'not attributable (after a corrupted header)'],
] as const;

/** The class of a `PbufByteClass` value. */
export const byteClassName = (cls: number): string => BYTE_CLASSES[cls]?.[0] ?? 'b-unk';
