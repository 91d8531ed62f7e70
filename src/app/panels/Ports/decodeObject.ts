/**
 * What an `ipc_ref_t` points at, read from shared memory: the message struct its tag names
 * (`PortPlan.tags[tag].message`, laid out by `planArea`), decoded field by field; a routed proto's
 * bytes (nanopb-encoded: no layout to decode with); or why nothing can be shown.
 *
 * Memory is what it holds at the time cursor (the inline runtime) or now (workers). Whether those
 * bytes are still the message's is `objectStatus`: a mempool copy is zeroed when freed and may be
 * reused; a by-reference object belongs to its sender again once the receiver is done, and a
 * sender that rewrites it earlier changes what queued items point at.
 */
import { type AreaPlan, type DecodedField, decodeStruct } from '../../../core';
import { hex32 } from '../../format';
import { type ObjectWrite, type PortMessage, rewriteOf } from './portHistory';

/** The reference an item carries (`ipc_ref_t { tag, length, object }`) and the port it is on. */
export interface ObjectRef {
  readonly port: string;
  readonly tag: number;
  readonly length: number;
  /** Virtual address; 0 is NULL. */
  readonly object: number;
}

export type DecodedObject =
  | {
      readonly kind: 'struct';
      readonly struct: string;
      readonly tagName: string;
      readonly size: number;
      readonly fields: readonly DecodedField[];
      /** The item's length differs from sizeof(struct): worth saying. */
      readonly lengthMismatch: boolean;
    }
  | { readonly kind: 'proto'; readonly proto: string; readonly tagName: string; readonly hex: string }
  | { readonly kind: 'none'; readonly reason: string };

/** Proto bytes shown at most. */
export const PROTO_BYTES_SHOWN = 64;

/** Decodes the object `ref` points at from `memory` (shared memory starting at virtual `base`). */
export function decodeObject(plan: AreaPlan, memory: Uint8Array, base: number, ref: ObjectRef): DecodedObject {
  const port = plan.ports.find((p) => p.name === ref.port);
  if (!port) return { kind: 'none', reason: `no port ${ref.port} in the scenario's definitions` };
  const tag = port.tags.find((t) => t.value === ref.tag);
  if (!tag || tag.kind === 'end' || tag.message === null)
    return { kind: 'none', reason: `tag ${ref.tag} is no message of ${port.name}` };
  if (ref.object === 0)
    return { kind: 'none', reason: `${tag.name}: NULL object, ${ref.length} bytes (ipc_send_empty)` };
  const offset = ref.object - base;
  if (offset < 0 || offset >= memory.length)
    return { kind: 'none', reason: `object ${hex32(ref.object)} lies outside shared memory` };
  if (tag.kind === 'proto') {
    const bytes = memory.subarray(offset, offset + Math.min(ref.length, PROTO_BYTES_SHOWN));
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return {
      kind: 'proto',
      proto: tag.message,
      tagName: tag.name,
      hex: ref.length > PROTO_BYTES_SHOWN ? `${hex} …` : hex,
    };
  }
  const layout = plan.structs.get(tag.message);
  if (!layout) return { kind: 'none', reason: `no layout for ${tag.message}` };
  if (offset + layout.size > memory.length)
    return { kind: 'none', reason: `${tag.message} at ${hex32(ref.object)} runs past shared memory` };
  return {
    kind: 'struct',
    struct: tag.message,
    tagName: tag.name,
    size: layout.size,
    fields: decodeStruct(layout, memory.subarray(offset, offset + layout.size)),
    lengthMismatch: ref.length !== layout.size,
  };
}

/**
 * Whether memory at the cursor still holds what the message carried. Indices are table indices;
 * `writes` are the port's by-reference object writes in table order.
 */
export type ObjectStatus =
  | { readonly kind: 'future' }
  | { readonly kind: 'queued' }
  | { readonly kind: 'received' }
  | { readonly kind: 'released'; readonly index: number }
  | { readonly kind: 'freed'; readonly index: number }
  | { readonly kind: 'rewritten'; readonly index: number; readonly by: number | null }
  | { readonly kind: 'dropped'; readonly index: number };

const before = (index: number, cursor: number): boolean => index >= 0 && index < cursor;

export function objectStatus(m: PortMessage, writes: readonly ObjectWrite[], cursor: number): ObjectStatus {
  if (!before(m.sendIndex, cursor)) return { kind: 'future' };
  if (before(m.freeIndex, cursor)) return { kind: 'freed', index: m.freeIndex };
  // Rewriting it after the receiver is done is the contract; before, it changes the message.
  const w = rewriteOf(m, writes, before(m.doneIndex, cursor) ? m.doneIndex : cursor);
  if (w) return { kind: 'rewritten', index: w.index, by: w.msgId };
  if (before(m.dropIndex, cursor)) return { kind: 'dropped', index: m.dropIndex };
  if (before(m.doneIndex, cursor)) return { kind: 'released', index: m.doneIndex };
  if (before(m.recvIndex, cursor)) return { kind: 'received' };
  return { kind: 'queued' };
}

/** What to tell the reader about the bytes shown, or null when they are the message's. */
export function statusNote(status: ObjectStatus, owned: boolean): string | null {
  switch (status.kind) {
    case 'queued':
    case 'received':
      return null;
    case 'future':
      return 'This message is sent after the time cursor: the bytes shown are what memory holds now.';
    case 'freed':
      return 'Its mempool entry was freed (mempool_free zeroes it) and may hold a later message: the bytes shown are what memory holds now.';
    case 'rewritten':
      return `The sender rewrote this object${status.by === null ? '' : ` for message #${status.by}`} after the send, before the receiver was done with it: the bytes shown are the newer contents, not what was sent.`;
    case 'dropped':
      return 'The item was lost in a device reset: the bytes shown are what memory holds now.';
    case 'released':
      return owned
        ? 'The receiver is done with it: the bytes shown are what memory holds now.'
        : 'The receiver is done with it and the sender may reuse its object: the bytes shown are what memory holds now.';
  }
}
