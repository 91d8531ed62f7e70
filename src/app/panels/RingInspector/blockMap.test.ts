import { describe, expect, it } from 'vitest';
import { ICBMSG_THREE_ENDPOINTS, ICMSG_HELLO, type ScenarioInput } from '../../../core';
import { DebugSession } from '../../debug/DebugSession';
import { blockCells } from './BlockMap';

function session(input: ScenarioInput): DebugSession {
  const created = DebugSession.create(input, () => () => undefined);
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

/** The three-endpoint demo run until the application core has a message in its TX blocks. */
function untilFirstMessage() {
  const s = session(ICBMSG_THREE_ENDPOINTS);
  const rt = s.inline;
  if (!rt) throw new Error('inline');
  const region = s.regions.find((r) => r.name === 'sram_app_to_rad');
  if (!region) throw new Error('region');
  rt.runUntil(() => {
    s.sync();
    const cells = blockCells(s, region);
    return typeof cells !== 'string' && cells.some((c) => c.owner?.use === 'data');
  });
  s.sync();
  return { s, rt, region };
}

describe('the ICBMsg block map', () => {
  it("shows the sender's blocks: a message of an endpoint while in flight, all free at the end", () => {
    const { s, rt, region } = untilFirstMessage();
    const cells = blockCells(s, region);
    if (typeof cells === 'string') throw new Error(cells);
    const data = cells.find((c) => c.owner?.use === 'data');
    expect(data?.owner).toMatchObject({ use: 'data', first: data?.index });
    expect(['hci', 'app', 'log']).toContain(data?.owner?.endpoint);
    rt.runUntil(() => false, { maxSteps: 200_000 });
    s.sync();
    const end = blockCells(s, region);
    expect(typeof end !== 'string' && end.every((c) => c.owner === null)).toBe(true);
  });

  it("agrees with the sender's own bitmap and owners after every decision of a run", () => {
    const s = session(ICBMSG_THREE_ENDPOINTS);
    const rt = s.inline;
    if (!rt) throw new Error('inline');
    const regions = s.regions.filter((r) => r.backend === 'icbmsg');
    expect(regions.length).toBe(2);
    let checked = 0;
    rt.runUntil(
      () => {
        s.sync();
        for (const region of regions) {
          const writer = region.writer ? rt.world.instances.get(region.writer)?.icbmsg : undefined;
          if (!writer) throw new Error('writer');
          const cells = blockCells(s, region);
          if (typeof cells === 'string') throw new Error(cells);
          const live = writer.blockOwners.map((o) => (o ? `${o.use}:${o.endpoint}:${o.first}+${o.blocks}` : '-'));
          const derived = cells.map((c) =>
            c.owner ? `${c.owner.use}:${c.owner.endpoint}:${c.owner.first}+${c.owner.blocks}` : '-',
          );
          expect(derived).toEqual(live);
          checked += 1;
        }
        return false;
      },
      { maxSteps: 3000 },
    );
    expect(checked).toBeGreaterThan(200);
  });

  it('goes back in time with the cursor: before the first message every block is free', () => {
    const { s, region } = untilFirstMessage();
    const moved = s.seekEvent(0);
    expect(moved.ok).toBe(true);
    s.sync();
    const cells = blockCells(s, region);
    expect(typeof cells !== 'string' && cells.every((c) => c.owner === null)).toBe(true);
  });

  it('says there is none for an ICMsg region', () => {
    const s = session(ICMSG_HELLO);
    const region = s.regions[0];
    if (!region) throw new Error('region');
    expect(blockCells(s, region)).toBe('not an ICBMsg region');
  });
});
