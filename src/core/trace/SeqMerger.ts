/**
 * Puts trace records from several domain rings back into one global order. Each record carries a
 * sequence number taken from one shared counter; each ring is in order, but rings are drained
 * one after the other, so records arrive interleaved. The merger commits the contiguous prefix:
 * record n is released only after every record before it. A number that stays missing while
 * `patience` later records wait (its domain died mid-record) is given up as a `trace-gap`.
 *
 * Records arrive close to their place, so pending ones sit in a circular window indexed by
 * sequence number (grown when needed), not in a map.
 */
export class SeqMerger<T> {
  private next = 0;
  private window: (T | undefined)[] = new Array<T | undefined>(1024);
  private mask = 1023;
  private count = 0;
  /** The highest sequence number waiting, so a grown window can be refilled. */
  private highest = -1;
  private readonly patience: number;

  constructor(patience = 65_536) {
    this.patience = patience;
  }

  add(seq: number, item: T): void {
    if (seq < this.next) return;
    while (seq - this.next >= this.window.length) this.grow();
    const slot = seq & this.mask;
    if (this.window[slot] === undefined) this.count += 1;
    this.window[slot] = item;
    if (seq > this.highest) this.highest = seq;
  }

  get waiting(): number {
    return this.count;
  }

  /**
   * Releases what can be released, in order. `onGap(lost)` reports numbers given up.
   * With `force`, waits for nothing (the run is over): every pending record is released.
   */
  release(emit: (item: T, seq: number) => void, onGap: (lost: number) => void, force = false): void {
    for (;;) {
      const slot = this.next & this.mask;
      const item = this.window[slot];
      if (item !== undefined) {
        this.window[slot] = undefined;
        this.count -= 1;
        emit(item, this.next);
        this.next += 1;
        continue;
      }
      if (this.count === 0) return;
      if (!force && this.count < this.patience) return;
      let lowest = this.next + 1;
      while (this.window[lowest & this.mask] === undefined) lowest += 1;
      onGap(lowest - this.next);
      this.next = lowest;
    }
  }

  private grow(): void {
    const old = this.window;
    const oldMask = this.mask;
    this.window = new Array<T | undefined>(old.length * 2);
    this.mask = this.window.length - 1;
    for (let seq = this.next; seq <= this.highest; seq++) {
      const item = old[seq & oldMask];
      if (item !== undefined) this.window[seq & this.mask] = item;
    }
  }
}
