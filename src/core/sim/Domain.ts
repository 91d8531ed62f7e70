/**
 * A domain: one core (or one RTOS image) of the simulated SoC, with the kernel services the IPC
 * code uses, scheduled by the `Simulation`:
 *
 * - interrupt context: doorbells delivered by the mailbox run the handler registered for that
 *   channel (ICMsg's `mbox_callback`); the `Simulation` runs them, before anything else here;
 * - one cooperative work queue (Zephyr's `k_work`), which serialises backend processing the way
 *   `icmsg_workq` does: an item is queued at most once, and an item that resubmits itself while
 *   running is queued again;
 * - delayable work (`k_work_delayable`), moved onto the queue when its timer expires;
 * - application tasks: plain objects whose `step` runs a bounded piece of work and says when to
 *   run next. Their state is plain data, so a snapshot can store it (no generators: those cannot
 *   be copied).
 *
 * Within a domain the priority is fixed, as on a Zephyr core: interrupts, then the work queue
 * (cooperative, priority -1), then tasks by priority. Which domain runs next is the scheduler's
 * (seeded, recorded) decision.
 */
import type { MemoryView } from '../shm/MemoryView';
import type { TraceBody } from '../trace/events';

/** What a task does next. */
export type TaskNext =
  | { readonly kind: 'sleep'; readonly ns: number }
  /** Sleeps until something calls `wake` for it. */
  | { readonly kind: 'wait' }
  | { readonly kind: 'done' };

/** Run again as soon as possible (after anything more urgent). */
export const YIELD: TaskNext = Object.freeze({ kind: 'sleep', ns: 0 });
/** Sleep until woken. */
export const WAIT: TaskNext = Object.freeze({ kind: 'wait' });

export interface TaskBody {
  /** Runs one bounded step of the task. */
  step(): TaskNext;
  snapshot(): unknown;
  restore(state: unknown): void;
}

interface TaskSlot {
  readonly id: string;
  /** The priority it runs at (smaller first); a kernel may raise it (priority inheritance). */
  priority: number;
  /** The priority it was created with. */
  readonly basePriority: number;
  readonly body: TaskBody;
  /** ns at which it is ready; null while waiting for `wake`; Infinity once done. */
  readyAt: number | null;
  /** A stalled task (a fault) runs nothing before this time (ns), ready or not. */
  stalledUntil: number;
  /**
   * When it was added or last woken (a counter): among tasks of one priority ready at one time,
   * the one woken first runs first, as FreeRTOS unblocks the longest waiting task first.
   */
  order: number;
}

export interface DomainSnapshot {
  readonly freeAt: number;
  readonly halted: boolean;
  readonly stalledUntil: number;
  readonly queue: readonly string[];
  readonly timers: readonly (readonly [string, number])[];
  readonly tasks: readonly {
    readonly id: string;
    readonly readyAt: number | null;
    readonly stalledUntil?: number;
    readonly order?: number;
    readonly priority?: number;
    readonly state: unknown;
  }[];
  readonly handoff?: string | null;
  readonly incumbent?: string | null;
  readonly taskOrder?: number;
}

/** The services a domain gives the code that runs on it. */
export interface DomainHost {
  readonly now: () => number;
  readonly emit: (domain: string, body: TraceBody) => void;
  /** Whether work-queue and task events are recorded (see Kernel.traceMessages). */
  readonly traceMessages?: boolean;
}

export class Domain {
  readonly name: string;
  readonly mem: MemoryView;
  private readonly host: DomainHost;
  /** Busy until this time (ns): what it runs takes time, and a core runs one thing at a time. */
  freeAt = 0;
  /** Stopped by a failed assertion (CONFIG_ASSERT=y) or a fault; runs nothing. */
  halted = false;
  /** A stalled core (a fault) runs nothing before this time (ns). */
  stalledUntil = 0;
  private readonly workHandlers = new Map<string, () => void>();
  private queue: string[] = [];
  private running: string | null = null;
  private current: string | null = null;
  private timers = new Map<string, number>();
  private readonly tasks: TaskSlot[] = [];
  private readonly taskById = new Map<string, TaskSlot>();
  private taskOrder = 0;
  /** A direct process switch: this task runs next if it is ready, whatever its priority. */
  private handoff: string | null = null;
  /**
   * A task that yielded but asked to keep the core (`keepCore`): among ready tasks of its
   * priority it runs first, as a kernel without time slicing (Hubris) lets a task run until it
   * blocks or a higher priority is ready. Lost as soon as another task runs.
   */
  private incumbent: string | null = null;

