/**
 * What each synchronous-channel task did, read from the trace's `channel` events and kept up to
 * date as events are appended: per task (in order of first appearance), the table indices of its
 * `state` events with the state each one set, and the indices of its other channel operations
 * (send, receive, reply, post, timeout, dead, restart, lost, priority, create, get), those that
 * report a problem apart. The timeline draws a row per task from it (a bar per state, a mark per
 * operation).
 *
 * A state lasts from its `state` event to the same task's next `state` event; the last one runs
 * on (to the newest event held). State names are kept as the trace spells them, so a state the
 * core adds later is carried through without a change here.
 *
 * Incremental: appends are read from where the last sync stopped. When the oldest events were
 * evicted (and nothing else changed: the last event read is still held, moved down by exactly the
 * number evicted), every index kept is moved down instead of reading the trace again, and a task
 * whose oldest `state` event went keeps the state it set as `carried` (it still holds at the
 * first event held). That needs a sync between two evictions (the renderer syncs every frame);
 * when the last event read went too, or anything else happened (a truncated or cleared table,
 * another table), it starts over from the events held, and states begun before them are unknown.
 * A trace without channel events costs one comparison of the kind column per new event.
 *
 * A task is known by its domain and name (`taskKey`): two cores may run tasks of the same name.
 */
import { isProblem, kindIndex, LANES_PER_DOMAIN, type TraceTable } from '../trace/TraceTable';
import { lowerBound } from '../trace/search';
import type { TraceEvent } from '../../core';

/** What a `state` event set: the state (as the trace names it), who it waits on, the task's generation. */
export interface TaskState {
  readonly state: string;
  /** The channel or task waited on; null when none. */
  readonly peer: string | null;
  readonly generation: number;
}

export interface ChannelTask {
  /** `taskKey(domain, name)`. */
  readonly key: string;
  readonly name: string;
  /** Domain index (as in `table.domains`), from the lane of its first event. */
  readonly domain: number;
  /** Table indices of its `state` events, ascending. */
  readonly states: readonly number[];
  /** What each of those set (parallel to `states`). */
  readonly stateInfo: readonly TaskState[];
  /** The state it was in at the oldest event held when the event that set it was evicted; else null. */
  readonly carried: TaskState | null;
  /** Table indices of its other channel operations, ascending. */
  readonly marks: readonly number[];
  /** Those of `marks` that report a problem (`isProblem`: a timeout, a dead code, a lost sender). */
  readonly problems: readonly number[];
}

type ChannelEvent = Extract<TraceEvent, { kind: 'channel' }>;
type IndexedTable = TraceTable & { readonly epoch?: number };

export const taskKey = (domain: number, name: string): string => `${domain}\u0000${name}`;

interface MutableTask {
  key: string;
  name: string;
  domain: number;
  states: number[];
  stateInfo: TaskState[];
  carried: TaskState | null;
  marks: number[];
  problems: number[];
}

export class ChannelActivity {
  private table: TraceTable | null = null;
  private scanned = 0;
  private revision = -1;
  private evicted = -1;
  private epoch: number | undefined = undefined;
  /** The last event read (its object), to recognise it after an eviction. */
  private last: TraceEvent | undefined = undefined;
  private list: MutableTask[] = [];
  private byKey = new Map<string, MutableTask>();
  /** By domain index, then name: the lookup per event, without building a key. */
  private byDomain: Map<string, MutableTask>[] = [];
  /**
   * One object per distinct state, peer and generation (a long trace repeats a few of them),
   * found by state, then peer, then generation: no key is built per event.
   */
  private interned = new Map<string, Map<string | null, Map<number, TaskState>>>();

