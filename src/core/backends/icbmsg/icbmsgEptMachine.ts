/**
 * An ICBMsg endpoint's binding as an XState machine with Zephyr's names (`ipc_icbmsg.c`): two
 * parallel regions, as Zephyr keeps two atomics per endpoint.
 *
 *   bounding:  EPT_UNCONFIGURED ─REGISTER─▶ EPT_CONFIGURED ─SEND_BOUND─▶ EPT_BOUNDING (initiator)
 *                                              │ MATCHED (follower: its name came in MSG_BOUND)
 *                                              ▼                              │ PEER_TRAFFIC
 *                                          EPT_READY ◀────────────────────────┘ (MSG_RELEASE_BOUND or data)
 *              EPT_BOUNDING ─BOUND_FAILED─▶ EPT_UNCONFIGURED   ─NO_BLOCKS─▶ EPT_CONFIGURED (waits for blocks)
 *   rebound:   EPT_NORMAL ─DEREGISTER─▶ EPT_DEREGISTERED ─REGISTER_AGAIN─▶ EPT_REBOUNDING ─REBOUND─▶ EPT_NORMAL
 *
 * `bound` is the action that calls the endpoint's `bound()`. The backend keeps the two states as
 * plain data and asks the machine for each transition (`eptTransition`), so snapshots stay data.
 */
import { setup, transition } from 'xstate';

export type IcbmsgEptEvent =
  | { readonly type: 'REGISTER' }
  | { readonly type: 'SEND_BOUND' }
  | { readonly type: 'NO_BLOCKS' }
  | { readonly type: 'BOUND_FAILED' }
  | { readonly type: 'MATCHED' }
  | { readonly type: 'PEER_TRAFFIC' }
  | { readonly type: 'DEREGISTER' }
  | { readonly type: 'REGISTER_AGAIN' }
  | { readonly type: 'REBOUND' };

export const EPT_STATES = ['EPT_UNCONFIGURED', 'EPT_CONFIGURED', 'EPT_BOUNDING', 'EPT_READY'] as const;
export const EPT_REBOUND_STATES = ['EPT_NORMAL', 'EPT_DEREGISTERED', 'EPT_REBOUNDING'] as const;
export type EptState = (typeof EPT_STATES)[number];
export type EptReboundState = (typeof EPT_REBOUND_STATES)[number];

export const icbmsgEptMachine = setup({
  types: { events: {} as IcbmsgEptEvent },
  actions: {
    // Run by the backend from the transition's result: it calls the endpoint's bound().
    bound: () => undefined,
  },
}).createMachine({
  id: 'icbmsg-ept',
  type: 'parallel',
  states: {
    bounding: {
      initial: 'EPT_UNCONFIGURED',
      states: {
        EPT_UNCONFIGURED: { on: { REGISTER: 'EPT_CONFIGURED' } },
        EPT_CONFIGURED: {
          on: { SEND_BOUND: 'EPT_BOUNDING', MATCHED: { target: 'EPT_READY', actions: 'bound' } },
        },
        EPT_BOUNDING: {
          on: {
            PEER_TRAFFIC: { target: 'EPT_READY', actions: 'bound' },
            BOUND_FAILED: 'EPT_UNCONFIGURED',
            NO_BLOCKS: 'EPT_CONFIGURED',
          },
        },
        EPT_READY: {},
      },
    },
    rebound: {
      initial: 'EPT_NORMAL',
      states: {
        EPT_NORMAL: { on: { DEREGISTER: 'EPT_DEREGISTERED' } },
        EPT_DEREGISTERED: { on: { REGISTER_AGAIN: 'EPT_REBOUNDING' } },
        EPT_REBOUNDING: { on: { REBOUND: { target: 'EPT_NORMAL', actions: 'bound' } } },
      },
    },
  },
});

export interface EptMachineState {
  readonly state: EptState;
  readonly rebound: EptReboundState;
}

/**
 * What the machine does with `event` in `from`: the new states and whether `bound()` must be
 * called, or null when the event does not apply there (Zephyr's `atomic_cas` failing).
 */
export function eptTransition(
  from: EptMachineState,
  event: IcbmsgEptEvent,
): { readonly to: EptMachineState; readonly bound: boolean } | null {
  const snapshot = icbmsgEptMachine.resolveState({
    value: { bounding: from.state, rebound: from.rebound },
    context: {},
  });
  const [next, actions] = transition(icbmsgEptMachine, snapshot, event);
  const value = next.value;
  const to: EptMachineState = { state: value.bounding, rebound: value.rebound };
  if (to.state === from.state && to.rebound === from.rebound) return null;
  return { to, bound: actions.some((a) => a.type === 'bound') };
}
