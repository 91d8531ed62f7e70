import { describe, expect, it } from 'vitest';
import { icbmsgEptMachine, icmsgLegacyMachine, icmsgMachine } from '../../../core';
import { machineGraph } from './machineGraph';

describe('the statechart graph of a backend machine', () => {
  const graph = machineGraph(icmsgMachine);

  it("has exactly ICMsg's states, with Zephyr's names, OFF first", () => {
    expect(graph.states.map((s) => s.name)).toEqual([
      'OFF',
      'INITIALIZING_SID_DISABLED',
      'INITIALIZING_SID_ENABLED',
      'INITIALIZING_SID_DETECT',
      'DISCONNECTED',
      'CONNECTED_SID_DISABLED',
      'CONNECTED_SID_ENABLED',
    ]);
    expect(graph.states.find((s) => s.initial)?.name).toBe('OFF');
  });

  it('layers each state below every state that leads to it (the longest path from OFF)', () => {
    const rank = new Map(graph.states.map((s) => [s.name, s.rank]));
    expect(rank.get('OFF')).toBe(0);
    expect(rank.get('INITIALIZING_SID_ENABLED')).toBe(1);
    expect(rank.get('INITIALIZING_SID_DETECT')).toBe(1);
    // Detect mode falls back to 1.0 (PEER_IS_V10), so the 1.0 path sits a layer lower.
    expect(rank.get('INITIALIZING_SID_DISABLED')).toBe(2);
    expect(rank.get('CONNECTED_SID_ENABLED')).toBe(2);
    expect(rank.get('CONNECTED_SID_DISABLED')).toBe(3);
    expect(rank.get('DISCONNECTED')).toBe(3);
  });

  it('puts each state under the state it comes from when it can', () => {
    const at = new Map(graph.states.map((s) => [s.name, s.row]));
    expect(at.get('CONNECTED_SID_DISABLED')).toBe(at.get('INITIALIZING_SID_DISABLED'));
    expect(at.get('DISCONNECTED')).toBe(at.get('CONNECTED_SID_ENABLED'));
  });

  it('draws one edge per source and target, naming every event that takes it', () => {
    const edge = graph.edges.find((e) => e.from === 'INITIALIZING_SID_ENABLED' && e.to === 'CONNECTED_SID_ENABLED');
    expect(edge?.events).toEqual(['HANDSHAKE']);
    expect(graph.edges.find((e) => e.from === 'CONNECTED_SID_ENABLED')?.to).toBe('DISCONNECTED');
  });

  it('lists what the machine does in any state (root-level CLOSE to OFF, OPEN to INITIALIZING_*) apart', () => {
    expect(graph.anyState.find((e) => e.to === 'OFF')?.events).toContain('CLOSE');
    expect(graph.anyState.find((e) => e.to === 'INITIALIZING_SID_ENABLED')?.events).toEqual(['OPEN']);
    expect(graph.edges.some((e) => e.from === '*')).toBe(false);
  });

  it('draws the 3.6 machine too (OFF, BUSY, READY)', () => {
    expect(machineGraph(icmsgLegacyMachine).states.map((s) => s.name)).toEqual(['OFF', 'BUSY', 'READY']);
  });

  it('draws a parallel machine (an ICBMsg endpoint) as its regions side by side, each from its initial state', () => {
    const g = machineGraph(icbmsgEptMachine);
    expect(g.regions).toEqual([
      ['EPT_UNCONFIGURED', 'EPT_CONFIGURED', 'EPT_BOUNDING', 'EPT_READY'],
      ['EPT_NORMAL', 'EPT_DEREGISTERED', 'EPT_REBOUNDING'],
    ]);
    const at = new Map(g.states.map((st) => [st.name, st]));
    expect(at.get('EPT_UNCONFIGURED')).toMatchObject({ rank: 0, initial: true });
    expect(at.get('EPT_READY')?.rank).toBe(3);
    expect(at.get('EPT_NORMAL')).toMatchObject({ rank: 0, initial: true });
    // The second region stands to the right of the first.
    const firstWidth = Math.max(...(g.regions[0] ?? []).map((n) => (at.get(n)?.row ?? 0) + 1));
    expect(at.get('EPT_NORMAL')?.row).toBeGreaterThanOrEqual(firstWidth);
    expect(g.edges.find((e) => e.from === 'EPT_REBOUNDING')).toMatchObject({ to: 'EPT_NORMAL', events: ['REBOUND'] });
  });
});
