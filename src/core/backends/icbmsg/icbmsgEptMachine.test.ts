import { describe, expect, it } from 'vitest';
import { eptTransition } from './icbmsgEptMachine';

const at = (state: string, rebound = 'EPT_NORMAL') => ({ state, rebound }) as Parameters<typeof eptTransition>[0];

describe("an ICBMsg endpoint's binding machine", () => {
  it('binds on the initiator: CONFIGURED → BOUNDING on sending the name, READY with bound() on the reply', () => {
    expect(eptTransition(at('EPT_UNCONFIGURED'), { type: 'REGISTER' })).toEqual({
      to: at('EPT_CONFIGURED'),
      bound: false,
    });
    expect(eptTransition(at('EPT_CONFIGURED'), { type: 'SEND_BOUND' })).toEqual({
      to: at('EPT_BOUNDING'),
      bound: false,
    });
    expect(eptTransition(at('EPT_BOUNDING'), { type: 'PEER_TRAFFIC' })).toEqual({ to: at('EPT_READY'), bound: true });
  });

  it('binds on the follower in one step when its name arrives', () => {
    expect(eptTransition(at('EPT_CONFIGURED'), { type: 'MATCHED' })).toEqual({ to: at('EPT_READY'), bound: true });
  });

  it('refuses what does not apply (a CAS that fails): traffic on a READY endpoint changes nothing', () => {
    expect(eptTransition(at('EPT_READY'), { type: 'PEER_TRAFFIC' })).toBeNull();
    expect(eptTransition(at('EPT_READY', 'EPT_DEREGISTERED'), { type: 'DEREGISTER' })).toBeNull();
  });

  it('deregisters and rebounds locally, calling bound() again', () => {
    expect(eptTransition(at('EPT_READY'), { type: 'DEREGISTER' })).toEqual({
      to: at('EPT_READY', 'EPT_DEREGISTERED'),
      bound: false,
    });
    expect(eptTransition(at('EPT_READY', 'EPT_DEREGISTERED'), { type: 'REGISTER_AGAIN' })?.to).toEqual(
      at('EPT_READY', 'EPT_REBOUNDING'),
    );
    expect(eptTransition(at('EPT_READY', 'EPT_REBOUNDING'), { type: 'REBOUND' })).toEqual({
      to: at('EPT_READY'),
      bound: true,
    });
  });
});
