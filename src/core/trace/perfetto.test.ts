/** The Chrome trace-event export (ui.perfetto.dev): channel tasks as threads with their states. */
import { describe, expect, it } from 'vitest';
import { CHANNELS_CLIENT_SERVER } from '../scenario/presets/channels';
import { scenarioWorld } from '../scenario/testWorld';
import { toPerfetto } from './perfetto';

describe('toPerfetto', () => {
  it('gives each channel task a thread: its states as slices, messages and replies as flows', () => {
    const w = scenarioWorld(CHANNELS_CLIENT_SERVER);
    w.sim.run({ maxSteps: 100_000, maxTimeNs: 1e9 });
    const { traceEvents } = toPerfetto(w.sim.trace.events);
    const threads = traceEvents.filter((e) => e.name === 'thread_name' && (e.tid ?? 0) >= 100);
    expect(threads.map((e) => e.args?.['name'])).toEqual(['task fs', 'task ui', 'task log', 'task timer']);
    const fs = threads[0]?.tid;
    const slices = traceEvents.filter((e) => e.ph === 'X' && e.tid === fs && e.cat === 'channel-state');
    expect(slices[0]?.name).toBe('RUNNING');
    expect(slices.map((e) => e.name)).toContain('RECEIVE_BLOCKED fs');
    // One state ends where the next begins: the slices tile the task's life.
    for (let k = 0; k + 1 < slices.length; k++) {
      const a = slices[k];
      const b = slices[k + 1];
      if (a?.ts !== undefined && a.dur !== undefined && b?.ts !== undefined && a.dur > 0.001)
        expect(a.ts + a.dur).toBeCloseTo(b.ts, 6);
    }
    // Every flow that starts ends on another task's thread: 20 calls and 20 replies.
    const starts = traceEvents.filter((e) => e.ph === 's' && e.cat === 'message');
    const ends = new Map(traceEvents.filter((e) => e.ph === 'f').map((e) => [e.id, e]));
    expect(starts.filter((e) => e.name.startsWith('message'))).toHaveLength(20);
    expect(starts.filter((e) => e.name.startsWith('reply'))).toHaveLength(20);
    for (const s of starts) expect(ends.get(s.id)?.tid).not.toBe(s.tid);
  });
});