  /** Brings the activity up to date with `table`. */
  sync(table: IndexedTable): this {
    const from = this.resume(table);
    if (from === 0) {
      this.list = [];
      this.byKey = new Map();
      this.byDomain = [];
    }
    const channel = kindIndex('channel');
    const { kind } = table;
    for (let i = from; i < table.length; i++) {
      if (kind[i] !== channel) continue;
      const e = table.event(i);
      if (e?.kind === 'channel') this.add(e, i, Math.floor((table.lane[i] ?? 0) / LANES_PER_DOMAIN));
    }
    this.table = table;
    this.scanned = table.length;
    this.revision = table.revision;
    this.evicted = table.evicted;
    this.epoch = table.epoch;
    this.last = table.length > 0 ? table.event(table.length - 1) : undefined;
    return this;
  }

  /** Every channel task held, in order of first appearance. */
  tasks(): readonly ChannelTask[] {
    return this.list;
  }

  task(key: string): ChannelTask | undefined {
    return this.byKey.get(key);
  }

  /**
   * The task's generation at the time cursor (events [0, cursor) have happened): the one its
   * latest `state` event before the cursor recorded; before any, its first known one.
   */
  generationAt(task: ChannelTask, cursor: number): number {
    const k = lowerBound(task.states, task.states.length, cursor) - 1;
    return (k >= 0 ? task.stateInfo[k] : (task.carried ?? task.stateInfo[0]))?.generation ?? 0;
  }

  /** The first index to read, after moving kept indices down past an eviction; 0 to start over. */
  private resume(table: IndexedTable): number {
    if (table !== this.table || table.length === 0) return 0;
    if (table.evicted === this.evicted) {
      if (table.length < this.scanned) return 0;
      const appendOnly =
        table.epoch !== undefined
          ? table.epoch === this.epoch
          : table.revision - this.revision === table.length - this.scanned;
      return appendOnly ? this.scanned : 0;
    }
    const shift = table.evicted - this.evicted;
    const at = this.scanned - 1 - shift;
    // Evicted from the front only: the last event read is still held, `shift` places lower.
    if (shift < 0 || at < 0 || this.last === undefined || table.event(at) !== this.last) return 0;
    for (const task of this.list) this.shiftTask(task, shift);
    return at + 1;
  }

  private shiftTask(task: MutableTask, shift: number): void {
    const gone = lowerBound(task.states, task.states.length, shift);
    if (gone > 0) task.carried = task.stateInfo[gone - 1] ?? task.carried;
    task.states = task.states.slice(gone).map((i) => i - shift);
    task.stateInfo = task.stateInfo.slice(gone);
    task.marks = shifted(task.marks, shift);
    task.problems = shifted(task.problems, shift);
  }

  private add(e: ChannelEvent, index: number, domain: number): void {
    let names = this.byDomain[domain];
    if (!names) this.byDomain[domain] = names = new Map<string, MutableTask>();
    let task = names.get(e.task);
    if (!task) {
      const key = taskKey(domain, e.task);
      task = { key, name: e.task, domain, states: [], stateInfo: [], carried: null, marks: [], problems: [] };
      names.set(e.task, task);
      this.byKey.set(key, task);
      this.list.push(task);
    }
    if (e.op !== 'state') {
      task.marks.push(index);
      if (isProblem(e)) task.problems.push(index);
      return;
    }
    task.states.push(index);
    task.stateInfo.push(this.intern(e.state ?? '?', e.peer ?? null, e.generation));
  }

  private intern(state: string, peer: string | null, generation: number): TaskState {
    let peers = this.interned.get(state);
    if (!peers) this.interned.set(state, (peers = new Map<string | null, Map<number, TaskState>>()));
    let generations = peers.get(peer);
    if (!generations) peers.set(peer, (generations = new Map<number, TaskState>()));
    let s = generations.get(generation);
    if (!s) generations.set(generation, (s = { state, peer, generation }));
    return s;
  }
}

/** The indices of `list` at or after `shift`, moved down by `shift`. */
function shifted(list: readonly number[], shift: number): number[] {
  return list.slice(lowerBound(list, list.length, shift)).map((i) => i - shift);
}
