/**
 * ICMsg's control logic (Zephyr 4.1+, `lib/icmsg.c`) as an XState v5 machine, with Zephyr's own
 * state names (`enum icmsg_state`). The backend runs this machine; the UI draws the same one.
 *
 * Division of labour, so the data path stays plain code (DESIGN.md §3.3):
 * - the driver (`Icmsg.ts`) *observes* shared memory (handshake words, the first packet, a
 *   session change) in exactly the order `icmsg.c` reads it, and sends what it saw as an event;
 * - the machine *decides*: guards pick the transition, `assign` keeps the session ids;
 * - named actions *act*: every write to shared memory, doorbell, state store and user callback is
 *   an action the backend provides (`machine.provide`), listed in the order Zephyr performs them.
 *
 * `setState` stores the backend's `atomic_t state` (what `icmsg_send()` reads). It sits in each
 * transition exactly where Zephyr's `atomic_set` is: in disable mode `bound()` runs *before* the
 * state becomes CONNECTED_SID_DISABLED (so a send from inside `bound()` gets -EBUSY), in enable
 * mode after.
 *
 * The pass actions steer the current `callback_process()` pass: `passNotify` rings the peer when
 * the pass ends, `passRerun` asks for another pass, `passBreak` ends the pass normally (notifying
 * if asked) and `passReturn` returns at once (`return false`: no doorbell).
 *
 *             OPEN (disable)                     MAGIC_RECEIVED
 *   OFF ─────────────────> INITIALIZING_SID_DISABLED ───────────> CONNECTED_SID_DISABLED
 *    │  OPEN (enable)                      ▲ PEER_IS_V10
 *    ├─────────> INITIALIZING_SID_ENABLED  │        HANDSHAKE (my session acknowledged)
 *    │  OPEN (detect)        │  ───────────┼────────────────────────> CONNECTED_SID_ENABLED
 *    └─────────> INITIALIZING_SID_DETECT ──┘                                  │ SESSION_CHANGED
 *   CLOSE: any state → OFF                                                    ▼
 *   OPEN (enable/detect): any state → INITIALIZING_* (no -EALREADY)     DISCONNECTED
 */
import { and, assign, setup } from 'xstate';
import type { Errno } from '../../errno';
import { type IcmsgState, localSidAckFromTx, SID_DISCONNECTED, type UnboundMode } from './icmsgWire';

export interface IcmsgMachineContext {
  /** `conf->unbound_mode`, from devicetree. */
  readonly mode: UnboundMode;
  /** My session id (ICMsg 1.1); 0 = none. */
  readonly localSid: number;
  /** The peer's session id I acknowledged; 0 = none. */
  readonly remoteSid: number;
  /** `pbuf_rx_init` succeeds on this layout (validate_cfg). */
  readonly rxValid: boolean;
  /** `pbuf_tx_init` succeeds on this layout. */
  readonly txValid: boolean;
  /** After `pbuf_tx_init`, the 13-byte magic fits in the TX FIFO (a data[] of 24 bytes or more). */
  readonly txHoldsMagic: boolean;
}

export type IcmsgMachineInput = Omit<IcmsgMachineContext, 'localSid' | 'remoteSid'>;

export type IcmsgEvent =
  /** `icmsg_open()`. `ackWord`/`sidWord`: the TX handshake word as its two reads saw it (1.1 only). */
  | { readonly type: 'OPEN'; readonly ackWord: number; readonly sidWord: number }
  /** The doorbell at the end of `icmsg_open()` could not be sent. */
  | { readonly type: 'OPEN_FAILED'; readonly error: Errno }
  /** `icmsg_close()`. */
  | { readonly type: 'CLOSE' }
  /** Detect mode: the peer's first packet is exactly the magic, so the peer speaks ICMsg 1.0. */
  | { readonly type: 'PEER_IS_V10' }
  /** The TX handshake word while initializing: the peer's session request and its acknowledge. */
  | { readonly type: 'HANDSHAKE'; readonly req: number; readonly ack: number }
  /** INITIALIZING_SID_DISABLED: the first packet arrived; `valid` when it starts with the magic. */
  | { readonly type: 'MAGIC_RECEIVED'; readonly valid: boolean }
  /** CONNECTED_SID_ENABLED: the peer's session request no longer matches (it closed or reset). */
  | { readonly type: 'SESSION_CHANGED'; readonly req: number };

