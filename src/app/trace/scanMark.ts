/**
 * Where an incremental reader of a TraceTable stopped. A reader that keeps something per event
 * (an index, counts, spans) reads only the events appended since its last pass; anything else
 * (truncate, clear, eviction, another table) makes it start over. The change is detected the
 * way TraceIndex detects it: by `epoch` when the table has one, otherwise by a change of
 * `evicted`, a shorter table, or a revision that moved by more than the number of new events.
 */
import type { TraceTable } from './TraceTable';

type IndexedTable = TraceTable & { readonly epoch?: number };

export class ScanMark {
  private table: TraceTable | null = null;
  private scanned = 0;
  private revision = -1;
  private evicted = -1;
  private epoch: number | undefined = undefined;

  /**
   * The first index to read: where the last pass stopped when only appends happened since, else
   * 0, in which case the caller must drop what it kept before reading.
   */
  from(table: IndexedTable): number {
    return this.appendOnly(table) ? this.scanned : 0;
  }

  /** Records that every event of `table` has been read. */
  done(table: IndexedTable): void {
    this.table = table;
    this.scanned = table.length;
    this.revision = table.revision;
    this.evicted = table.evicted;
    this.epoch = table.epoch;
  }

  private appendOnly(table: IndexedTable): boolean {
    if (table !== this.table || table.length < this.scanned || table.evicted !== this.evicted) return false;
    if (table.epoch !== undefined) return table.epoch === this.epoch;
    return table.revision - this.revision === table.length - this.scanned;
  }
}
