/**
 * Where trace events go. The inline runtime keeps them in memory (`TraceLog`); a sink can also
 * drop them (benchmarks of the bare protocol) or forward them.
 */
import type { TraceBody, TraceEvent } from './events';

export interface TraceSink {
  /**
   * Records one event. Callers pass a fresh object literal, which a sink may keep as the event
   * itself (the log stamps `seq`, `t` and `domain` onto it rather than copying it).
   */
  emit(domain: string, t: number, body: TraceBody): void;
}

/**
 * Keeps every event, in order, with sequence numbers from 0, as a tape with a cursor: rewinding
 * (a restored snapshot) moves the cursor back but keeps the events after it, and replaying writes
 * the same events over them again. A fork discards the tape after the cursor.
 */
export class TraceLog implements TraceSink {
  private tape: TraceEvent[] = [];
  private cursor = 0;
  /** During a trial run: the tape's length before it, and what it wrote over. */
  private trial: { readonly length: number; readonly overwritten: Map<number, TraceEvent | undefined> } | null = null;

  emit(domain: string, t: number, body: TraceBody): void {
    const event = body as TraceEvent & { seq: number; t: number; domain: string };
    event.seq = this.cursor;
    event.t = t;
    event.domain = domain;
    if (this.trial && this.cursor < this.trial.length && !this.trial.overwritten.has(this.cursor)) {
      this.trial.overwritten.set(this.cursor, this.tape[this.cursor]);
    }
    if (this.cursor < this.tape.length) this.tape[this.cursor] = event;
    else this.tape.push(event);
    this.cursor += 1;
  }

  /** The events up to the cursor (the run's present). */
  get events(): readonly TraceEvent[] {
    return this.cursor === this.tape.length ? this.tape : this.tape.slice(0, this.cursor);
  }

  /** Events from `from` to the cursor. */
  slice(from: number, to = this.cursor): TraceEvent[] {
    return this.tape.slice(from, Math.min(to, this.cursor));
  }

  get length(): number {
    return this.cursor;
  }

  /** How far the tape reaches (the furthest point this branch has run to). */
  get recorded(): number {
    return this.tape.length;
  }

  /** The i-th event of the tape, present or recorded future (undefined past the tape's end). */
  recordedEvent(i: number): TraceEvent | undefined {
    return this.tape[i];
  }

  /** Moves the cursor back (or forward, within the tape) to `length` events. */
  rewind(length: number): void {
    this.cursor = Math.max(0, Math.min(length, this.tape.length));
  }

  /**
   * Starts a trial run (trying what the scheduler could do, then restoring a snapshot): what it
   * writes over the recorded future is kept aside, for `endTrial` to put back. Costs only what the
   * trial writes, however long the recorded future is.
   */
  beginTrial(): void {
    this.trial = { length: this.tape.length, overwritten: new Map() };
  }

  /** Puts back the recorded future a trial run wrote over (the cursor is the caller's to restore). */
  endTrial(): void {
    const trial = this.trial;
    if (!trial) return;
    for (const [i, event] of trial.overwritten) if (event) this.tape[i] = event;
    this.tape.length = trial.length;
    this.trial = null;
  }

  /** Forgets the events after the cursor: the future of a forked run is a new one. */
  discardFuture(): void {
    this.tape.length = this.cursor;
  }
}

/** Drops everything. */
export const NULL_SINK: TraceSink = { emit: () => undefined };

/** Messages are numbered from 1 across the whole simulation, so a send can be followed to its read. */
export class MessageIds {
  private next: number;
  /**
   * Per region: data[] index of a published packet → its message id, until it is read. A region's
   * map is created once and only ever cleared or refilled, never replaced: hot-path callers keep
   * it (`slots`), so a replaced map would leave them writing where nobody reads.
   */
  private readonly inFlight = new Map<string, Map<number, number>>();

  /** `first`: the first id; worker domains each start at their own base so ids never collide. */
  constructor(first = 1) {
    this.next = first;
  }

  /** A fresh id for a message that is not a packet in a region (a libipc port item). */
  allocate(): number {
    return this.next++;
  }

  published(region: string, offset: number): number {
    const id = this.next++;
    this.slots(region).set(offset, id);
    return id;
  }

  /** The in-flight map of one region (callers on the hot path keep it). */
  slots(region: string): Map<number, number> {
    let slots = this.inFlight.get(region);
    if (!slots) {
      slots = new Map<number, number>();
      this.inFlight.set(region, slots);
    }
    return slots;
  }

  /** The id of the packet read at `offset`, or null if nobody traced its write (stale memory). */
  consumed(region: string, offset: number): number | null {
    const slots = this.inFlight.get(region);
    const id = slots?.get(offset);
    if (id === undefined) return null;
    slots?.delete(offset);
    return id;
  }

  /** A region was re-initialised: packets still in it will never be read as traced. */
  forget(region: string): void {
    this.inFlight.get(region)?.clear();
  }

  snapshot(): { next: number; inFlight: [string, [number, number][]][] } {
    return { next: this.next, inFlight: [...this.inFlight].map(([r, m]) => [r, [...m]]) };
  }

  restore(s: { next: number; inFlight: [string, [number, number][]][] }): void {
    this.next = s.next;
    for (const slots of this.inFlight.values()) slots.clear();
    for (const [region, entries] of s.inFlight) {
      const slots = this.slots(region);
      for (const [offset, id] of entries) slots.set(offset, id);
    }
  }
}
