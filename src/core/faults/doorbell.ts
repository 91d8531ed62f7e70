/**
 * What a doorbell fault does to one ring, in words both runtimes trace: lost on the way, late,
 * rung again later (a second interrupt of its own), or `mbox_send` failing.
 */
import type { Errno } from '../errno';
import type { Fault } from './schema';

export type DoorbellEffect =
  | { readonly kind: 'drop' }
  | { readonly kind: 'delay'; readonly ns: number }
  | { readonly kind: 'duplicate'; readonly ns: number }
  | { readonly kind: 'fail'; readonly error: Errno };

/** The effect of a doorbell fault and its description; null for faults of other kinds. */
export function doorbellEffect(fault: Fault): { readonly effect: DoorbellEffect; readonly detail: string } | null {
  const ns = Math.max(1, Math.round(fault.delayUs * 1000));
  switch (fault.kind) {
    case 'doorbell-drop':
      return { effect: { kind: 'drop' }, detail: 'the doorbell is lost on the way' };
    case 'doorbell-delay':
      return { effect: { kind: 'delay', ns }, detail: `the doorbell arrives ${fault.delayUs} µs late` };
    case 'doorbell-duplicate':
      return { effect: { kind: 'duplicate', ns }, detail: `the doorbell rings again ${fault.delayUs} µs later` };
    case 'mbox-send-fail':
      return { effect: { kind: 'fail', error: fault.error }, detail: `mbox_send() returns -${fault.error}` };
    case 'corrupt-byte':
    case 'flip-bit':
    case 'poke32':
    case 'stall':
    case 'warm-reset':
    case 'cold-reset':
    case 'kill':
    case 'exhaust-blocks':
    case 'misconfigure':
    case 'missing-flush':
    case 'stale-line':
    case 'port-drop':
    case 'port-delay':
    case 'port-duplicate':
    case 'port-corrupt':
    case 'task-stall':
    case 'pool-exhaust':
    case 'task-fault':
      return null;
  }
}