  private readonly traceMessages: boolean;

  constructor(name: string, mem: MemoryView, host: DomainHost) {
    this.name = name;
    this.mem = mem;
    this.host = host;
    this.traceMessages = host.traceMessages ?? true;
  }

  now(): number {
    return this.host.now();
  }

  emit(body: TraceBody): void {
    this.host.emit(this.name, body);
  }

  // ---- work queue (k_work) ----------------------------------------------------------------

  defineWork(id: string, handler: () => void): void {
    this.workHandlers.set(id, handler);
  }

  /** `k_work_submit`: 0 if already queued, 1 if queued, 2 if queued while running. */
  submitWork(id: string): 0 | 1 | 2 {
    if (this.queue.includes(id)) return 0;
    this.queue.push(id);
    if (this.traceMessages) this.emit({ kind: 'work', item: id, phase: 'submitted' });
    return this.running === id ? 2 : 1;
  }

  /** `k_work_cancel`: removes a queued (not running) item, and its timer. */
  cancelWork(id: string): void {
    const at = this.queue.indexOf(id);
    const hadTimer = this.timers.delete(id);
    if (at >= 0) this.queue.splice(at, 1);
    if (at >= 0 || hadTimer) this.emit({ kind: 'work', item: id, phase: 'cancelled' });
  }

  /** `k_work_schedule`: queue after `delayNs`, unless already scheduled or queued. */
  scheduleWork(id: string, delayNs: number): void {
    if (this.timers.has(id) || this.queue.includes(id)) return;
    if (delayNs <= 0) this.submitWork(id);
    else this.timers.set(id, this.now() + delayNs);
  }

  /** `k_work_reschedule`: (re)start the timer. */
  rescheduleWork(id: string, delayNs: number): void {
    this.timers.delete(id);
    if (delayNs <= 0) this.submitWork(id);
    else this.timers.set(id, this.now() + delayNs);
  }

  /** Moves expired timers onto the queue. */
  expireTimers(now: number): void {
    if (this.timers.size === 0) return;
    for (const [id, at] of this.timers) {
      if (at <= now) {
        this.timers.delete(id);
        this.submitWork(id);
      }
    }
  }

  nextTimer(): number {
    if (this.timers.size === 0) return Infinity;
    let next = Infinity;
    for (const at of this.timers.values()) next = Math.min(next, at);
    return next;
  }

  get hasWork(): boolean {
    return this.queue.length > 0;
  }

  get queuedWork(): readonly string[] {
    return this.queue;
  }

  /** Runs the work item at the head of the queue; returns its id. */
  runWork(): string | undefined {
    const id = this.queue.shift();
    if (id === undefined) return undefined;
    this.running = id;
    if (this.traceMessages) this.emit({ kind: 'work', item: id, phase: 'run' });
    try {
      this.workHandlers.get(id)?.();
    } finally {
      this.running = null;
    }
    return id;
  }

  // ---- tasks ------------------------------------------------------------------------------

  addTask(id: string, body: TaskBody, options: { priority?: number; startAt?: number } = {}): void {
    const slot: TaskSlot = {
      id,
      body,
      priority: options.priority ?? 0,
      basePriority: options.priority ?? 0,
      readyAt: options.startAt ?? 0,
      stalledUntil: 0,
      order: ++this.taskOrder,
    };
    this.tasks.push(slot);
    this.taskById.set(id, slot);
    this.tasks.sort((a, b) => a.priority - b.priority);
  }

  /** Moves every task's start by `ns` (a domain restarted later than the run started boots now). */
  shiftTasks(ns: number): void {
    for (const t of this.tasks) if (t.readyAt !== null && t.readyAt !== Infinity) t.readyAt += ns;
  }

  /** Makes a waiting (or sleeping) task ready now. */
  wake(id: string): void {
    const task = this.taskById.get(id);
    if (!task || task.readyAt === Infinity) return;
    const now = this.now();
    if (task.readyAt === null || task.readyAt > now) task.order = ++this.taskOrder;
    task.readyAt = Math.min(task.readyAt ?? Infinity, now);
  }

  /** Sets a task's running priority (priority inheritance); its base priority stays. */
  setTaskPriority(id: string, priority: number): void {
    const task = this.taskById.get(id);
    if (task) task.priority = priority;
  }

