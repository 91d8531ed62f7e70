/**
 * What the anomaly list shows: one row per event that says the run went wrong in a way worth a
 * look (DESIGN.md §3.7), in trace order.
 *
 *   violation     an invariant does not hold (its own severity, rule, where, and the event
 *                 where the problem began: `firstSeq`)
 *   anomaly       Zephyr misbehaves here without asserting       → warning
 *   assert        Zephyr would hit `__ASSERT`                     → error
 *   memory-fault  an access past the end of shared memory         → error
 *
 * The index of such events is extended as the trace grows (a frame of a running trace costs only
 * its new events) and rebuilt when the events already held change (the table's `epoch`).
 */
import type { TraceEvent, Violation } from '../../../core';
import { hex32 } from '../../format';
import { type ColumnTrace, isPortProblem, kindIndex, TraceFlag } from '../../trace/TraceTable';
import { IndexList } from '../../trace/IndexList';

export type Severity = 'error' | 'warning';

export const ANOMALY_KINDS = ['violation', 'anomaly', 'assert', 'memory-fault'] as const;

export interface Anomaly {
  readonly seq: number;
  readonly t: number;
  readonly domain: string;
  readonly severity: Severity;
  /** The rule broken, or the event's kind. */
  readonly what: string;
  readonly message: string;
  readonly where: string;
  /** Where the problem began: `firstSeq` when the event names it, else the event itself. */
  readonly firstSeq: number;
  /** A region of the scenario that `where` names (or a memory fault's offset falls in), or null. */
  readonly region: string | null;
  /**
   * Who found it: an event of the trace, the invariant checker reading the trace, or the checker
   * at quiescence (the run finished).
   */
  readonly source: 'trace' | 'checker' | 'quiescence';
}

/**
 * The row of a violation the invariant checker found (not an event of the trace): placed at the
 * event where it was seen, or, at quiescence, at the end of the trace.
 */
export function checkerAnomaly(
  v: Violation,
  atQuiescence: boolean,
  table: ColumnTrace,
  regions: readonly RegionSpan[],
): Anomaly {
  const seq = v.seq ?? (table.length > 0 ? (table.seq[table.length - 1] ?? 0) : 0);
  const e = table.event(table.indexOfSeq(seq));
  return {
    seq,
    t: e?.t ?? 0,
    domain: e?.domain ?? '',
    severity: v.severity,
    what: atQuiescence ? `${v.rule} (at quiescence)` : v.rule,
    message: v.message,
    where: v.where,
    firstSeq: v.firstSeq ?? seq,
    region: regionNamed(v.where, regions),
    source: atQuiescence ? 'quiescence' : 'checker',
  };
}

/** A region's name and its place in shared memory. */
export interface RegionSpan {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** The region `where` names: the whole text, or one of its words (`cpuapp/ipc0 sram_tx`). */
export function regionNamed(where: string, regions: readonly RegionSpan[]): string | null {
  const words = new Set([where, ...where.split(/[\s/:,()]+/)]);
  return regions.find((r) => words.has(r.name))?.name ?? null;
}

/** The row of an anomaly event, or null for any other event. */
export function anomalyOf(e: TraceEvent, regions: readonly RegionSpan[]): Anomaly | null {
  const base = { seq: e.seq, t: e.t, domain: e.domain, firstSeq: e.seq, source: 'trace' as const };
  switch (e.kind) {
    case 'violation':
      return {
        ...base,
        severity: e.severity,
        what: e.rule,
        message: e.message,
        where: e.where,
        firstSeq: e.firstSeq ?? e.seq,
        region: regionNamed(e.where, regions),
      };
    case 'anomaly':
    case 'assert':
      return {
        ...base,
        severity: e.kind === 'anomaly' ? 'warning' : 'error',
        what: e.kind === 'assert' ? (e.halted ? '__ASSERT (halted)' : '__ASSERT') : 'anomaly',
        message: e.message,
        where: e.where,
        region: regionNamed(e.where, regions),
      };
    case 'memory-fault': {
      const region = regions.find((r) => e.offset < r.offset + r.size && e.offset + e.length > r.offset);
      return {
        ...base,
        severity: 'error',
        what: 'memory-fault',
        message: `${e.access} of ${e.length} B past the end of shared memory (${e.inBounds} B in bounds)`,
        where: `shared memory +${hex32(e.offset)}`,
        region: region?.name ?? null,
      };
    }
    case 'port':
      if (!isPortProblem(e.op)) return null;
      return {
        ...base,
        severity: e.op === 'reset' ? 'error' : 'warning',
        what: `libipc ${e.op}`,
        message: `${e.task}: ${e.detail ?? e.op}`,
        where: e.port,
        firstSeq: e.seq,
        region: null,
      };
    case 'channel':
      if (!(e.op === 'lost' || e.op === 'dead' || e.op === 'timeout' || e.state === 'FAULTED')) return null;
      return {
        ...base,
        severity: e.op === 'lost' || e.state === 'FAULTED' ? 'error' : 'warning',
        what: `channel ${e.op === 'state' ? 'FAULTED' : e.op}`,
        message: `${e.task}: ${e.detail ?? e.op}`,
        where: e.channel ?? e.peer ?? e.task,
        firstSeq: e.seq,
        region: null,
      };
    case 'pool':
    case 'decision':
    case 'api':
    case 'transition':
    case 'packet-written':
    case 'packet-read':
    case 'packet-dropped':
    case 'doorbell-rung':
    case 'doorbell-delivered':
    case 'doorbell-lost':
    case 'callback':
    case 'blocks':
    case 'fault':
    case 'work':
    case 'task':
    case 'note':
    case 'domain':
    case 'trace-gap':
      return null;
  }
}

const KIND_COLUMN = new Set<number>(ANOMALY_KINDS.map(kindIndex));
/** libipc failures (a send timed out, a stale response, a reset) are `port` events flagged as problems. */
const PORT_KIND = kindIndex('port');

/** The table indices of the anomaly events, in order, kept up to date with the table. */
export class AnomalyIndex {
  private readonly list = new IndexList(256);
  private scanned = 0;
  private epoch = -1;
  private table: ColumnTrace | null = null;

  /** The indices (a view of internal storage, valid until the next update). */
  update(table: ColumnTrace): Uint32Array {
    if (table !== this.table || table.epoch !== this.epoch || table.length < this.scanned) {
      this.table = table;
      this.epoch = table.epoch;
      this.list.clear();
      this.scanned = 0;
    }
    for (let i = this.scanned; i < table.length; i++) {
      const kind = table.kind[i] ?? 255;
      const portProblem = kind === PORT_KIND && ((table.flags[i] ?? 0) & TraceFlag.problem) !== 0;
      if (!KIND_COLUMN.has(kind) && !portProblem) continue;
      this.list.push(i);
    }
    this.scanned = table.length;
    return this.list.view();
  }
}
