import { describe, expect, it } from 'vitest';
import { ICMSG_HELLO } from '../../../core';
import { checkScenarioText, lineColumn, scenarioText } from './editorModel';

describe('the scenario editor', () => {
  it('accepts the open scenario as it prints it', () => {
    const check = checkScenarioText(scenarioText(ICMSG_HELLO));
    expect(check.kind === 'ok' && check.scenario.name).toBe(ICMSG_HELLO.name);
  });

  it('says where the JSON breaks, by line and column', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    const text = scenarioText(ICMSG_HELLO).replace('"seed": 1,', '"seed": 1,,');
    const check = checkScenarioText(text);
    expect(check.kind).toBe('json');
    if (check.kind === 'json') expect(check.message).toMatch(/^line \d+, column \d+: /);
  });

  it('lists every problem by path and rule', () => {
    const text = scenarioText({
      ...ICMSG_HELLO,
      instances: ICMSG_HELLO.instances.map((n) => ({ ...n, 'dcache-alignment': 4 })),
    });
    const check = checkScenarioText(text);
    expect(check.kind).toBe('invalid');
    if (check.kind === 'invalid') {
      expect(check.issues.map((i) => i.path)).toEqual([
        'instances[0].dcache-alignment',
        'instances[1].dcache-alignment',
      ]);
      expect(check.issues[0]?.message).toMatch(/unbound = enable needs dcache-alignment ≥ 8/);
    }
  });
});
