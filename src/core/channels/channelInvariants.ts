/**
 * Synchronous channels' invariants, read from the trace (`channel` events):
 * - `deadlock`: tasks waiting on each other in a cycle — a send or a call to a channel whose
 *   server is itself blocked, down the chain, on the first task (QNX and Hubris leave this to the
 *   designer: the "uphill send" rule exists to avoid it);
 * - `lost-wakeup`: Anckor's one sender slot overwritten; the first sender is never woken.
 */
import type { Violation } from '../faults/invariants';
import type { TraceEvent } from '../trace/events';

type ChannelEvent = Extract<TraceEvent, { kind: 'channel' }>;

export class ChannelChecker {
  /** Channel name → the task last seen receiving on it (its server). */
  private readonly servers = new Map<string, string>();
  /** Task → the task it waits for (through a channel's server, or for a reply). */
  private readonly waitsFor = new Map<string, { readonly on: string; readonly seq: number; readonly how: string }>();
  private readonly reported = new Set<string>();
  /** Task → the domain it runs on (from its events). */
  private readonly domains = new Map<string, string>();

  feed(e: ChannelEvent): Violation[] {
    this.domains.set(e.task, e.domain);
    // A channel's server is the task that receives on it.
    if (e.op === 'state' && e.state === 'RECEIVE_BLOCKED' && e.peer !== undefined)
      this.servers.set(e.peer.split(' from ')[0] ?? e.peer, e.task);
    if (e.op === 'lost')
      return [
        {
          rule: 'lost-wakeup',
          severity: 'error',
          where: e.channel ?? e.task,
          message: e.detail ?? `${e.task} will never be woken`,
          firstSeq: e.seq,
          seq: e.seq,
        },
      ];
    if (e.op !== 'state') return [];
    const peer = e.peer ?? '';
    const on = e.state === 'SEND_BLOCKED' ? this.servers.get(peer) : e.state === 'REPLY_BLOCKED' ? peer : undefined;
    if (on === undefined) {
      this.waitsFor.delete(e.task);
      return [];
    }
    if (on === e.task) {
      this.waitsFor.delete(e.task);
      return [
        {
          rule: 'deadlock',
          severity: 'error',
          where: e.task,
          message: `${e.task} sends on ${peer}, which it serves itself: nobody will ever receive it`,
          firstSeq: e.seq,
          seq: e.seq,
        },
      ];
    }
    const how = e.state === 'SEND_BLOCKED' ? `sends on ${peer}, served by ${on}` : `waits for ${on}'s reply`;
    this.waitsFor.set(e.task, { on, seq: e.seq, how });
    return this.cycleFrom(e.task, e.seq);
  }

  /** A task restarted: it no longer waits on anyone, and a cycle it forms in its new life is new. */
  forget(task: string): void {
    this.waitsFor.delete(task);
    for (const key of this.reported) if (key.split('>').includes(task)) this.reported.delete(key);
  }

  /**
   * A domain was reset or restarted: its tasks start a new life (the kernel's state is restored
   * from boot), so nothing they waited on stands, nor who served their channels; a cycle they
   * form again in the new life is reported again.
   */
  forgetDomain(domain: string): void {
    const mine = new Set([...this.domains].filter(([, d]) => d === domain).map(([t]) => t));
    for (const t of mine) this.waitsFor.delete(t);
    for (const [name, server] of this.servers) if (mine.has(server)) this.servers.delete(name);
    for (const key of this.reported) if (key.split('>').some((t) => mine.has(t))) this.reported.delete(key);
  }

  private cycleFrom(start: string, seq: number): Violation[] {
    const chain: string[] = [start];
    let at = start;
    for (let hops = 0; hops < 64; hops++) {
      const next = this.waitsFor.get(at)?.on;
      if (next === undefined) return [];
      if (next === start) {
        const key = [...chain].sort().join('>');
        if (this.reported.has(key)) return [];
        this.reported.add(key);
        const steps = chain.map((t) => {
          const w = this.waitsFor.get(t);
          return `${t} ${w?.how ?? 'waits'}`;
        });
        const first = Math.min(...chain.map((t) => this.waitsFor.get(t)?.seq ?? seq));
        return [
          {
            rule: 'deadlock',
            severity: 'error',
            where: chain.join(' → '),
            message: `a cycle of blocked tasks: ${steps.join('; ')}`,
            firstSeq: first,
            seq,
          },
        ];
      }
      if (chain.includes(next)) return [];
      chain.push(next);
      at = next;
    }
    return [];
  }
}
