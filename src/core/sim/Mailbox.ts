/**
 * MBOX doorbells between domains: what `mbox_send_dt()` rings and the receiver's interrupt takes.
 * A doorbell carries no data. Each channel has one sender and one receiver; the receiver enables
 * it and registers a handler (`mbox_register_callback` + `mbox_set_enabled`).
 *
 * Behaviour, as on real IPC hardware and as the reference describes it:
 * - a ring while the receiver's channel is disabled is lost;
 * - a ring is delivered after the channel's latency (plus seeded jitter);
 * - rings that arrive before the previous one was taken coalesce into one delivery when
 *   `coalesce` is on (the hardware event is a flag); with it off, each ring is delivered on its
 *   own (the counting model the conformance vectors use);
 * - a fault hook may drop, delay or duplicate a ring, or make the send itself fail.
 */

export interface MailboxTiming {
  /** Time from ring to interrupt, in ns. */
  readonly latencyNs: number;
  /** Extra delay drawn uniformly from [0, jitterNs] per ring. */
  readonly jitterNs: number;
  readonly coalesce: boolean;
  /** When false, rings to a disabled channel still count as pending (the conformance model). */
  readonly loseWhenDisabled: boolean;
}

export const DEFAULT_MAILBOX_TIMING: MailboxTiming = {
  latencyNs: 1_000,
  jitterNs: 500,
  coalesce: true,
  loseWhenDisabled: true,
};

export interface ChannelState {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  enabled: boolean;
  /** Rings waiting for delivery (at most 1 when coalescing). */
  pending: number;
  /** Rings merged into the pending delivery. */
  merged: number;
  /** When the pending delivery reaches the receiver, in ns; null when nothing is pending. */
  deliverAt: number | null;
}

export type MailboxSnapshot = readonly {
  readonly name: string;
  readonly enabled: boolean;
  readonly pending: number;
  readonly merged: number;
  readonly deliverAt: number | null;
}[];

export class Mailbox {
  readonly timing: MailboxTiming;
  private readonly channels = new Map<string, ChannelState>();
  private readonly handlers = new Map<string, (() => void) | null>();

  constructor(timing: MailboxTiming = DEFAULT_MAILBOX_TIMING) {
    this.timing = timing;
  }

  define(name: string, from: string, to: string): ChannelState {
    const existing = this.channels.get(name);
    if (existing) return existing;
    const channel: ChannelState = { name, from, to, enabled: false, pending: 0, merged: 0, deliverAt: null };
    this.channels.set(name, channel);
    this.handlers.set(name, null);
    return channel;
  }

  channel(name: string): ChannelState | undefined {
    return this.channels.get(name);
  }

  all(): IterableIterator<ChannelState> {
    return this.channels.values();
  }

  /** `mbox_register_callback_dt` + `mbox_set_enabled_dt`: the receiver's side. */
  setHandler(name: string, handler: (() => void) | null): void {
    this.handlers.set(name, handler);
  }

  setEnabled(name: string, enabled: boolean): void {
    const channel = this.channels.get(name);
    if (channel) channel.enabled = enabled;
  }

  handler(name: string): (() => void) | null {
    return this.handlers.get(name) ?? null;
  }

  /**
   * Records a ring at `now`, to be delivered `delayNs` later. Returns 'lost' when the receiver's
   * channel is disabled, 'coalesced' when it merged into a delivery already pending, else 'queued'.
   */
  ring(channel: ChannelState, now: number, delayNs: number): 'lost' | 'coalesced' | 'queued' {
    if (!channel.enabled && this.timing.loseWhenDisabled) return 'lost';
    if (this.timing.coalesce && channel.pending > 0) {
      channel.merged += 1;
      return 'coalesced';
    }
    channel.pending += 1;
    if (channel.deliverAt === null) channel.deliverAt = now + delayNs;
    return 'queued';
  }

  /**
   * Takes one pending delivery; returns how many rings were merged into it (0 when none). With
   * more deliveries pending (the counting model), the next one follows `nextDelayNs` later.
   */
  take(channel: ChannelState, now: number, nextDelayNs: number): number | null {
    if (channel.pending === 0) return null;
    channel.pending -= 1;
    const merged = channel.merged;
    channel.merged = 0;
    channel.deliverAt = channel.pending === 0 ? null : now + nextDelayNs;
    return merged;
  }

  /** Throws one pending delivery away (a doorbell lost on the way). */
  discard(channel: ChannelState): boolean {
    if (channel.pending === 0) return false;
    channel.pending -= 1;
    if (channel.pending === 0) {
      channel.merged = 0;
      channel.deliverAt = null;
    }
    return true;
  }

  snapshot(): MailboxSnapshot {
    return [...this.channels.values()].map((c) => ({
      name: c.name,
      enabled: c.enabled,
      pending: c.pending,
      merged: c.merged,
      deliverAt: c.deliverAt,
    }));
  }

  restore(snapshot: MailboxSnapshot): void {
    for (const s of snapshot) {
      const c = this.channels.get(s.name);
      if (!c) continue;
      c.enabled = s.enabled;
      c.pending = s.pending;
      c.merged = s.merged;
      c.deliverAt = s.deliverAt;
    }
  }
}
