/**
 * ICMsg's wire constants and handshake words (`subsys/ipc/ipc_service/lib/icmsg.c`).
 *
 * ICMsg 1.0 binds by exchanging a 13-byte magic as the first packet of each direction. ICMsg 1.1
 * (Zephyr 4.1+, `unbound = "enable"` / `"detect"`) adds a session handshake word in each region,
 * written by that region's reader:
 *
 *   RX-region word (mine):   bits 0..15 local_sid_req   | bits 16..31 remote_sid_ack
 *   TX-region word (peer's): bits 0..15 remote_sid_req  | bits 16..31 local_sid_ack
 *
 * Session id 0 means disconnected.
 */

/** "Em1l1K0rn3li4": the first packet each side writes in ICMsg 1.0. */
export const ICMSG_MAGIC = Uint8Array.of(0x45, 0x6d, 0x31, 0x6c, 0x31, 0x4b, 0x30, 0x72, 0x6e, 0x33, 0x6c, 0x69, 0x34);

export const SID_DISCONNECTED = 0;

/** `enum icmsg_state`: the numbers matter, `enum icmsg_unbound_mode` reuses 1..3. */
export const ICMSG_STATES = [
  'OFF',
  'INITIALIZING_SID_DISABLED',
  'INITIALIZING_SID_ENABLED',
  'INITIALIZING_SID_DETECT',
  'DISCONNECTED',
  'CONNECTED_SID_DISABLED',
  'CONNECTED_SID_ENABLED',
] as const;
export type IcmsgState = (typeof ICMSG_STATES)[number];

/** `enum icmsg_unbound_mode` (devicetree `unbound`). */
export type UnboundMode = 'DISABLE' | 'ENABLE' | 'DETECT';

/** The 3.6–4.0 `enum icmsg_state`. */
export const ICMSG_LEGACY_STATES = ['OFF', 'BUSY', 'READY'] as const;
export type IcmsgLegacyState = (typeof ICMSG_LEGACY_STATES)[number];

export const makeRxHandshake = (localSidReq: number, remoteSidAck: number): number =>
  ((localSidReq & 0xffff) | ((remoteSidAck & 0xffff) << 16)) >>> 0;
export const remoteSidReqFromTx = (txHandshake: number): number => txHandshake & 0xffff;
export const localSidAckFromTx = (txHandshake: number): number => txHandshake >>> 16;

/** `is_endpoint_ready()`: CONNECTED_SID_DISABLED or CONNECTED_SID_ENABLED. */
export const isEndpointReady = (state: IcmsgState): boolean =>
  state === 'CONNECTED_SID_DISABLED' || state === 'CONNECTED_SID_ENABLED';

export function startsWithMagic(bytes: Uint8Array, len: number): boolean {
  if (len < ICMSG_MAGIC.length) return false;
  for (let i = 0; i < ICMSG_MAGIC.length; i++) if (bytes[i] !== ICMSG_MAGIC[i]) return false;
  return true;
}

/**
 * Whether an instance's pbufs carry the ICMsg 1.1 handshake word (PBUF_CFG_INIT with
 * `use_handshake`): Zephyr 4.1+ with unbound `enable` or `detect`. It moves wr_idx and data[].
 */
export const icmsgUsesHandshake = (zephyr: '4.1' | '3.6', unbound: 'disable' | 'enable' | 'detect'): boolean =>
  zephyr === '4.1' && unbound !== 'disable';
