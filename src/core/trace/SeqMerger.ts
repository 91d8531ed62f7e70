/**
 * Puts trace records from several domain rings back into one global order. Each record carries a
 * sequence number taken from one shared counter; each ring is in order, but rings are drained
 * one after the other, so records arrive interleaved. The merger commits the contiguous prefix:
 * record n is released only after every record before it. A number that stays missing while
 * `patience` later records wait (its domain died mid-record) is given up as a `trace-gap`.
 */
export interface Sequenced<T> {
  readonly seq: number;
  readonly item: T;
}

export class SeqMerger<T> {
  private next = 0;
  private readonly pending = new Map<number, T>();
  private readonly patience: number;

  constructor(patience = 65_536) {
    this.patience = patience;
  }

  add(seq: number, item: T): void {
    if (seq >= this.next) this.pending.set(seq, item);
  }

  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Releases what can be released, in order. `onGap(lost)` reports numbers given up.
   * With `force`, waits for nothing (the run is over): every pending record is released.
   */
  release(emit: (item: T, seq: number) => void, onGap: (lost: number) => void, force = false): void {
    for (;;) {
      const item = this.pending.get(this.next);
      if (item !== undefined) {
        this.pending.delete(this.next);
        emit(item, this.next);
        this.next += 1;
        continue;
      }
      if (this.pending.size === 0) return;
      if (!force && this.pending.size < this.patience) return;
      let lowest = Infinity;
      for (const seq of this.pending.keys()) lowest = Math.min(lowest, seq);
      onGap(lowest - this.next);
      this.next = lowest;
    }
  }
}