export type IcmsgEventType = IcmsgEvent['type'];

/** The first session id after `sid` that is neither 0 nor `ack` (`icmsg_open`). */
export function nextLocalSid(sid: number, ack: number): number {
  let next = sid;
  do {
    next = (next + 1) & 0xffff;
  } while (next === ack || next === SID_DISCONNECTED);
  return next;
}

const setState = (state: IcmsgState) => ({ type: 'setState', params: { state } }) as const;
const assertFailed = (message: string) => ({ type: 'assertFailed', params: { message } }) as const;
const callError = (message: string) => ({ type: 'callError', params: { message } }) as const;

/** The handshake logic of INITIALIZING_SID_ENABLED, which detect mode falls through to. */
const handshakeTransitions = [
  {
    guard: and(['newRemoteSession', 'txInvalid']),
    target: 'DISCONNECTED',
    actions: [
      callError('Incorrect Tx configuration'),
      assertFailed('Incorrect Tx configuration'),
      setState('DISCONNECTED'),
      'passReturn',
    ],
    description: "pbuf_tx_init() fails while accepting the peer's session",
  },
  {
    guard: 'newRemoteSessionAndAcked',
    target: 'CONNECTED_SID_ENABLED',
    actions: [
      'txInit',
      'acceptRemoteSession',
      'writeRxHandshake',
      'passNotify',
      setState('CONNECTED_SID_ENABLED'),
      'callBound',
      'passRerun',
      'passNotify',
    ],
    description:
      "accept the peer's new session (reset my TX FIFO, acknowledge it); it already acknowledged mine: bound",
  },
  {
    guard: 'newRemoteSession',
    actions: ['txInit', 'acceptRemoteSession', 'writeRxHandshake', 'passNotify'],
    description: "accept the peer's new session: reset my TX FIFO and acknowledge it",
  },
  {
    guard: 'localSessionAcked',
    target: 'CONNECTED_SID_ENABLED',
    actions: [setState('CONNECTED_SID_ENABLED'), 'callBound', 'passRerun', 'passNotify'],
    description: 'the peer acknowledged my session: bound (state first, then bound())',
  },
] as const;

/** `icmsg_open()` in Zephyr's order: the state, `pbuf_rx_init`, then the session or the magic. */
const openActions = {
  DISABLE: [setState('INITIALIZING_SID_DISABLED'), 'rxInit', 'initializeTxWithSidDisabled'],
  ENABLE: [setState('INITIALIZING_SID_ENABLED'), 'rxInit', 'requestSession', 'writeRxHandshake'],
  DETECT: [setState('INITIALIZING_SID_DETECT'), 'rxInit', 'requestSession', 'writeRxHandshake'],
} as const;

const rxInvalidOpen = {
  guard: 'rxInvalid',
  target: 'OFF',
  actions: [
    assertFailed('Incorrect Rx configuration'),
    setState('OFF'),
    { type: 'failOpen', params: { error: 'EINVAL' } },
  ],
  description: 'pbuf_rx_init() -EINVAL (a handshake word needs dcache-alignment >= 8)',
} as const;

