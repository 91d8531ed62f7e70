/**
 * What an endpoint application counts and measures: messages, their checks, and round trips.
 * Plain data (simulation snapshots carry it); the worker runtime publishes it to the host.
 */

export interface EndpointStats {
  /** Sends that returned the full length. */
  sent: number;
  sentBytes: number;
  /** Sends that returned an errno, by name. */
  sendErrors: Record<string, number>;
  received: number;
  receivedBytes: number;
  /** Checked messages that arrived as the next in sequence. */
  inOrder: number;
  /** Checked messages whose sequence number jumped ahead (messages in between never arrived). */
  gaps: number;
  /** Messages with a sequence number already seen. */
  repeats: number;
  /** Messages too short to check, or with a byte that does not match their sequence number. */
  corrupted: number;
  bound: number;
  unbound: number;
  errors: string[];
  /** When the first message was sent and the last one received, ns (-1: not yet). */
  firstSentNs: number;
  lastReceivedNs: number;
  /** Ping: round trips completed, and their virtual time in ns. */
  roundTrips: number;
  rttSumNs: number;
  rttMinNs: number;
  rttMaxNs: number;
  /** The most recent round trips (up to RTT_SAMPLES), for percentiles. */
  rttRecentNs: number[];
}

/** Round trips kept for percentiles. */
export const RTT_SAMPLES = 1024;
/**
 * Pings in flight a ping endpoint remembers. A peer that never echoes (a sink, a dead core) would
 * otherwise grow the list without bound; the oldest are forgotten, as lost.
 */
export const MAX_IN_FLIGHT = 256;

/** The `q` quantile (0..1) of the recent round trips, ns; null before the first round trip. */
export function rttPercentileNs(stats: Pick<EndpointStats, 'rttRecentNs'>, q: number): number | null {
  const n = stats.rttRecentNs.length;
  if (n === 0) return null;
  const sorted = [...stats.rttRecentNs].sort((a, b) => a - b);
  return sorted[Math.min(n - 1, Math.floor(n * q))] ?? null;
}

export const emptyStats = (): EndpointStats => ({
  sent: 0,
  sentBytes: 0,
  sendErrors: {},
  received: 0,
  receivedBytes: 0,
  inOrder: 0,
  gaps: 0,
  repeats: 0,
  corrupted: 0,
  bound: 0,
  unbound: 0,
  errors: [],
  firstSentNs: -1,
  lastReceivedNs: -1,
  roundTrips: 0,
  rttSumNs: 0,
  rttMinNs: Infinity,
  rttMaxNs: 0,
  rttRecentNs: [],
});
