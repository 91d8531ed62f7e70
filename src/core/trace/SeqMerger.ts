/**
 * Puts trace records from several domain rings back into one global order. Each record carries a
 * sequence number taken from one shared counter; each ring is in order, but rings are drained
 * one after the other, so records arrive interleaved. The merger commits the contiguous prefix:
 * record n is released only after every record before it.
 *
 * A number can go missing for good only when the domain that took it died before writing its
 * record. The merger cannot know which domain took a number, so the caller says when a missing
 * number may be given up: `release(…, horizon)` gives up numbers below `horizon` (the caller
 * passes one only once every ring has been drained empty since that number was taken). A record
 * that turns up after its number was given up is refused and counted (`late`). As a memory
 * bound, numbers are also given up once `patience` later records wait.
 *
 * Records arrive close to their place, so pending ones sit in a circular window indexed by
 * sequence number (grown when needed), not in a map.
 */
export class SeqMerger<T> {
  private nextSeq = 0;
  private window: (T | undefined)[] = new Array<T | undefined>(1024);
  private mask = 1023;
  private count = 0;
  /** The highest sequence number waiting, so a grown window can be refilled. */
  private highest = -1;
  private readonly patience: number;
  /** Records refused because their number had already been given up. */
  late = 0;

  constructor(patience = 1 << 20) {
    this.patience = patience;
  }

  /** The next sequence number to release. */
  get next(): number {
    return this.nextSeq;
  }

  /** Records waiting for an earlier number. */
  get waiting(): number {
    return this.count;
  }

  /** Takes a record; false (and counted in `late`) when its number was already given up. */
  add(seq: number, item: T): boolean {
    if (seq < this.nextSeq) {
      this.late += 1;
      return false;
    }
    while (seq - this.nextSeq >= this.window.length) this.grow();
    const slot = seq & this.mask;
    if (this.window[slot] === undefined) this.count += 1;
    this.window[slot] = item;
    if (seq > this.highest) this.highest = seq;
    return true;
  }

  /**
   * Releases what can be released, in order. Missing numbers below `horizon` are given up
   * (`onGap(lost)`); `Infinity` gives up every missing number (the run is over).
   */
  release(emit: (item: T, seq: number) => void, onGap: (lost: number) => void, horizon = 0): void {
    for (;;) {
      const slot = this.nextSeq & this.mask;
      const item = this.window[slot];
      if (item !== undefined) {
        this.window[slot] = undefined;
        this.count -= 1;
        emit(item, this.nextSeq);
        this.nextSeq += 1;
        continue;
      }
      if (this.count === 0) {
        // Nothing waits; numbers below the horizon that never came are lost all the same.
        if (horizon !== Infinity && horizon > this.nextSeq) {
          onGap(horizon - this.nextSeq);
          this.nextSeq = horizon;
        }
        return;
      }
      let lowest = this.nextSeq + 1;
      while (this.window[lowest & this.mask] === undefined) lowest += 1;
      const giveUpTo = this.count >= this.patience ? lowest : Math.min(lowest, horizon);
      if (giveUpTo <= this.nextSeq) return;
      onGap(giveUpTo - this.nextSeq);
      this.nextSeq = giveUpTo;
    }
  }

  /** Forgets everything: the next number expected is `next` again. */
  reset(next = 0): void {
    this.window = new Array<T | undefined>(1024);
    this.mask = 1023;
    this.count = 0;
    this.highest = -1;
    this.nextSeq = next;
    this.late = 0;
  }

  private grow(): void {
    const old = this.window;
    const oldMask = this.mask;
    this.window = new Array<T | undefined>(old.length * 2);
    this.mask = this.window.length - 1;
    for (let seq = this.nextSeq; seq <= this.highest; seq++) {
      const item = old[seq & oldMask];
      if (item !== undefined) this.window[seq & this.mask] = item;
    }
  }
}
