import { describe, expect, it } from 'vitest';
import { FAULT_PRESETS, ICMSG_HELLO, type ScenarioInput } from '../../core';
import { DebugSession } from './DebugSession';
import { violationsAt } from './violations';

function session(input: ScenarioInput): DebugSession {
  const created = DebugSession.create(input, () => () => undefined);
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  return created.value;
}

function finish(s: DebugSession): void {
  const rt = s.inline;
  if (!rt) throw new Error('inline');
  rt.runUntil(() => false, { maxSteps: 200_000 });
  s.sync();
}

describe('violations at the cursor', () => {
  it('a healthy run has none, and is checked at quiescence once finished', () => {
    const s = session(ICMSG_HELLO);
    expect(violationsAt(s)).toEqual({ live: [], atQuiescence: null });
    finish(s);
    expect(s.inline?.status).toBe('finished');
    expect(violationsAt(s)).toEqual({ live: [], atQuiescence: [] });
  });

  it('F16: the leaked blocks show at quiescence, not before; going back forgets them', () => {
    const f16 = FAULT_PRESETS.find((p) => p.id === 'F16');
    if (!f16) throw new Error('F16');
    const s = session(f16.scenario);
    finish(s);
    const end = violationsAt(s);
    expect(end.atQuiescence?.some((v) => v.rule === 'blocks-leaked' && v.severity === 'error')).toBe(true);
    s.seekStep(10);
    s.sync();
    expect(violationsAt(s).atQuiescence).toBeNull();
  });
});
