import { describe, expect, it } from 'vitest';
import { parseScenario } from './parse';
import { icmsgScenario } from './presets/icmsg';
import { regionLayouts } from './regionLayout';
import type { ScenarioInput } from './schema';

const parse = (input: ScenarioInput) => {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
};

describe('region layouts', () => {
  const base = icmsgScenario({ unbound: 'enable', dcacheAlignment: 32, app: { kind: 'sink' }, rad: { kind: 'sink' } });

  it('lay each region out as its writer does: rd_idx, the handshake word, wr_idx on its own line', () => {
    const [a] = regionLayouts(parse(base));
    expect(a).toMatchObject({ name: 'sram_app_to_rad', backend: 'icmsg' });
    expect(a?.cfg).toMatchObject({ rdIdxLoc: 0, handshakeLoc: 4, wrIdxLoc: 32, dataLoc: 36 });
  });

  it('follow a side built differently (a misconfigure fault), not the scenario as declared', () => {
    const misbuilt = parse({
      ...base,
      faults: [
        {
          id: 'dc',
          kind: 'misconfigure',
          target: { domain: 'cpuapp', instance: 'ipc0' },
          set: { 'dcache-alignment': 64 },
        },
      ],
    });
    const [a, b] = regionLayouts(misbuilt);
    expect(a?.cfg.wrIdxLoc).toBe(64); // written by cpuapp, built with 64
    expect(b?.cfg.wrIdxLoc).toBe(1024 + 32); // written by cpurad, as declared
  });
});
