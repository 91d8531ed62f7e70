/**
 * The synchronous-channel part of the topology, as a model: the scenario's channel tasks and
 * channels as nodes, linked as Tracealyzer's Communication Flow links actors through IPC objects
 * (reference libipc-and-channels.md §4), and what the tasks wait for at the time cursor.
 *
 * Static (from the scenario's `channels` section, known before a run):
 * - a channel is created by a server, or by a client or receiver with `create` (Anckor's test:
 *   whichever task runs first); that task is what Hubris and Anckor call its server (§2.3, §3.1);
 * - edges: client → channel (a call, or a one-way send), server → channel for the call it makes
 *   while handling (`callWhileHandling`), channel → each task receiving on it (servers and
 *   receivers), notifier → the task it posts to (Hubris `sys_post`).
 *
 * Live (`liveChannels`, from the derived state's task rows): each task's state in the canonical
 * vocabulary (§3.4), and on the edges who waits on whom — a SEND-BLOCKED task's edge to its
 * channel, a REPLY-BLOCKED task's wait for its server (an edge back from the server, which is
 * not in the scenario), a RECEIVE-BLOCKED task's edge from its channel, and a deadlock: a cycle
 * in the wait-for graph (a task → the task that must receive its send, or reply to its call).
 */
import type { ChannelTaskSpec, Scenario } from '../../../core';

export type ChanRole = ChannelTaskSpec['behaviour']['kind'];

export interface ChanTask {
  readonly name: string;
  readonly domain: string;
  /** As the scenario numbers it: a larger number runs first. */
  readonly priority: number;
  readonly role: ChanRole;
}

export interface ChanChannel {
  readonly name: string;
  readonly domain: string;
  /** The task that creates it (its server, whose generation its handles carry); null when none does. */
  readonly creator: string | null;
  /** The tasks receiving on it (servers and receivers), in scenario order. */
  readonly receivers: readonly string[];
}

/** A node of the graph: tasks and channels may share a name (a server `fs` serving channel `fs`). */
export type NodeId = `task:${string}` | `chan:${string}`;

export const taskId = (name: string): NodeId => `task:${name}`;
export const channelId = (name: string): NodeId => `chan:${name}`;
/** The task's or channel's name in a node id. */
export const nodeName = (id: NodeId): string => id.slice(id.indexOf(':') + 1);

/** `call`: a send that waits for the reply; `send`: one-way; `receive`: channel → receiver; `post`: notification bits. */
export type ChanEdgeKind = 'call' | 'send' | 'receive' | 'post';

export interface ChanEdge {
  /** `from>to`, unique in the topology. */
  readonly id: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly kind: ChanEdgeKind;
  /** Whose behaviour it is: the sender, the receiver, the poster. */
  readonly task: string;
  /** The channel it goes through (null for a post). */
  readonly channel: string | null;
  /** A post's bits (`0x1`), a closed receive's one sender (`from c1`); else null. */
  readonly detail: string | null;
}

export interface ChannelTopology {
  readonly mode: 'hubris' | 'anckor';
  readonly tasks: readonly ChanTask[];
  readonly channels: readonly ChanChannel[];
  readonly edges: readonly ChanEdge[];
}

const edgeId = (from: NodeId, to: NodeId) => `${from}>${to}`;

/** The channels the behaviour creates, sends on and receives on. */
function usesOf(b: ChannelTaskSpec['behaviour']): { creates: string[]; sends: string[]; receives: string[] } {
  switch (b.kind) {
    case 'server':
      return {
        creates: [b.channel],
        sends: b.callWhileHandling ? [b.callWhileHandling.channel] : [],
        receives: [b.channel],
      };
    case 'client':
      return { creates: b.create ? [b.channel] : [], sends: [b.channel], receives: [] };
    case 'receiver':
      return { creates: b.create ? [b.channel] : [], sends: [], receives: [b.channel] };
    // No channel: notification bits only, or none at all.
    case 'waiter':
    case 'hog':
    case 'notifier':
      return { creates: [], sends: [], receives: [] };
  }
}

