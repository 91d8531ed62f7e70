import { describe, expect, it } from 'vitest';
import { FAULT_PRESETS, type PerfettoTrace } from '../../core';
import { DebugSession } from '../debug/DebugSession';
import { perfettoFile, readScenarioFile, scenarioFile, traceFile } from './files';

const f6 = FAULT_PRESETS.find((p) => p.id === 'F6')?.scenario;

describe('scenario and trace files', () => {
  it('a scenario file reads back as the same scenario; a bad one says why', () => {
    if (!f6) throw new Error('F6');
    const file = scenarioFile(f6, null);
    expect(file.name).toBe('f6-warm-reset-unbound-disable.json');
    const back = readScenarioFile(file.name, file.text);
    expect('scenario' in back && back.scenario.name).toBe(f6.name);
    expect(readScenarioFile('x.json', '{')).toEqual({ error: 'x.json is not JSON' });
    const bad = readScenarioFile('y.json', JSON.stringify({ ...f6, seed: 'one' }));
    expect('error' in bad && bad.error).toMatch(/^y\.json is not a valid scenario: seed: /);
  });

  it('the trace as JSON and for Perfetto hold every event of the run', () => {
    if (!f6) throw new Error('F6');
    const created = DebugSession.create(f6, () => () => undefined);
    if (!created.ok) throw new Error('session');
    const s = created.value;
    s.inline?.runUntil(() => false, { maxSteps: 100_000 });
    s.sync();
    const events = JSON.parse(traceFile(f6, s).text) as unknown[];
    expect(events).toHaveLength(s.table.length);
    const perfetto = JSON.parse(perfettoFile(f6, s).text) as PerfettoTrace;
    expect(perfetto.traceEvents.filter((e) => e.ph === 'i' && e.name === 'fault')).toHaveLength(1);
    expect(perfetto.traceEvents.filter((e) => e.ph === 'X').length).toBe(
      events.filter((e) => (e as { kind: string }).kind === 'decision').length,
    );
  });
});
