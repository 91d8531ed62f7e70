/**
 * A trace in the Chrome trace-event JSON format, which ui.perfetto.dev and chrome://tracing open
 * (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nN7lDD6QTT0).
 *
 * - Each domain is a process (`pid`), named by a metadata event; its contexts are threads
 *   (`tid` 1 irq, 2 work queue, 3 tasks), named too.
 * - A scheduling decision is a complete slice (`ph: "X"`) on the context it ran, lasting until
 *   the domain's next decision (at most `maxSliceUs`), named by what ran.
 * - Every other event is an instant (`ph: "i"`, thread scope) named by its kind, with its fields
 *   as `args`.
 * - A message is a flow from the packet written to the packet read (`ph: "s"` / `"f"`, id the
 *   message id), so Perfetto draws the arrow between cores.
 * - Each synchronous-channel task is a thread of its domain (`tid` 100 on, named `task <name>`),
 *   its states slices from one `state` event to its next (as the QNX System Profiler's thread
 *   states), its operations instants on it, and each message and reply a flow from its `send` or
 *   `reply` to the `receive` that took it.
 * Times are microseconds (`ts`), as the format wants; virtual time on the inline runtime.
 */
import type { TraceEvent } from './events';

export interface PerfettoEvent {
  readonly name: string;
  readonly ph: 'X' | 'i' | 's' | 'f' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly s?: 't';
  readonly id?: number;
  readonly bp?: 'e';
  readonly cat?: string;
  readonly args?: Record<string, unknown>;
}

export interface PerfettoTrace {
  readonly traceEvents: PerfettoEvent[];
  readonly displayTimeUnit: 'ns';
  readonly metadata: Record<string, string>;
}

const CONTEXTS = ['irq', 'work queue', 'tasks'] as const;
/** Channel tasks' threads come after the three contexts. */
const FIRST_TASK_TID = 100;

function contextOf(ran: string): number {
  if (ran.startsWith('irq:')) return 1;
  if (ran.startsWith('work:')) return 2;
  return 3;
}

/** The fields of an event other than the common ones, as Perfetto `args`. */
function argsOf(e: TraceEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { seq: e.seq };
  for (const [k, v] of Object.entries(e)) {
    if (k === 'kind' || k === 'seq' || k === 't' || k === 'domain' || v === undefined) continue;
    out[k] = v;
  }
  return out;
}

export function toPerfetto(
  events: readonly TraceEvent[],
  options: { readonly title?: string; readonly maxSliceUs?: number } = {},
): PerfettoTrace {
  const maxSlice = options.maxSliceUs ?? 50;
  const pids = new Map<string, number>();
  const out: PerfettoEvent[] = [];
  const pidOf = (domain: string): number => {
    const known = pids.get(domain);
    if (known !== undefined) return known;
    const pid = pids.size + 1;
    pids.set(domain, pid);
    out.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: domain } });
    CONTEXTS.forEach((name, i) => out.push({ name: 'thread_name', ph: 'M', pid, tid: i + 1, args: { name } }));
    return pid;
  };
  // Channel tasks: a thread each, by `domain/task`.
  const taskTids = new Map<string, number>();
  const taskTid = (pid: number, domain: string, task: string): number => {
    const key = `${domain}/${task}`;
    const known = taskTids.get(key);
    if (known !== undefined) return known;
    const tid = FIRST_TASK_TID + taskTids.size;
    taskTids.set(key, tid);
    out.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: `task ${task}` } });
    return tid;
  };
  // When each channel state ends: the task's next state event, else the last event.
  const stateEnds = new Map<number, number>();
  const openState = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.kind !== 'channel' || e.op !== 'state') return;
    const key = `${e.domain}/${e.task}`;
    const open = openState.get(key);
    if (open !== undefined) stateEnds.set(open, e.t);
    openState.set(key, i);
  });
  const lastT = events[events.length - 1]?.t ?? 0;
  for (const i of openState.values()) stateEnds.set(i, lastT);
  // The context each domain last ran, for the instants that follow a decision.
  const running = new Map<string, number>();
  // Each domain's decisions, to close a slice at the domain's next one.
  const nextDecisionAt = new Map<number, number>();
  const byDomain = new Map<string, number[]>();
  events.forEach((e, i) => {
    if (e.kind !== 'decision') return;
    const list = byDomain.get(e.domain) ?? [];
    list.push(i);
    byDomain.set(e.domain, list);
  });
  for (const list of byDomain.values()) {
    for (let k = 0; k + 1 < list.length; k++) {
      const at = list[k];
      const next = list[k + 1];
      if (at !== undefined && next !== undefined) nextDecisionAt.set(at, events[next]?.t ?? 0);
    }
  }
  events.forEach((e, i) => {
    const pid = pidOf(e.domain);
    const ts = e.t / 1000;
    if (e.kind === 'decision') {
      const tid = contextOf(e.ran);
      running.set(e.domain, tid);
      const end = nextDecisionAt.get(i);
      const dur = Math.max(0.001, Math.min(maxSlice, end === undefined ? 1 : (end - e.t) / 1000));
      out.push({ name: e.ran, ph: 'X', pid, tid, ts, dur, cat: 'decision', args: { step: e.step } });
      return;
    }
    if (e.kind === 'channel') {
      const tid = taskTid(pid, e.domain, e.task);
      if (e.op === 'state') {
        const dur = Math.max(0.001, ((stateEnds.get(i) ?? e.t) - e.t) / 1000);
        const name = `${e.state ?? '?'}${e.peer === undefined ? '' : ` ${e.peer}`}`;
        out.push({ name, ph: 'X', pid, tid, ts, dur, cat: 'channel-state', args: argsOf(e) });
        return;
      }
      out.push({ name: `channel ${e.op}`, ph: 'i', s: 't', pid, tid, ts, cat: 'channel', args: argsOf(e) });
      if (e.msgId !== undefined) {
        const name = `${e.op === 'reply' || e.detail === 'the reply' ? 'reply' : 'message'} #${e.msgId}`;
        out.push(
          e.op === 'receive'
            ? { name, ph: 'f', bp: 'e', pid, tid, ts, id: e.msgId, cat: 'message' }
            : { name, ph: 's', pid, tid, ts, id: e.msgId, cat: 'message' },
        );
      }
      return;
    }
    const tid = e.kind === 'doorbell-delivered' || e.kind === 'doorbell-lost' ? 1 : (running.get(e.domain) ?? 3);
    out.push({ name: e.kind, ph: 'i', s: 't', pid, tid, ts, cat: e.kind, args: argsOf(e) });
    if (e.kind === 'packet-written') {
      out.push({ name: `message #${e.msgId}`, ph: 's', pid, tid, ts, id: e.msgId, cat: 'message' });
    } else if (e.kind === 'packet-read' && e.msgId !== null) {
      out.push({ name: `message #${e.msgId}`, ph: 'f', bp: 'e', pid, tid, ts, id: e.msgId, cat: 'message' });
    }
  });
  return {
    traceEvents: out,
    displayTimeUnit: 'ns',
    metadata: { source: 'IPC Scope', ...(options.title === undefined ? {} : { scenario: options.title }) },
  };
}
