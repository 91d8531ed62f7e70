/**
 * What each libipc task did, read from the trace's `port` events and kept up to date as events
 * are appended (ScanMark): per task, the table indices of its sends, receives, routed proto
 * commands and failures (so the topology can count them at any cursor with a binary search), and
 * the spans during which a task was blocked in `_ipc_send` on a full queue (so the timeline can
 * draw them as bands).
 *
 * A blocked span starts at a `send-blocked` event and ends at the same task's next `send`,
 * `send-timeout` or `send-failed` on that port, or at a reset of its domain (the task is gone
 * with the device's RAM). Repeated `send-blocked` events of a wait that is still open extend it.
 */
import { isPortProblem, kindIndex, type TraceTable } from '../trace/TraceTable';
import { ScanMark } from '../trace/scanMark';
import { lowerBound } from '../trace/search';
import type { TraceEvent } from '../../core';

export type ActivityCount = 'sent' | 'received' | 'routed' | 'problems';

export type BlockedOutcome = 'sent' | 'timeout' | 'failed' | 'reset';

export interface BlockedSpan {
  readonly task: string;
  readonly port: string;
  readonly domain: string;
  /** Table index of the `send-blocked` event. */
  readonly start: number;
  /** Table index of the event that ended the wait; −1 while the task still waits. */
  readonly end: number;
  /** How the wait ended; null while it lasts. */
  readonly outcome: BlockedOutcome | null;
}

type PortEvent = Extract<TraceEvent, { kind: 'port' }>;

/**
 * The proto sequence number a port event speaks of, or null: its `protoSeq`, else (a trace
 * recorded before the field was named so, when the envelope's `seq` hid it) the number in its
 * `detail` ("routed with seq 1", "Dropping stale proto response seq 1", "response for seq 2").
 */
export function protoSeqOf(e: PortEvent): number | null {
  if (e.protoSeq !== undefined) return e.protoSeq;
  const m = e.detail === undefined ? null : /\bseq (\d+)/.exec(e.detail);
  return m?.[1] === undefined ? null : Number(m[1]);
}

const countOf = (e: PortEvent): ActivityCount | null => {
  if (isPortProblem(e.op)) return 'problems';
  if (e.op === 'send') return 'sent';
  if (e.op === 'recv') return 'received';
  if (e.op === 'proto-route') return 'routed';
  return null;
};

const ENDS: Partial<Record<PortEvent['op'], BlockedOutcome>> = {
  send: 'sent',
  'send-timeout': 'timeout',
  'send-failed': 'failed',
};

export class PortActivity {
  private readonly mark = new ScanMark();
  private indices = new Map<string, number[]>();
  private list: BlockedSpan[] = [];
  /** `task|port` → position in `list` of the wait still open. */
  private open = new Map<string, number>();

  /** Brings the activity up to date with `table`. */
  sync(table: TraceTable): this {
    const from = this.mark.from(table);
    if (from === 0) {
      this.indices = new Map();
      this.list = [];
      this.open = new Map();
    }
    const port = kindIndex('port');
    const domain = kindIndex('domain');
    for (let i = from; i < table.length; i++) {
      const kind = table.kind[i];
      if (kind !== port && kind !== domain) continue;
      const e = table.event(i);
      if (e?.kind === 'domain') {
        if (e.status === 'reset' || e.status === 'restarted' || e.status === 'crashed') this.closeDomain(e.domain, i);
        continue;
      }
      if (e?.kind !== 'port') continue;
      const what = countOf(e);
      if (what !== null) {
        const key = `${e.task}|${what}`;
        let list = this.indices.get(key);
        if (!list) this.indices.set(key, (list = []));
        list.push(i);
      }
      const key = `${e.task}|${e.port}`;
      const at = this.open.get(key);
      if (e.op === 'send-blocked') {
        if (at === undefined) {
          this.open.set(key, this.list.length);
          this.list.push({ task: e.task, port: e.port, domain: e.domain, start: i, end: -1, outcome: null });
        }
        continue;
      }
      const outcome = ENDS[e.op];
      if (outcome !== undefined && at !== undefined) this.close(key, at, i, outcome);
    }
    this.mark.done(table);
    return this;
  }

  /** How many events of `what` `task` had before table index `cursor`. */
  count(task: string, what: ActivityCount, cursor: number): number {
    const list = this.indices.get(`${task}|${what}`);
    return list ? lowerBound(list, list.length, cursor) : 0;
  }

  /** Every blocked span held, in order of their start. */
  spans(): readonly BlockedSpan[] {
    return this.list;
  }

  private close(key: string, at: number, end: number, outcome: BlockedOutcome): void {
    const span = this.list[at];
    if (span) this.list[at] = { ...span, end, outcome };
    this.open.delete(key);
  }

  private closeDomain(domain: string, end: number): void {
    for (const [key, at] of this.open) if (this.list[at]?.domain === domain) this.close(key, at, end, 'reset');
  }
}
