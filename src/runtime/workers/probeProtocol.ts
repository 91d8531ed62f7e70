/**
 * Host ↔ probe-worker messages for the shared-memory check (version 1).
 *
 * The host posts one `SharedArrayBuffer` to two workers. The writer stores a pattern in word 1,
 * then sets word 0 (the doorbell) and notifies; the reader waits on word 0 with `Atomics.wait`
 * and reports the word it sees. Only real shared memory between two threads can pass.
 *
 *   word 0: doorbell (0 = not yet, 1 = pattern published)
 *   word 1: pattern
 */
export const PROBE_PROTOCOL_VERSION = 1;

export type ProbeRequest =
  | { readonly v: 1; readonly kind: 'write'; readonly buffer: SharedArrayBuffer; readonly pattern: number }
  | { readonly v: 1; readonly kind: 'read'; readonly buffer: SharedArrayBuffer; readonly timeoutMs: number };

export type ProbeReply =
  | { readonly v: 1; readonly kind: 'written' }
  | {
      readonly v: 1;
      readonly kind: 'read';
      readonly pattern: number;
      readonly waited: 'ok' | 'not-equal' | 'timed-out';
    }
  | { readonly v: 1; readonly kind: 'error'; readonly message: string };

export const PROBE_DOORBELL = 0;
export const PROBE_PATTERN = 1;