export const icmsgMachine = setup({
  types: {
    context: {} as IcmsgMachineContext,
    events: {} as IcmsgEvent,
    input: {} as IcmsgMachineInput,
  },
  actions: {
    /** `atomic_set(&dev_data->state, …)`: what `icmsg_send()` and the next pass see. */
    setState: (_, _params: { state: IcmsgState }) => undefined,
    /** `pbuf_tx_init` + write the magic, asserting on failure (`initialize_tx_with_sid_disabled`). */
    initializeTxWithSidDisabled: () => undefined,
    /** `pbuf_tx_init(tx)`: reset my TX FIFO for the peer's new session. */
    txInit: () => undefined,
    /**
     * `pbuf_rx_init(rx)`: my local copies of the RX indices back to 0 (shared memory untouched).
     * A re-open after unbound must not resume reading where the old session stopped.
     */
    rxInit: () => undefined,
    /** `pbuf_handshake_write(rx, MAKE_RX_HANDSHAKE(local_sid, remote_sid))`. */
    writeRxHandshake: () => undefined,
    /** `pbuf_handshake_write(rx, 0)`: no session. */
    clearRxHandshake: () => undefined,
    /** `mbox_init()` (only a build that allows `enable` or `detect` does it; see Icmsg.ts). */
    mboxInit: () => undefined,
    mboxDeinit: () => undefined,
    /** The doorbell at the end of `icmsg_open()`. */
    notifyOpen: () => undefined,
    /** The doorbell in `icmsg_close()`. */
    notifyClose: () => undefined,
    callBound: () => undefined,
    callUnbound: () => undefined,
    callError: (_, _params: { message: string }) => undefined,
    assertFailed: (_, _params: { message: string }) => undefined,
    passNotify: () => undefined,
    passRerun: () => undefined,
    passBreak: () => undefined,
    passReturn: () => undefined,
    /** The packet read in this pass is discarded: the session changed under it. */
    dropPacket: () => undefined,
    rejectAlreadyOpen: () => undefined,
    failOpen: (_, _params: { error: Errno }) => undefined,
    requestSession: assign(({ event }) => {
      if (event.type !== 'OPEN') return {};
      // As coded in icmsg.c: both the acknowledge and the base id come from the *TX* word.
      return {
        remoteSid: SID_DISCONNECTED,
        localSid: nextLocalSid(event.sidWord & 0xffff, localSidAckFromTx(event.ackWord)),
      };
    }),
    acceptRemoteSession: assign(({ event }) => (event.type === 'HANDSHAKE' ? { remoteSid: event.req } : {})),
  },
  guards: {
    modeDisable: ({ context }) => context.mode === 'DISABLE',
    modeEnable: ({ context }) => context.mode === 'ENABLE',
    sessionAware: ({ context }) => context.mode !== 'DISABLE',
    rxInvalid: ({ context }) => !context.rxValid,
    txInvalid: ({ context }) => !context.txValid,
    txCannotHoldMagic: ({ context }) => !context.txValid || !context.txHoldsMagic,
    /** The peer requests a session I have not acknowledged yet. */
    newRemoteSession: ({ context, event }) =>
      event.type === 'HANDSHAKE' && event.req !== context.remoteSid && event.req !== SID_DISCONNECTED,
    /** … and it has already acknowledged mine, so both checks of the pass succeed. */
    newRemoteSessionAndAcked: ({ context, event }) =>
      event.type === 'HANDSHAKE' &&
      event.req !== context.remoteSid &&
      event.req !== SID_DISCONNECTED &&
      event.ack === context.localSid,
    /** The peer acknowledged my session and I know its session. */
    localSessionAcked: ({ context, event }) =>
      event.type === 'HANDSHAKE' && event.ack === context.localSid && context.remoteSid !== SID_DISCONNECTED,
    magicValid: ({ event }) => event.type === 'MAGIC_RECEIVED' && event.valid,
  },
}).createMachine({
  id: 'icmsg',
  description: 'Zephyr ICMsg (lib/icmsg.c, 4.1+): bind handshake, session ids and unbound detection.',
  initial: 'OFF',
  context: ({ input }) => ({ ...input, localSid: SID_DISCONNECTED, remoteSid: SID_DISCONNECTED }),
  on: {
    OPEN: [
      { guard: 'modeDisable', actions: 'rejectAlreadyOpen', description: 'disable mode: -EALREADY unless OFF' },
      { ...rxInvalidOpen, target: '.OFF' },
      {
        guard: 'modeEnable',
        target: '.INITIALIZING_SID_ENABLED',
        actions: [...openActions.ENABLE, 'notifyOpen'],
        description: 're-open (after unbound): a new session id; the mailbox stays as it is',
      },
      { target: '.INITIALIZING_SID_DETECT', actions: [...openActions.DETECT, 'notifyOpen'] },
    ],
    OPEN_FAILED: {
      target: '.OFF',
      actions: [assertFailed('Cannot send mbox notification'), setState('OFF')],
    },
    CLOSE: [
      {
        guard: 'sessionAware',
        target: '.OFF',
        actions: ['clearRxHandshake', 'notifyClose', setState('OFF'), 'mboxDeinit'],
      },
      { target: '.OFF', actions: ['notifyClose', setState('OFF'), 'mboxDeinit'] },
    ],
  },
  states: {
    OFF: {
      description: 'Closed: doorbells are ignored and send() returns -EBUSY.',
      on: {
        OPEN: [
          rxInvalidOpen,
          {
            guard: 'modeDisable',
            target: 'INITIALIZING_SID_DISABLED',
            actions: [...openActions.DISABLE, 'mboxInit', 'notifyOpen'],
          },
          {
            guard: 'modeEnable',
            target: 'INITIALIZING_SID_ENABLED',
            actions: [...openActions.ENABLE, 'mboxInit', 'notifyOpen'],
          },
          { target: 'INITIALIZING_SID_DETECT', actions: [...openActions.DETECT, 'mboxInit', 'notifyOpen'] },
        ],
        CLOSE: [
          { guard: 'sessionAware', target: 'OFF', actions: ['clearRxHandshake', 'notifyClose', setState('OFF')] },
          { target: 'OFF', actions: ['notifyClose', setState('OFF')] },
        ],
      },
    },
    INITIALIZING_SID_DISABLED: {
      description: "ICMsg 1.0: my magic is written; waiting for the peer's.",
      on: {
        MAGIC_RECEIVED: [
          {
            guard: 'magicValid',
            target: 'CONNECTED_SID_DISABLED',
            actions: ['callBound', setState('CONNECTED_SID_DISABLED'), 'passNotify'],
            description: 'bound() runs before the state changes, so send() inside bound() gets -EBUSY',
          },
          { actions: [assertFailed('first packet is not the magic'), 'passReturn'] },
        ],
      },
    },
    INITIALIZING_SID_ENABLED: {
      description: "ICMsg 1.1: my session id is requested; waiting for the peer's request and acknowledge.",
      on: { HANDSHAKE: [...handshakeTransitions] },
    },
    INITIALIZING_SID_DETECT: {
      description: 'The peer may speak 1.0 or 1.1: a first packet that is exactly the magic means 1.0.',
      on: {
        PEER_IS_V10: [
          {
            guard: 'txCannotHoldMagic',
            target: 'OFF',
            actions: [
              'initializeTxWithSidDisabled',
              callError('Incorrect Tx configuration'),
              assertFailed('Incorrect Tx configuration'),
              setState('OFF'),
              'passReturn',
            ],
          },
          {
            target: 'INITIALIZING_SID_DISABLED',
            actions: [
              'initializeTxWithSidDisabled',
              'passNotify',
              'passRerun',
              setState('INITIALIZING_SID_DISABLED'),
              'passBreak',
            ],
            description: 'fall back to the 1.0 magic exchange',
          },
        ],
        HANDSHAKE: [...handshakeTransitions],
      },
    },
    DISCONNECTED: {
      description:
        'The peer closed or restarted: unbound() was called. Doorbells are ignored; send() drops the data and returns len.',
    },
    CONNECTED_SID_DISABLED: {
      description: 'Bound (ICMsg 1.0): a reset of the peer cannot be detected.',
    },
    CONNECTED_SID_ENABLED: {
      description: 'Bound (ICMsg 1.1): each pass checks that the peer still requests the same session.',
      on: {
        SESSION_CHANGED: {
          target: 'DISCONNECTED',
          actions: ['dropPacket', setState('DISCONNECTED'), 'callUnbound', 'passReturn'],
          description: 'the packet read in this pass is dropped',
        },
      },
    },
  },
});

export type IcmsgMachine = typeof icmsgMachine;
