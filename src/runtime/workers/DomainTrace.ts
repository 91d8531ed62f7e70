/**
 * A domain worker's outputs besides shared memory: trace records into its ring (in the tracing
 * mode the host chose), counters kept in every mode, and the figures of its endpoint
 * applications, published to the control memory for the host to read.
 */
import {
  type BuiltInstance,
  type EndpointRunner,
  RingWriter,
  rttPercentileNs,
  TraceEncoder,
  type TraceBody,
  TYPICAL_RECORD_WORDS,
} from '../../core';
import {
  type Control,
  type Counter,
  COUNTERS,
  D_WRITING,
  ENDPOINT_PHASES,
  type EndpointField,
  G_SAMPLE_EVERY,
  G_SEQ,
  G_TRACE_MODE,
  TraceMode,
} from './control';

/** Events that happen per message: the ones sampled mode thins out. */
const MESSAGE_LEVEL = new Set<TraceBody['kind']>([
  'api',
  'packet-written',
  'packet-read',
  'doorbell-rung',
  'doorbell-delivered',
  'work',
  'task',
  'callback',
]);

const COUNTER_INDEX = Object.fromEntries(COUNTERS.map((c, i) => [c, i])) as Record<Counter, number>;

export class DomainTrace {
  /** Whether per-message events are built at all (not in counters-only mode). */
  readonly traceMessages: boolean;
  /** The time stamped on events: the start of the current item, ns. */
  now = 0;
  private readonly control: Control;
  private readonly index: number;
  private readonly w: Int32Array;
  private readonly ring: RingWriter;
  private readonly writingWord: number;
  private readonly encoder = new TraceEncoder();
  private readonly scratch: number[] = [];
  private readonly counts = new Float64Array(COUNTERS.length);
  private readonly mode: number;
  private readonly sampleEvery: number;
  private sampleCounter = 0;

  constructor(control: Control, index: number) {
    this.control = control;
    this.index = index;
    this.w = control.words;
    this.ring = new RingWriter(control.ring(index));
    this.writingWord = control.domainWord(index, D_WRITING);
    this.mode = Atomics.load(this.w, G_TRACE_MODE);
    this.sampleEvery = Math.max(1, Atomics.load(this.w, G_SAMPLE_EVERY));
    this.traceMessages = this.mode !== TraceMode.counters;
  }

  count(counter: Counter, by = 1): void {
    this.counts[COUNTER_INDEX[counter]] = (this.counts[COUNTER_INDEX[counter]] ?? 0) + by;
  }

  /** Records an event (or counts it only, by the tracing mode). Never waits for the host. */
  emit(body: TraceBody): void {
    if (body.kind === 'assert') this.count('asserts');
    else if (body.kind === 'anomaly') this.count('anomalies');
    if (this.mode === TraceMode.counters) return;
    if (
      this.mode === TraceMode.sampled &&
      MESSAGE_LEVEL.has(body.kind) &&
      ++this.sampleCounter % this.sampleEvery !== 0
    ) {
      this.count('sampledOut');
      return;
    }
    // A full ring (the host is behind) drops the record before spending time on encoding it.
    if (!this.ring.fits(TYPICAL_RECORD_WORDS)) {
      this.drop();
      return;
    }
    const out = this.scratch;
    out.length = 0;
    const defined = this.encoder.defined;
    // Events of one item share the item's start time; their order is the sequence number's.
    const head = this.encoder.encode(body, 0, this.now, out);
    if (!this.ring.fits(out.length)) {
      this.encoder.forgetSince(defined);
      this.drop();
      return;
    }
    // The sequence number is taken only once the record is sure to be written: every number
    // taken appears in some ring right after, so the host can wait for each one. WRITING
    // brackets the two, so the host can tell a number in flight from one that is lost.
    Atomics.store(this.w, this.writingWord, 1);
    out[head + 1] = Atomics.add(this.w, G_SEQ, 1) >>> 0;
    this.ring.write(out, out.length);
    Atomics.store(this.w, this.writingWord, 0);
    this.count('traceRecords');
  }

  private drop(): void {
    this.ring.drop();
    this.count('traceDropped');
  }

  /** Publishes the counters and every endpoint's figures to the control memory. */
  flush(instances: readonly BuiltInstance[], endpoints: readonly EndpointRunner[]): void {
    // Packets and callbacks are counted where they happen (pbuf, ICMsg), in every tracing mode.
    const totals = { packetsWritten: 0, bytesWritten: 0, packetsRead: 0, bytesRead: 0, callbacks: 0 };
    for (const { icmsg } of instances) {
      for (const pb of [icmsg.tx, icmsg.rx]) {
        totals.packetsWritten += pb.counts.packetsWritten;
        totals.bytesWritten += pb.counts.bytesWritten;
        totals.packetsRead += pb.counts.packetsRead;
        totals.bytesRead += pb.counts.bytesRead;
      }
      totals.callbacks += icmsg.counters.bound + icmsg.counters.unbound + icmsg.counters.received;
    }
    for (const [name, value] of Object.entries(totals)) this.counts[COUNTER_INDEX[name as Counter]] = value;
    COUNTERS.forEach((c, i) => this.control.putCounter(this.index, c, this.counts[i] ?? 0));
    endpoints.forEach((runner, e) => {
      const s = runner.stats;
      const put = (field: EndpointField, value: number) => this.control.putEndpoint(this.index, e, field, value);
      put('phase', ENDPOINT_PHASES.indexOf(runner.phase));
      put('sent', s.sent);
      put('sentBytes', s.sentBytes);
      put(
        'sendErrors',
        Object.values(s.sendErrors).reduce((a, b) => a + b, 0),
      );
      put('received', s.received);
      put('receivedBytes', s.receivedBytes);
      put('inOrder', s.inOrder);
      put('gaps', s.gaps);
      put('repeats', s.repeats);
      put('corrupted', s.corrupted);
      put('bound', s.bound);
      put('unbound', s.unbound);
      put('roundTrips', s.roundTrips);
      put('rttMinNs', s.roundTrips > 0 ? s.rttMinNs : 0);
      put('rttMaxNs', s.rttMaxNs);
      put('rttMeanNs', s.roundTrips > 0 ? s.rttSumNs / s.roundTrips : 0);
      put('rttP50Ns', rttPercentileNs(s, 0.5) ?? 0);
      put('rttP99Ns', rttPercentileNs(s, 0.99) ?? 0);
      put('firstSentUs', s.firstSentNs < 0 ? -1 : s.firstSentNs / 1000);
      put('lastReceivedUs', s.lastReceivedNs < 0 ? -1 : s.lastReceivedNs / 1000);
    });
  }
}
