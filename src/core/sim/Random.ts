/**
 * A seeded pseudo-random generator (sfc32, a small fast counter generator by Chris Doty-Humphrey,
 * as used in PractRand). Its whole state is four 32-bit words, so a simulation snapshot can store
 * it and a replay continues the same sequence. Core code takes a `Random`, never the host's
 * global generator.
 */
export type RandomState = readonly [number, number, number, number];

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | RandomState) {
    if (typeof seed === 'number') {
      // Spread the seed over the state, then discard the first outputs (the generator's
      // recommended warm-up), so nearby seeds give unrelated sequences.
      this.a = 0x9e3779b9;
      this.b = 0x243f6a88;
      this.c = 0xb7e15162;
      this.d = seed >>> 0;
      for (let i = 0; i < 15; i++) this.nextUint32();
    } else {
      [this.a, this.b, this.c, this.d] = seed;
    }
  }

  /** The next 32 random bits, as an unsigned number. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** An integer in [0, n), n >= 1. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  state(): RandomState {
    return [this.a, this.b, this.c, this.d];
  }

  restore(state: RandomState): void {
    [this.a, this.b, this.c, this.d] = state;
  }
}
