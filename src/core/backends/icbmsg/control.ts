/**
 * ICBMsg's control messages (legacy, Zephyr 3.6 → v4.4): three bytes, each sent as one ICMsg
 * packet (on the pbuf wire `00 03 00 00 TT EE BB xx`: the length header, the message, one byte of
 * padding never written).
 *
 *   MSG_DATA          0 | ept_addr | first block index   data for an endpoint
 *   MSG_RELEASE_DATA  1 | 0        | block index         the receiver is done with the buffer
 *   MSG_BOUND         2 | ept_addr | block index         the block holds the endpoint's name, NUL-terminated
 *   MSG_RELEASE_BOUND 3 | ept_addr | block index         frees the name block, and means "bound"
 *
 * Receivers accept 3 bytes or more (the rest is for future versions), refuse an endpoint address
 * of NUM_EPT or more with -EINVAL (even for RELEASE_DATA, where it is 0), and ignore unknown
 * types silently. There is no reject message.
 */
import type { Errno } from '../../errno';
import { CONTROL_MESSAGE_SIZE } from './layout';

export const MSG_DATA = 0;
export const MSG_RELEASE_DATA = 1;
export const MSG_BOUND = 2;
export const MSG_RELEASE_BOUND = 3;

export const CONTROL_TYPES = ['MSG_DATA', 'MSG_RELEASE_DATA', 'MSG_BOUND', 'MSG_RELEASE_BOUND'] as const;
export type ControlType = (typeof CONTROL_TYPES)[number];

export interface ControlMessage {
  readonly type: ControlType;
  readonly eptAddr: number;
  readonly blockIndex: number;
}

/** The three bytes of a control message. */
export function encodeControl(message: ControlMessage): Uint8Array {
  return Uint8Array.of(CONTROL_TYPES.indexOf(message.type), message.eptAddr & 0xff, message.blockIndex & 0xff);
}

/**
 * What a receiver makes of an ICMsg packet on the control channel: a message, `null` for one it
 * ignores (an unknown type), or the error `control_received` returns.
 */
export function decodeControl(data: Uint8Array, numEpt: number): ControlMessage | null | Errno {
  if (data.length < CONTROL_MESSAGE_SIZE) return 'EINVAL';
  const eptAddr = data[1] ?? 0;
  const blockIndex = data[2] ?? 0;
  if (eptAddr >= numEpt) return 'EINVAL';
  const type = CONTROL_TYPES[data[0] ?? 255];
  if (type === undefined) return null;
  return { type, eptAddr, blockIndex };
}
