/**
 * The one-shot libipc faults, as the inline fault injector makes them happen:
 * - `port-corrupt`: one byte of a member of the object the next item in a port's queue points
 *   at is XORed (`value`, or a random non-zero byte) — what a stray write or a bit flip in RAM
 *   does to a message waiting to be read;
 * - `task-stall`: a task runs nothing for `durationUs` (for good without one);
 * - `pool-exhaust`: every free mempool entry is taken (then `ipc_send_cp` asserts), given back
 *   after `durationUs`.
 * Each returns what it did for the trace, or null when its target does not exist yet (an empty
 * queue), so the fault waits.
 */
import type { Fault } from '../faults/schema';
import type { Domain } from '../sim/Domain';
import type { LibIpc } from './LibIpc';

const US = 1000;
const hex = (n: number, width = 8): string => `0x${n.toString(16).padStart(width, '0')}`;

export function corruptPortItem(
  lib: LibIpc,
  fault: Fault,
  bytes: Uint8Array,
  draw: (n: number) => number,
): { target: string; detail: string } | null {
  const name = fault.target.port;
  const port = name === undefined ? undefined : lib.port(name);
  if (!port) return null;
  const item = lib.headItem(port);
  if (!item || item.object === 0 || item.length === 0) return null;
  const struct = port.tags.find((t) => t.value === item.tag && t.kind === 'struct')?.message ?? null;
  const layout = struct === null ? undefined : lib.plan.structs.get(struct);
  const member = fault.target.member;
  const field = member === undefined ? undefined : layout?.fields.find((f) => f.name === member);
  if (member !== undefined && !field) return null;
  const within = Math.min(fault.target.offset ?? 0, Math.max(0, (field?.size ?? item.length) - 1));
  const at = lib.offsetOf(item.object) + (field?.offset ?? 0) + within;
  if (at < 0 || at >= bytes.length) return null;
  const before = bytes[at] ?? 0;
  const mask = fault.value === undefined ? 1 + draw(255) : fault.value & 0xff;
  const after = fault.value === undefined ? before ^ mask : mask;
  bytes[at] = after;
  const what = field && struct ? `${struct}.${field.name}` : `its object`;
  return {
    target: port.name,
    detail: `${what} of message #${item.msgId} (byte at ${hex(lib.address(at))}) ${hex(before, 2)} → ${hex(after, 2)}`,
  };
}

export function stallTask(domain: Domain, fault: Fault, now: number): string | null {
  const task = fault.target.task;
  if (task === undefined) return null;
  const until = fault.durationUs === undefined ? Infinity : now + fault.durationUs * US;
  if (!domain.stallTask(task, until)) return null;
  return fault.durationUs === undefined
    ? `${task} runs nothing from now on`
    : `${task} runs nothing for ${fault.durationUs} µs`;
}

/** Takes the free entries; the caller gives them back (`lib.free`) when the fault ends. */
export function exhaustPool(lib: LibIpc, fault: Fault): { addresses: number[]; detail: string } {
  const addresses = lib.takeAllFree(`fault ${fault.id}`);
  const span = fault.durationUs === undefined ? 'for good' : `for ${fault.durationUs} µs`;
  return { addresses, detail: `${addresses.length} free mempool entries taken ${span}` };
}