/** The model; null when the scenario has no `channels` section. */
export function channelTopology(scenario: Scenario): ChannelTopology | null {
  const spec = scenario.channels;
  if (!spec) return null;
  const tasks: ChanTask[] = spec.tasks.map((t) => ({
    name: t.name,
    domain: t.domain,
    priority: t.priority,
    role: t.behaviour.kind,
  }));
  // Channels in order of first mention; each on its creator's core (channels join the tasks of
  // one core), else its first user's.
  const names: string[] = [];
  const creator = new Map<string, ChannelTaskSpec>();
  const firstUser = new Map<string, ChannelTaskSpec>();
  const receivers = new Map<string, string[]>();
  for (const t of spec.tasks) {
    const u = usesOf(t.behaviour);
    for (const ch of [...u.receives, ...u.creates, ...u.sends]) {
      if (!names.includes(ch)) names.push(ch);
      if (!firstUser.has(ch)) firstUser.set(ch, t);
    }
    for (const ch of u.creates) if (!creator.has(ch)) creator.set(ch, t);
    for (const ch of u.receives) receivers.set(ch, [...(receivers.get(ch) ?? []), t.name]);
  }
  const channels: ChanChannel[] = names.map((name) => ({
    name,
    domain: (creator.get(name) ?? firstUser.get(name))?.domain ?? scenario.domains[0]?.name ?? '',
    creator: creator.get(name)?.name ?? null,
    receivers: receivers.get(name) ?? [],
  }));
  const edges: ChanEdge[] = [];
  const add = (
    from: NodeId,
    to: NodeId,
    kind: ChanEdgeKind,
    task: string,
    channel: string | null,
    detail: string | null,
  ) => {
    const id = edgeId(from, to);
    if (!edges.some((e) => e.id === id)) edges.push({ id, from, to, kind, task, channel, detail });
  };
  for (const t of spec.tasks) {
    const b = t.behaviour;
    if (b.kind === 'notifier') {
      if (spec.tasks.some((x) => x.name === b.target))
        add(taskId(t.name), taskId(b.target), 'post', t.name, null, `0x${b.bits.toString(16)}`);
      continue;
    }
    const u = usesOf(b);
    for (const ch of u.sends) {
      const call = b.kind === 'server' || (b.kind === 'client' && b.call);
      add(taskId(t.name), channelId(ch), call ? 'call' : 'send', t.name, ch, null);
    }
    for (const ch of u.receives) {
      const closed = b.kind === 'server' && b.closedFrom !== undefined ? `from ${b.closedFrom}` : null;
      add(channelId(ch), taskId(t.name), 'receive', t.name, ch, closed);
    }
  }
  return { mode: spec.mode, tasks, channels, edges };
}

/** What the derived state says of a task (derive.ts `ChannelTaskRow`). */
export interface TaskRowLike {
  readonly state: string;
  readonly peer: string | null;
  readonly generation: number;
  readonly inherited: number | null;
  /** Anckor: the task that overwrote it in a channel's one slot (it is never woken), else null. */
  readonly lostTo?: string | null;
}

/** The canonical key of a state however it is spelled: `SEND-BLOCKED`, `send_blocked` → `SEND_BLOCKED`. */
export const stateKey = (state: string): string =>
  state
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
/** As the UI writes it (§3.4): `SEND_BLOCKED` → `SEND-BLOCKED`. */
export const stateLabel = (state: string): string => stateKey(state).replace(/_/g, '-');

/** What an edge shows at the cursor; null: nothing is waiting on it. */
export type EdgeStatus = 'send-blocked' | 'receive-blocked' | 'notification-wait' | 'deadlock';

