/**
 * The host's side of worker tracing: drains every domain's ring, decodes records with that
 * domain's string table, puts them back into global sequence order, resolves message ids across
 * cores, and appends them to the columnar store. Nothing is lost silently: records a domain could
 * not write (a full ring), numbers that never arrived (a domain died mid-record), records that
 * arrived after their number was given up, and a ring that stopped parsing all become
 * `trace-gap` events and counts.
 *
 * Message ids: the writing core knows the id of each packet it publishes; the reading core does
 * not. Since a packet's write is traced before it is published and its read before its space is
 * freed, committing in sequence order sees each write before its read, so the host matches them
 * by region and offset, exactly as the inline runtime does. Sampled tracing leaves writes out, so
 * there a read is not matched (it could meet an older write at the same offset).
 */
import {
  RingReader,
  SeqMerger,
  TraceDecoder,
  TraceEncoder,
  type TraceEvent,
  type TraceStore,
  type TraceBody,
} from '../../core';
import { type Control, D_WRITING, G_SEQ, G_TRACE_MODE, TraceMode } from './control';

/** The worker trace's bookkeeping, as the UI shows it. */
export interface TraceHealth {
  readonly mode: 'full' | 'sampled' | 'counters';
  /** Events in the flight recorder now, and how many it holds. */
  readonly kept: number;
  readonly capacity: number;
  /** Oldest events overwritten because the recorder was full. */
  readonly overwritten: number;
  /**
   * Records a domain could not put in its trace ring because the host had not drained it yet (and
   * any single record too large for the recorder).
   */
  readonly ringDropped: number;
  /** Records reserved in the global order that never came (a domain died mid-record). */
  readonly neverArrived: number;
  /** Records that came after they had been given up as lost (a domain held up that long). */
  readonly late: number;
  /** Message events left out on purpose by sampled tracing. */
  readonly sampledOut: number;
}

interface Pending {
  readonly domain: number;
  readonly words: Int32Array;
  readonly t: number;
  readonly body: TraceBody;
}

export class TraceIngest {
  readonly store: TraceStore;
  private readonly control: Control;
  private readonly readers: RingReader[] = [];
  /** Store domain index per control domain (a restarted domain gets a fresh one: new strings). */
  private readonly storeDomain: number[] = [];
  private readonly merger: SeqMerger<Pending>;
  /** Per region: data[] offset of a published packet → its message id, until it is read. */
  private readonly inFlight = new Map<string, Map<number, number>>();
  private readonly lastRead = new Map<number, number>();
  private readonly hostEncoder = new TraceEncoder();
  private readonly hostDomain: number;
  private readonly matchReads: boolean;
  private committed: TraceEvent[] = [];
  /** The ring the next drain starts with (turns, so no domain always waits for the budget). */
  private firstRing = 0;
  /** Whether committed events are also handed back as objects (someone listens). */
  collect = true;
  /** Records the rings could not take, all domains. */
  dropped = 0;
  /** Sequence numbers that never arrived. */
  gaps = 0;
  /** Late records already reported by a `trace-gap` event. */
  private lateReported = 0;

  constructor(control: Control, store: TraceStore) {
    this.control = control;
    this.store = store;
    this.merger = new SeqMerger<Pending>();
    this.hostDomain = store.domainIndex('host');
    this.matchReads = Atomics.load(control.words, G_TRACE_MODE) === TraceMode.full;
    control.layout.domains.forEach((name, d) => this.attach(d, name, 0));
  }

  /** Records that arrived after their number had been given up as lost. */
  get late(): number {
    return this.merger.late;
  }

  /** (Re)attaches a domain's ring: a restarted domain writes a new ring with a new string table. */
  attach(d: number, name: string, incarnation: number): void {
    this.readers[d] = new RingReader(this.control.ring(d));
    this.storeDomain[d] = this.store.domainIndex(incarnation === 0 ? name : `${name}#${incarnation}`);
  }

  /** Records an event of the host itself (a crash, a gap), in the global order. */
  hostEvent(t: number, body: TraceBody): void {
    const seq32 = Atomics.add(this.control.words, G_SEQ, 1) >>> 0;
    const words: number[] = [];
    const decoder = this.store.decoderFor(this.hostDomain);
    const head = this.hostEncoder.encode(body, seq32, t, words);
    for (let at = 0; at < head; at += TraceDecoder.recordLength(words[at] ?? 0)) decoder.decode(words.slice(at));
    this.merger.add(this.unwrap(seq32), { domain: -1, words: Int32Array.from(words.slice(head)), t, body });
  }

