/**
 * An ICBMsg instance's life as an XState machine (`ipc_icbmsg.c`): `backend_init` leaves it
 * INITIALIZED; `open()` opens the ICMsg control link (OPENING: the link's own handshake runs, drawn
 * by the ICMsg machine of `<node>/control`); its `bound()` sets CONTROL_BOUNDED, after which
 * endpoints may bind. Legacy ICBMsg has no `close_instance` (the hook is NULL): a bound instance
 * stays bound until its core resets.
 *
 *   INITIALIZED ─OPEN─▶ OPENING ─CONTROL_BOUND─▶ CONTROL_BOUNDED
 *        ▲                 │ OPEN_FAILED
 *        └─────────────────┘
 *
 * The backend keeps the state as plain data and asks the machine for each move
 * (`instanceTransition`), so snapshots stay data.
 */
import { setup, transition } from 'xstate';

export type IcbmsgInstanceEvent =
  { readonly type: 'OPEN' } | { readonly type: 'OPEN_FAILED' } | { readonly type: 'CONTROL_BOUND' };

export const ICBMSG_INSTANCE_STATES = ['INITIALIZED', 'OPENING', 'CONTROL_BOUNDED'] as const;
export type IcbmsgInstanceState = (typeof ICBMSG_INSTANCE_STATES)[number];

export const icbmsgInstanceMachine = setup({
  types: { events: {} as IcbmsgInstanceEvent },
}).createMachine({
  id: 'icbmsg',
  initial: 'INITIALIZED',
  states: {
    INITIALIZED: { on: { OPEN: 'OPENING' } },
    OPENING: { on: { CONTROL_BOUND: 'CONTROL_BOUNDED', OPEN_FAILED: 'INITIALIZED' } },
    CONTROL_BOUNDED: {},
  },
});

/** The state `event` leads to from `from`, or null when it does not apply there. */
export function instanceTransition(from: IcbmsgInstanceState, event: IcbmsgInstanceEvent): IcbmsgInstanceState | null {
  const snapshot = icbmsgInstanceMachine.resolveState({ value: from, context: {} });
  const [next] = transition(icbmsgInstanceMachine, snapshot, event);
  const to = next.value;
  return to === from ? null : to;
}
