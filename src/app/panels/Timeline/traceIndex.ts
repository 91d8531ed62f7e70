/**
 * What the timeline needs to know about the whole trace, kept up to date incrementally as events
 * are appended: events per lane (to collapse empty lanes), and for each
 * message id the table index of the packet that carried it into shared memory (`send`) and out of
 * it (`receive`), so an arrow can be drawn when only one end is on screen.
 *
 * Appends are read from where the last sync stopped. Anything else (truncate, clear, eviction)
 * rebuilds from scratch: it is detected by `epoch` when the table has one, otherwise by a change
 * of `evicted`, a shorter table, or a revision that moved by more than the number of new events.
 */
import { TraceFlag, type TraceTable } from '../../trace/TraceTable';

export interface MessageEnds {
  /** Table index of the packet-written event, or −1. */
  readonly send: number;
  /** Table index of the packet-read event, or −1. */
  readonly receive: number;
}

type IndexedTable = TraceTable & { readonly epoch?: number };

export class TraceIndex {
  private table: TraceTable | null = null;
  private length = 0;
  private revision = -1;
  private evicted = -1;
  private epoch: number | undefined = undefined;
  private laneCounts: number[] = [];
  private sends = new Map<number, number>();
  private receives = new Map<number, number>();

  /** Brings the index up to date with `table`; returns true when it was rebuilt. */
  sync(table: IndexedTable): boolean {
    const rebuilt = !this.appendOnly(table);
    if (rebuilt) this.reset(table);
    const { lane, flags, msgId } = table;
    for (let i = this.length; i < table.length; i++) {
      const l = lane[i] ?? 0;
      this.laneCounts[l] = (this.laneCounts[l] ?? 0) + 1;
      const f = flags[i] ?? 0;
      if ((f & (TraceFlag.send | TraceFlag.receive)) === 0) continue;
      const id = msgId[i] ?? NaN;
      if (id !== id) continue;
      const map = (f & TraceFlag.send) !== 0 ? this.sends : this.receives;
      if (!map.has(id)) map.set(id, i);
    }
    this.length = table.length;
    this.revision = table.revision;
    this.evicted = table.evicted;
    this.epoch = table.epoch;
    return rebuilt;
  }

  /** Events in `lane` (0 when none). */
  count(lane: number): number {
    return this.laneCounts[lane] ?? 0;
  }

  message(msgId: number): MessageEnds {
    return { send: this.sends.get(msgId) ?? -1, receive: this.receives.get(msgId) ?? -1 };
  }

  private appendOnly(table: IndexedTable): boolean {
    if (table !== this.table || table.length < this.length || table.evicted !== this.evicted) return false;
    if (table.epoch !== undefined) return table.epoch === this.epoch;
    return table.revision - this.revision === table.length - this.length;
  }

  private reset(table: TraceTable): void {
    this.table = table;
    this.length = 0;
    this.laneCounts = [];
    this.sends = new Map();
    this.receives = new Map();
  }
}