export interface LiveTask {
  /** Canonical key (`SEND_BLOCKED`, `RUNNING`, …), for colours and classes. */
  readonly state: string;
  /** `SEND-BLOCKED`. */
  readonly label: string;
  /** The channel or task it waits on, as traced. */
  readonly peer: string | null;
  readonly generation: number;
  /** `pri 2`, or `pri 1→3` while it runs at an inherited priority. */
  readonly priority: string;
  readonly inherited: boolean;
  /** One of the tasks of a wait-for cycle. */
  readonly inCycle: boolean;
  /** Anckor: overwritten in a channel's one slot by this task; it waits for ever. Else null. */
  readonly lostTo: string | null;
}

/** A REPLY-BLOCKED client's wait, drawn as an edge back from the server to the client. */
export interface ReplyWait {
  /** `reply:server>client`. */
  readonly id: string;
  readonly server: string;
  readonly client: string;
  readonly deadlock: boolean;
}

export interface LiveChannels {
  readonly tasks: ReadonlyMap<string, LiveTask>;
  /** By static edge id; an edge nothing waits on is absent. */
  readonly edges: ReadonlyMap<string, EdgeStatus>;
  readonly replies: readonly ReplyWait[];
  /** Each wait-for cycle at the cursor, as a path: `a → chan_b → b → chan_a → a`. */
  readonly cycles: readonly string[];
}

/** One wait-for edge: `task` cannot go on until `on` acts (receives its send, replies to its call). */
interface WaitFor {
  readonly task: string;
  readonly on: string;
  /** The channel a send waits on; null for a reply. */
  readonly channel: string | null;
}

/** `to` can be reached from `from` along `edges` (a task reaches itself). */
function reaches(edges: readonly WaitFor[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const at = todo.pop();
    if (at === undefined) break;
    if (at === to) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const w of edges) if (w.task === at) todo.push(w.on);
  }
  return false;
}

/**
 * The tasks that can never go on (the greatest set of SEND- or REPLY-blocked tasks each waiting
 * only on tasks of the set: a send waits for any of its channel's receivers), and among them the
 * wait-for edges that lie on a cycle.
 */
function cyclesOf(waits: readonly WaitFor[]): { readonly edges: WaitFor[]; readonly members: Set<string> } {
  const stuck = new Set(waits.map((w) => w.task));
  for (let changed = true; changed;) {
    changed = false;
    for (const t of [...stuck]) {
      const mine = waits.filter((w) => w.task === t);
      if (mine.length === 0 || mine.some((w) => !stuck.has(w.on))) {
        stuck.delete(t);
        changed = true;
      }
    }
  }
  const inner = waits.filter((w) => stuck.has(w.task) && stuck.has(w.on));
  // An edge is on a cycle when its target leads back to its source.
  const edges = inner.filter((w) => reaches(inner, w.on, w.task));
  return { edges, members: new Set(edges.map((w) => w.task)) };
}

/**
 * A simple cycle through `start` along `edges`, through as many other tasks as a depth-first
 * walk that tries them before going back to `start` finds, written with the channels sends go
 * through.
 */
function cyclePath(start: string, edges: readonly WaitFor[]): string {
  const path: WaitFor[] = [];
  const visit = (at: string, seen: Set<string>): boolean => {
    const out = edges.filter((x) => x.task === at);
    for (const w of [...out.filter((x) => x.on !== start), ...out.filter((x) => x.on === start)]) {
      path.push(w);
      if (w.on === start) return true;
      if (!seen.has(w.on)) {
        seen.add(w.on);
        if (visit(w.on, seen)) return true;
      }
      path.pop();
    }
    return false;
  };
  visit(start, new Set([start]));
  return [start, ...path.flatMap((w) => (w.channel === null ? [w.on] : [w.channel, w.on]))].join(' → ');
}

/**
 * The live view at the cursor. `rows`: the derived state's channel tasks, whatever states the
 * kernel traces (RUNNING, READY, the blocked ones…); a task without a row has traced none yet and
 * is READY.
 */
