/**
 * The host's side of worker tracing: drains every domain's ring, decodes records with that
 * domain's string table, puts them back into global sequence order, resolves message ids across
 * cores, and appends them to the columnar store. Records a domain could not write (a full ring)
 * and sequence numbers that never arrived become `trace-gap` events, so nothing is lost silently.
 *
 * Message ids: the writing core knows the id of each packet it publishes; the reading core does
 * not. Since a packet's write is traced before it is published and its read before its space is
 * freed, committing in sequence order sees each write before its read, so the host matches them
 * by region and offset, exactly as the inline runtime does.
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
import { type Control, G_SEQ } from './control';

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
  private committed: TraceEvent[] = [];
  /** Whether committed events are also handed back as objects (someone listens). */
  collect = true;
  /** Records the rings could not take, all domains. */
  dropped = 0;
  /** Sequence numbers that never arrived. */
  gaps = 0;

  constructor(control: Control, store: TraceStore, patience = 4096) {
    this.control = control;
    this.store = store;
    this.merger = new SeqMerger<Pending>(patience);
    this.hostDomain = store.domainIndex('host');
    control.layout.domains.forEach((name, d) => this.attach(d, name, 0));
  }

  /** (Re)attaches a domain's ring: a restarted domain writes a new ring with a new string table. */
  attach(d: number, name: string, incarnation: number): void {
    this.readers[d] = new RingReader(this.control.ring(d));
    this.storeDomain[d] = this.store.domainIndex(incarnation === 0 ? name : `${name}#${incarnation}`);
  }

  /** Records an event of the host itself (a crash, a gap), in the global order. */
  hostEvent(t: number, body: TraceBody): void {
    const seq = Atomics.add(this.control.words, G_SEQ, 1) >>> 0;
    const words: number[] = [];
    const decoder = this.store.decoderFor(this.hostDomain);
    const head = this.hostEncoder.encode(body, seq, t, words);
    for (let at = 0; at < head; at += TraceDecoder.recordLength(words[at] ?? 0)) decoder.decode(words.slice(at));
    this.merger.add(seq, { domain: -1, words: Int32Array.from(words.slice(head)), t, body });
  }

  /**
   * Drains every ring and commits what is in order. With `final`, waits for nothing (the
   * workers are gone). `budget` says when to stop reading for now (records left in a ring wait
   * for the next drain; a ring that fills meanwhile drops and counts). Returns the events
   * committed (as objects only when `collect` is on).
   */
  drain(now: number, final = false, budget: () => boolean = () => false): TraceEvent[] {
    this.readers.forEach((reader, d) => {
      const lost = reader.takeDropped();
      if (lost > 0) {
        this.dropped += lost;
        this.hostEvent(now, {
          kind: 'trace-gap',
          lost,
          reason: `${this.control.layout.domains[d] ?? '?'}: trace ring full`,
        });
      }
      const decoder = this.store.decoderFor(this.storeDomain[d] ?? 0);
      reader.drain(
        (header) => TraceDecoder.recordLength(header),
        (record, length) => {
          const words = record.slice(0, length);
          const decoded = decoder.decode(words);
          if (decoded && 'body' in decoded)
            this.merger.add(decoded.seq, { domain: d, words, t: decoded.t, body: decoded.body });
        },
        final ? () => false : budget,
      );
    });
    this.merger.release(
      (item, seq) => this.commit(item, seq),
      (lost) => {
        this.gaps += lost;
        const body: TraceBody = {
          kind: 'trace-gap',
          lost,
          reason: 'records that never arrived (a domain stopped mid-record)',
        };
        if (this.collect) this.committed.push({ ...body, seq: -1, t: now, domain: 'host' });
      },
      final,
    );
    const out = this.committed;
    this.committed = [];
    return out;
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
    } else if (body.kind === 'packet-read' && body.msgId === null) {
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
      (body.msgId === null || body.msgId === undefined)
    ) {
      const id = this.lastRead.get(item.domain);
      if (id !== undefined) body = { ...body, msgId: id };
    }
    this.store.append(storeDomain, item.words, item.words.length, seq, item.t, body);
    if (this.collect) this.committed.push({ ...body, seq, t: item.t, domain: this.store.domainName(storeDomain) });
  }
}