  /**
   * Drains the rings (each in turn first, sharing `budget`: records left in a ring wait for the
   * next drain; a ring that fills meanwhile drops and counts) and commits what is in order.
   *
   * When to give a missing number up: a live domain writes every number it takes, and raises
   * its WRITING word from taking a number until the record is in its ring. The drain reads the
   * sequence counter (S), then every live domain's WRITING word, then the rings. If no live
   * domain was writing and every ring was emptied, each number below S taken by a live domain
   * is in hand: one still missing was taken by a domain that died (`live` says which domains
   * still have a thread). With `final` (no thread is left to write) every missing number is
   * lost, and the rings are read whole. Returns the events committed (as objects only when
   * `collect` is on).
   */
  drain(
    now: number,
    final = false,
    budget: () => boolean = () => false,
    live: (d: number) => boolean = () => true,
  ): TraceEvent[] {
    const words = this.control.words;
    const startedAt = this.unwrap(Atomics.load(words, G_SEQ) >>> 0);
    let quiet = true;
    this.control.layout.domains.forEach((_, d) => {
      if (live(d) && Atomics.load(words, this.control.domainWord(d, D_WRITING)) !== 0) quiet = false;
    });
    const n = this.readers.length;
    let emptiedAll = true;
    for (let k = 0; k < n; k++) {
      const d = (this.firstRing + k) % n;
      const reader = this.readers[d];
      if (reader && !this.drainRing(d, reader, now, final ? () => false : budget)) emptiedAll = false;
    }
    this.firstRing = n > 0 ? (this.firstRing + 1) % n : 0;
    const horizon = final ? Infinity : emptiedAll && quiet ? startedAt : 0;
    // Losses become events of their own in the store, in the global order after what was
    // released; a second pass releases those events too.
    for (let pass = 0; pass < 2; pass++) {
      const gaps: number[] = [];
      this.merger.release(
        (item, seq) => this.commit(item, seq),
        (lost) => gaps.push(lost),
        horizon,
      );
      for (const lost of gaps) {
        this.gaps += lost;
        this.hostEvent(now, {
          kind: 'trace-gap',
          lost,
          reason: 'records that never arrived (a domain stopped mid-record)',
        });
      }
      const late = this.merger.late - this.lateReported;
      this.lateReported = this.merger.late;
      if (late > 0) {
        this.hostEvent(now, {
          kind: 'trace-gap',
          lost: late,
          reason: 'records that arrived after they had been given up as lost (a domain was held up)',
        });
      }
    }
    const out = this.committed;
    this.committed = [];
    return out;
  }

  /** Drains one ring; true when it emptied it. */
  private drainRing(d: number, reader: RingReader, now: number, stop: () => boolean): boolean {
    const name = this.control.layout.domains[d] ?? '?';
    const lost = reader.takeDropped();
    if (lost > 0) {
      this.dropped += lost;
      this.hostEvent(now, { kind: 'trace-gap', lost, reason: `${name}: trace ring full` });
    }
    if (reader.corrupt) return true; // reported once, below; nothing more will be read
    const decoder = this.store.decoderFor(this.storeDomain[d] ?? 0);
    const emptied = reader.drain(
      (header) => TraceDecoder.recordLength(header),
      (record, length) => {
        const words = record.slice(0, length);
        const decoded = decoder.decode(words);
        if (decoded && 'body' in decoded)
          this.merger.add(this.unwrap(decoded.seq), { domain: d, words, t: decoded.t, body: decoded.body });
      },
      stop,
    );
    if (reader.corrupt) {
      this.hostEvent(now, { kind: 'trace-gap', lost: 0, reason: `${name}: trace ring corrupt, no longer read` });
      return true;
    }
    return emptied;
  }

  /** The full sequence number of a 32-bit one: the nearest to the merger's next (2^31 either way). */
  private unwrap(seq32: number): number {
    const next = this.merger.next;
    return next + ((seq32 - next) | 0);
  }

  private slots(region: string): Map<number, number> {
    let slots = this.inFlight.get(region);
    if (!slots) {
      slots = new Map<number, number>();
      this.inFlight.set(region, slots);
    }
    return slots;
  }

  private commit(item: Pending, seq: number): void {
    const storeDomain = item.domain < 0 ? this.hostDomain : (this.storeDomain[item.domain] ?? 0);
    let body = item.body;
    if (body.kind === 'packet-written') {
      this.slots(body.region).set(body.offset, body.msgId);
    } else if (body.kind === 'packet-read' && body.msgId === null && this.matchReads) {
      const slots = this.slots(body.region);
      const id = slots.get(body.offset);
      slots.delete(body.offset);
      if (id !== undefined) {
        body = { ...body, msgId: id };
        this.lastRead.set(item.domain, id);
      }
    } else if (
      body.kind === 'callback' &&
      body.callback === 'received' &&
      this.matchReads &&
      (body.msgId === null || body.msgId === undefined)
    ) {
      const id = this.lastRead.get(item.domain);
      if (id !== undefined) body = { ...body, msgId: id };
    }
    this.store.append(storeDomain, item.words, item.words.length, seq, item.t, body);
    if (this.collect) this.committed.push({ ...body, seq, t: item.t, domain: this.store.domainName(storeDomain) });
  }
}