  taskPriority(id: string): { readonly priority: number; readonly base: number } | null {
    const task = this.taskById.get(id);
    return task ? { priority: task.priority, base: task.basePriority } : null;
  }

  /** A direct process switch (L4, Anckor, Hubris): `id` runs next if ready, before any priority. */
  switchTo(id: string): void {
    this.handoff = id;
  }

  /** The task whose step is running keeps the core among equals when it yields (see `incumbent`). */
  keepCore(id: string): void {
    this.incumbent = id;
  }

  /**
   * Holds a task until `until` exactly (Infinity: until released with 0), whatever stall it had:
   * a supervisor's hold on a faulted task, which only its restart releases.
   */
  holdTask(id: string, until: number): boolean {
    const task = this.taskById.get(id);
    if (!task) return false;
    task.stalledUntil = until;
    return true;
  }

  /** Stops a task from running before `until` (ns): a fault. False when there is no such task. */
  stallTask(id: string, until: number): boolean {
    const task = this.taskById.get(id);
    if (!task) return false;
    task.stalledUntil = Math.max(task.stalledUntil, until);
    return true;
  }

  /** The task that would run at `now`: the highest priority ready one, the earliest first. */
  readyTask(now: number): string | undefined {
    if (this.handoff !== null) {
      const next = this.taskById.get(this.handoff);
      if (next && next.readyAt !== null && next.readyAt <= now && next.stalledUntil <= now) return next.id;
    }
    let best: TaskSlot | undefined;
    for (const t of this.tasks) {
      if (t.readyAt === null || t.readyAt > now || t.stalledUntil > now) continue;
      const sooner =
        t.readyAt < (best?.readyAt ?? 0) || (t.readyAt === (best?.readyAt ?? 0) && t.order < (best?.order ?? 0));
      const first = best?.id !== this.incumbent && (t.id === this.incumbent || sooner);
      if (!best || t.priority < best.priority || (t.priority === best.priority && first)) best = t;
    }
    return best?.id;
  }

  nextTaskWake(): number {
    let next = Infinity;
    for (const t of this.tasks) if (t.readyAt !== null) next = Math.min(next, Math.max(t.readyAt, t.stalledUntil));
    return next;
  }

  /** The task whose step is running (the "current thread" a blocking call blocks), or null. */
  get currentTask(): string | null {
    return this.current;
  }

  runTask(id: string): void {
    const task = this.taskById.get(id);
    if (!task) return;
    if (this.handoff === id) this.handoff = null;
    this.incumbent = null;
    this.current = id;
    let next: TaskNext;
    try {
      next = task.body.step();
    } finally {
      this.current = null;
    }
    const now = this.now();
    if (next.kind === 'sleep') task.readyAt = now + Math.max(0, next.ns);
    else if (next.kind === 'wait') {
      task.readyAt = null;
      this.emit({ kind: 'task', task: id, phase: 'blocked' });
    } else {
      task.readyAt = Infinity;
      this.emit({ kind: 'task', task: id, phase: 'finished' });
    }
  }

  // ---- snapshots --------------------------------------------------------------------------

  snapshot(): DomainSnapshot {
    return {
      freeAt: this.freeAt,
      halted: this.halted,
      stalledUntil: this.stalledUntil,
      queue: [...this.queue],
      timers: [...this.timers],
      tasks: this.tasks.map((t) => ({
        id: t.id,
        readyAt: t.readyAt,
        stalledUntil: t.stalledUntil,
        order: t.order,
        priority: t.priority,
        state: t.body.snapshot(),
      })),
      taskOrder: this.taskOrder,
      handoff: this.handoff,
      incumbent: this.incumbent,
    };
  }

  restore(s: DomainSnapshot): void {
    this.freeAt = s.freeAt;
    this.halted = s.halted;
    this.stalledUntil = s.stalledUntil;
    this.queue = [...s.queue];
    this.timers = new Map(s.timers);
    this.taskOrder = s.taskOrder ?? this.taskOrder;
    this.handoff = s.handoff ?? null;
    this.incumbent = s.incumbent ?? null;
    this.running = null;
    for (const saved of s.tasks) {
      const task = this.taskById.get(saved.id);
      if (!task) continue;
      task.readyAt = saved.readyAt;
      task.stalledUntil = saved.stalledUntil ?? 0;
      task.order = saved.order ?? task.order;
      task.priority = saved.priority ?? task.basePriority;
      task.body.restore(saved.state);
    }
  }
}
