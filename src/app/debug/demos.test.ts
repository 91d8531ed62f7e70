import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../core';
import { SCENARIOS } from './demos';

describe('the scenarios the debugger offers', () => {
  it('each parses, with an id and a name of its own (the list finds the open one by name)', () => {
    expect(new Set(SCENARIOS.map((d) => d.id)).size).toBe(SCENARIOS.length);
    expect(new Set(SCENARIOS.map((d) => d.scenario.name)).size).toBe(SCENARIOS.length);
    for (const d of SCENARIOS) expect(parseScenario(d.scenario).ok, d.id).toBe(true);
  });

  it('offers every field failure of the catalogue that the backends here reproduce', () => {
    const ids = SCENARIOS.filter((d) => d.group === 'Field failures').map((d) => d.id);
    for (const f of ['f1', 'f3', 'f6', 'f8', 'f9', 'f10', 'f11', 'f12', 'f13', 'f15', 'f16', 'f26'])
      expect(ids).toContain(f);
  });
});
