/**
 * A single-producer, single-consumer ring of 32-bit words in shared memory: a domain worker writes
 * trace records, the host drains them. Records are written whole or not at all; when the host is
 * behind and a record does not fit, the writer drops it and counts it (the host turns the count
 * into a `trace-gap` event), because a worker must never wait for the UI.
 *
 *   word 0  head: words written (monotonic, mod 2^32), stored by the writer after the record
 *   word 1  tail: words consumed, stored by the reader
 *   word 2  records dropped because the ring was full (writer)
 *   word 3  capacity in words (a power of two)
 *   word 4… data
 */
export const RING_HEADER_WORDS = 4;
const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;
const CAPACITY = 3;

/** Words a ring of `capacity` data words takes, header included. */
export const ringWords = (capacity: number): number => RING_HEADER_WORDS + capacity;

/** The largest power of two that fits `words` words of data (a ring needs room for its records). */
export const ringCapacityFor = (words: number): number => 2 ** Math.floor(Math.log2(Math.max(1, words)));

/** Prepares an empty ring in `words`, using the largest power-of-two data area that fits. */
export function initRing(words: Int32Array): void {
  const capacity = ringCapacityFor(words.length - RING_HEADER_WORDS);
  Atomics.store(words, HEAD, 0);
  Atomics.store(words, TAIL, 0);
  Atomics.store(words, DROPPED, 0);
  Atomics.store(words, CAPACITY, capacity);
}

export class RingWriter {
  private readonly words: Int32Array;
  private readonly mask: number;
  private readonly capacity: number;

  constructor(words: Int32Array) {
    this.words = words;
    this.capacity = Atomics.load(words, CAPACITY);
    this.mask = this.capacity - 1;
  }

  /** Whether `count` more words fit now. */
  fits(count: number): boolean {
    const used = (Atomics.load(this.words, HEAD) - Atomics.load(this.words, TAIL)) >>> 0;
    return this.capacity - used >= count;
  }

  /** Writes `count` words of `src` as one unit and publishes them. Call `fits` first. */
  write(src: ArrayLike<number>, count: number): void {
    const words = this.words;
    const head = Atomics.load(words, HEAD) >>> 0;
    for (let i = 0; i < count; i++) words[RING_HEADER_WORDS + ((head + i) & this.mask)] = src[i] ?? 0;
    Atomics.store(words, HEAD, (head + count) | 0); // publishes the records to the reader
  }

  /** Counts a record that did not fit. */
  drop(): void {
    Atomics.add(this.words, DROPPED, 1);
  }
}

export class RingReader {
  private readonly words: Int32Array;
  private readonly mask: number;
  private droppedSeen = 0;
  private scratch = new Int32Array(256);

  constructor(words: Int32Array) {
    this.words = words;
    this.mask = Atomics.load(words, CAPACITY) - 1;
  }

  /** Records dropped since the last call. */
  takeDropped(): number {
    const total = Atomics.load(this.words, DROPPED) >>> 0;
    const fresh = (total - this.droppedSeen) >>> 0;
    this.droppedSeen = total;
    return fresh;
  }

  /** Whether a record that does not parse stopped the last drain (the ring is corrupt). */
  corrupt = false;

  /**
   * Hands every complete record written so far to `consume` (one record per call, in a scratch
   * array valid during the call), and frees their words as it goes. `recordLength` reads a
   * record's length from its first word; a length that cannot be stops the drain for good
   * (`corrupt`). Returns true when it emptied the ring (as of the head it read at the start),
   * false when `stop` cut it short.
   */
  drain(
    recordLength: (header: number) => number,
    consume: (record: Int32Array, length: number) => void,
    stop: () => boolean = () => false,
  ): boolean {
    const words = this.words;
    const head = Atomics.load(words, HEAD) >>> 0;
    let tail = Atomics.load(words, TAIL) >>> 0;
    let records = 0;
    while (tail !== head && !this.corrupt) {
      if ((records & 255) === 255) {
        // Every 256 records: free what was read (the writer may be waiting for room), and ask
        // whether to stop for now (a time budget).
        Atomics.store(words, TAIL, tail | 0);
        if (stop()) break;
      }
      const length = recordLength(words[RING_HEADER_WORDS + (tail & this.mask)] ?? 0);
      if (length <= 0 || length > (head - tail) >>> 0) {
        this.corrupt = true;
        break;
      }
      if (length > this.scratch.length) this.scratch = new Int32Array(length * 2);
      for (let i = 0; i < length; i++) this.scratch[i] = words[RING_HEADER_WORDS + ((tail + i) & this.mask)] ?? 0;
      consume(this.scratch, length);
      tail = (tail + length) >>> 0;
      records += 1;
    }
    Atomics.store(words, TAIL, tail | 0); // frees the drained words for the writer
    return tail === head;
  }
}
