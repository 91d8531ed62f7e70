/** A growable list of table indices, in order: what filters over the trace table keep. */
export class IndexList {
  private indices: Uint32Array;
  private count = 0;

  constructor(initial = 256) {
    this.indices = new Uint32Array(initial);
  }

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(index: number): void {
    if (this.count === this.indices.length) {
      const grown = new Uint32Array(this.indices.length * 2);
      grown.set(this.indices);
      this.indices = grown;
    }
    this.indices[this.count++] = index;
  }

  /** The indices so far (a view of internal storage, valid until the next push). */
  view(): Uint32Array {
    return this.indices.subarray(0, this.count);
  }
}
