import { describe, expect, it } from 'vitest';
import { ICBMSG_THREE_ENDPOINTS, ICMSG_HELLO, type ScenarioInput } from '../../../core';
import { DebugSession } from '../../debug/DebugSession';
import { blockCells } from './BlockMap';

function session(input: ScenarioInput): DebugSession {
  const created = DebugSession.create(input, () => () => undefined);
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

describe('the ICBMsg block map', () => {
  it("shows the sender's blocks: a message of an endpoint while in flight, all free at the end", () => {
    const s = session(ICBMSG_THREE_ENDPOINTS);
    const rt = s.inline;
    if (!rt) throw new Error('inline');
    const region = s.regions.find((r) => r.name === 'sram_app_to_rad');
    if (!region) throw new Error('region');
    // Run until the application core has a message in its TX blocks.
    rt.runUntil(() => {
      const cells = blockCells(s, region);
      return typeof cells !== 'string' && cells.some((c) => c.owner?.use === 'data');
    });
    const cells = blockCells(s, region);
    if (typeof cells === 'string') throw new Error(cells);
    const data = cells.find((c) => c.owner?.use === 'data');
    expect(data?.owner).toMatchObject({ use: 'data', first: data?.index });
    expect(['hci', 'app', 'log']).toContain(data?.owner?.endpoint);
    rt.runUntil(() => false, { maxSteps: 200_000 });
    const end = blockCells(s, region);
    expect(typeof end !== 'string' && end.every((c) => c.owner === null)).toBe(true);
  });

  it('says there is none for an ICMsg region', () => {
    const s = session(ICMSG_HELLO);
    const region = s.regions[0];
    if (!region) throw new Error('region');
    expect(blockCells(s, region)).toBe('not an ICBMsg region');
  });
});