export function liveChannels(topology: ChannelTopology, rows: ReadonlyMap<string, TaskRowLike>): LiveChannels {
  const channels = new Map(topology.channels.map((c) => [c.name, c]));
  const known = new Set(topology.tasks.map((t) => t.name));
  // A send waits for whoever receives on its channel (else its creator); a call in REPLY-BLOCKED
  // for its server's reply.
  const waits: WaitFor[] = [];
  for (const t of topology.tasks) {
    const row = rows.get(t.name);
    if (!row || row.peer === null) continue;
    const state = stateKey(row.state);
    if (state === 'SEND_BLOCKED') {
      const ch = channels.get(row.peer);
      const on = ch ? (ch.receivers.length > 0 ? ch.receivers : ch.creator === null ? [] : [ch.creator]) : [];
      for (const r of on) waits.push({ task: t.name, on: r, channel: row.peer });
    } else if (state === 'REPLY_BLOCKED' && known.has(row.peer)) {
      waits.push({ task: t.name, on: row.peer, channel: null });
    }
  }
  const cycle = cyclesOf(waits);
  const onCycle = (w: WaitFor) => cycle.edges.includes(w);

  const edges = new Map<string, EdgeStatus>();
  const mark = (from: NodeId, to: NodeId, status: EdgeStatus) => {
    const id = edgeId(from, to);
    if (!topology.edges.some((e) => e.id === id)) return;
    // A deadlock outranks anything else the edge could show.
    if (edges.get(id) !== 'deadlock') edges.set(id, status);
  };
  const replies: ReplyWait[] = [];
  for (const t of topology.tasks) {
    const row = rows.get(t.name);
    if (!row) continue;
    const state = stateKey(row.state);
    const peer = row.peer ?? '';
    if (state === 'SEND_BLOCKED') {
      const mine = waits.filter((w) => w.task === t.name);
      const dead = mine.filter(onCycle);
      // A sender Anckor lost waits for ever, as in a deadlock: drawn the same.
      const lost = (row.lostTo ?? null) !== null;
      mark(taskId(t.name), channelId(peer), dead.length > 0 || lost ? 'deadlock' : 'send-blocked');
      for (const w of dead) mark(channelId(peer), taskId(w.on), 'deadlock');
    } else if (state === 'REPLY_BLOCKED' && known.has(peer)) {
      const dead = waits.some((w) => w.task === t.name && onCycle(w));
      replies.push({ id: `reply:${peer}>${t.name}`, server: peer, client: t.name, deadlock: dead });
    } else if (state === 'RECEIVE_BLOCKED') {
      // `chan` (open) or `chan from task` (closed).
      const ch = peer.split(' from ')[0] ?? peer;
      mark(channelId(ch), taskId(t.name), 'receive-blocked');
    } else if (state === 'NOTIFICATION_WAIT') {
      for (const e of topology.edges)
        if (e.kind === 'post' && e.to === taskId(t.name)) mark(e.from, e.to, 'notification-wait');
    }
  }

  const tasks = new Map<string, LiveTask>();
  for (const t of topology.tasks) {
    const row = rows.get(t.name);
    const state = stateKey(row?.state ?? 'READY');
    const inherited = row?.inherited ?? null;
    const lifted = inherited !== null && inherited !== t.priority;
    tasks.set(t.name, {
      state,
      label: stateLabel(state),
      peer: row?.peer ?? null,
      generation: row?.generation ?? 0,
      priority: lifted ? `pri ${t.priority}→${inherited}` : `pri ${t.priority}`,
      inherited: lifted,
      inCycle: cycle.members.has(t.name),
      lostTo: row?.lostTo ?? null,
    });
  }

  // One path per group of tasks blocked on each other (a strongly connected part of the wait-for
  // graph), from its first task in scenario order.
  const cycles: string[] = [];
  const covered = new Set<string>();
  for (const t of topology.tasks) {
    if (!cycle.members.has(t.name) || covered.has(t.name)) continue;
    for (const m of cycle.members)
      if (reaches(cycle.edges, t.name, m) && reaches(cycle.edges, m, t.name)) covered.add(m);
    cycles.push(cyclePath(t.name, cycle.edges));
  }
  return { tasks, edges, replies, cycles };
}
