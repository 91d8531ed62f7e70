import { describe, expect, it } from 'vitest';
import { instanceTransition } from './icbmsgInstanceMachine';

describe("an ICBMsg instance's machine", () => {
  it('opens, then is bound when its control link is', () => {
    expect(instanceTransition('INITIALIZED', { type: 'OPEN' })).toBe('OPENING');
    expect(instanceTransition('OPENING', { type: 'CONTROL_BOUND' })).toBe('CONTROL_BOUNDED');
  });

  it('goes back to INITIALIZED when the open fails, and ignores events that do not apply', () => {
    expect(instanceTransition('OPENING', { type: 'OPEN_FAILED' })).toBe('INITIALIZED');
    expect(instanceTransition('INITIALIZED', { type: 'CONTROL_BOUND' })).toBeNull();
    // No close_instance in legacy ICBMsg: a bound instance stays bound.
    expect(instanceTransition('CONTROL_BOUNDED', { type: 'OPEN' })).toBeNull();
  });
});
