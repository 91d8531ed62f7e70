/**
 * ICMsg as Zephyr 3.6–4.0 shipped it ("ICMsg 1.0" with a repeated bind doorbell), from that
 * era's `lib/icmsg.c`: states OFF, BUSY and READY, no sessions. Drawn and run like `icmsgMachine`:
 * the driver (`IcmsgLegacy.ts`) observes, the machine decides, provided actions act.
 *
 *          OPEN                         MAGIC_RECEIVED
 *   OFF ─────────> BUSY ──────────────────────────────> READY
 *                   │ ▲ BOND_NOTIFY: ring the peer again,        │ BOND_NOTIFY: ring once more,
 *                   └─┘ re-arm the timer (every REPEAT_TO_MS)    │ stop repeating
 *   CLOSE: any state → OFF (no doorbell: the peer cannot notice)
 *
 * Open cannot fail back to OFF: a failed pbuf init returns the error and leaves the state BUSY,
 * as that code did.
 */
import { setup } from 'xstate';
import type { IcmsgLegacyState } from './icmsgWire';

export type IcmsgLegacyEvent =
  | { readonly type: 'OPEN' }
  | { readonly type: 'CLOSE' }
  /** A packet arrived while BUSY; `valid` when it starts with the magic. */
  | { readonly type: 'MAGIC_RECEIVED'; readonly valid: boolean }
  /** The delayable `notify_work` ran. */
  | { readonly type: 'BOND_NOTIFY' };

const setState = (state: IcmsgLegacyState) => ({ type: 'setState', params: { state } }) as const;

export const icmsgLegacyMachine = setup({
  types: { events: {} as IcmsgLegacyEvent },
  actions: {
    setState: (_, _params: { state: IcmsgLegacyState }) => undefined,
    /** tx init, rx init, write the magic, mailbox init, schedule `notify_work` now; stops at the first failure. */
    openSequence: () => undefined,
    /** `mbox_deinit()`: disable RX, cancel the processing and the notify work. */
    mboxDeinit: () => undefined,
    rejectAlreadyOpen: () => undefined,
    ringPeer: () => undefined,
    scheduleBondNotify: () => undefined,
    callBound: () => undefined,
    assertFailed: (_, _params: { message: string }) => undefined,
  },
  guards: {
    magicValid: ({ event }) => event.type === 'MAGIC_RECEIVED' && event.valid,
  },
}).createMachine({
  id: 'icmsg-3.6',
  description: 'Zephyr ICMsg as shipped in 3.6-4.0: magic exchange, the bind doorbell repeated until READY.',
  initial: 'OFF',
  on: {
    OPEN: { actions: 'rejectAlreadyOpen', description: '-EALREADY unless OFF' },
    CLOSE: {
      target: '.OFF',
      actions: ['mboxDeinit', setState('OFF')],
      description: 'no doorbell: the peer cannot notice',
    },
    BOND_NOTIFY: { actions: 'ringPeer' },
  },
  states: {
    OFF: {
      description: 'Closed.',
      on: {
        OPEN: { target: 'BUSY', actions: [setState('BUSY'), 'openSequence'] },
        CLOSE: { target: 'OFF', actions: ['mboxDeinit', setState('OFF')] },
      },
    },
    BUSY: {
      description: 'My magic is written; ringing the peer every BOND_NOTIFY_REPEAT_TO_MS until its magic arrives.',
      on: {
        BOND_NOTIFY: { actions: ['ringPeer', 'scheduleBondNotify'], description: 'ring again and re-arm the timer' },
        MAGIC_RECEIVED: [
          {
            guard: 'magicValid',
            target: 'READY',
            actions: ['callBound', setState('READY')],
            description: 'bound() before the state changes',
          },
          { actions: { type: 'assertFailed', params: { message: 'first packet is not the magic' } } },
        ],
      },
    },
    READY: {
      description: 'Bound: data flows; send() works.',
    },
  },
});

export type IcmsgLegacyMachine = typeof icmsgLegacyMachine;
