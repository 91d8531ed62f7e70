/**
 * Where trace events go. The inline runtime keeps them in memory (`TraceLog`); a sink can also
 * drop them (benchmarks of the bare protocol) or forward them.
 */
import type { TraceBody, TraceEvent } from './events';

export interface TraceSink {
  emit(domain: string, t: number, body: TraceBody): void;
}

/** Keeps every event, in order, with sequence numbers from 0. */
export class TraceLog implements TraceSink {
  readonly events: TraceEvent[] = [];
  private listeners = new Set<(event: TraceEvent) => void>();

  emit(domain: string, t: number, body: TraceBody): void {
    const event = { ...body, seq: this.events.length, t, domain } as TraceEvent;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  get length(): number {
    return this.events.length;
  }

  /** Forgets every event from `length` on (a restored snapshot rewinds the trace too). */
  truncate(length: number): void {
    this.events.length = Math.min(this.events.length, length);
  }

  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Drops everything. */
export const NULL_SINK: TraceSink = { emit: () => undefined };

/** Messages are numbered from 1 across the whole simulation, so a send can be followed to its read. */
export class MessageIds {
  private next = 1;
  /** Per region: data[] index of a published packet → its message id, until it is read. */
  private inFlight = new Map<string, Map<number, number>>();

  published(region: string, offset: number): number {
    const id = this.next++;
    let slots = this.inFlight.get(region);
    if (!slots) {
      slots = new Map<number, number>();
      this.inFlight.set(region, slots);
    }
    slots.set(offset, id);
    return id;
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
    this.inFlight.delete(region);
  }

  snapshot(): { next: number; inFlight: [string, [number, number][]][] } {
    return { next: this.next, inFlight: [...this.inFlight].map(([r, m]) => [r, [...m]]) };
  }

  restore(s: { next: number; inFlight: [string, [number, number][]][] }): void {
    this.next = s.next;
    this.inFlight = new Map(s.inFlight.map(([r, m]) => [r, new Map<number, number>(m)]));
  }
}
