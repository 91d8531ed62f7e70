import { describe, expect, it } from 'vitest';
import { buildWorld } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { icmsgScenario } from '../scenario/presets/icmsg';
import { Timeline } from '../sim/Timeline';
import type { TraceEvent } from './events';
import { MessageIds } from './Tracer';

function run(seekBackTo?: number) {
  const parsed = parseScenario(
    icmsgScenario({
      unbound: 'enable',
      dcacheAlignment: 8,
      regionSize: 256,
      app: { kind: 'pingpong', size: 12, count: 5, pauseUs: 5 },
      rad: { kind: 'echo' },
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  const timeline = new Timeline(built.value.sim, { snapshotEvery: 5 });
  timeline.run();
  if (seekBackTo !== undefined) {
    const end = timeline.step;
    timeline.seek(seekBackTo);
    timeline.seek(end);
  }
  return built.value.sim.trace.events;
}

/** Every message read from shared memory, paired with the write that published it. */
function pairs(events: readonly TraceEvent[]) {
  const written = new Set<number>();
  const read: (number | null)[] = [];
  for (const e of events) {
    if (e.kind === 'packet-written') written.add(e.msgId);
    if (e.kind === 'packet-read') read.push(e.msgId);
  }
  return { written, read };
}

describe('message ids follow a message from its write to its read', () => {
  it('every packet read in a run carries the id its write was given (magic and data alike)', () => {
    const { written, read } = pairs(run());
    expect(read.length).toBeGreaterThanOrEqual(10);
    for (const id of read) expect(id !== null && written.has(id)).toBe(true);
  });

  it('still after the region is re-initialised and after the run is rewound and replayed', () => {
    const straight = run();
    const replayed = run(7);
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(straight));
    for (const id of pairs(replayed).read) expect(id).not.toBeNull();
  });

  it('a kept slots map sees what restore puts back', () => {
    const ids = new MessageIds();
    const kept = ids.slots('r');
    const id = ids.published('r', 8);
    const saved = ids.snapshot();
    ids.forget('r');
    expect(kept.size).toBe(0);
    ids.restore(saved);
    expect(kept.get(8)).toBe(id);
  });
});
