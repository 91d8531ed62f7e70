/**
 * Faults on synchronous-channel tasks: `task-stall` (the task runs nothing for a while) and
 * `task-fault` (Hubris `humility jefe --fault`: FAULTED where it stands, restarted from boot by its
 * supervisor, or held), with what their scenario checks refuse.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { CHANNELS_ANCKOR_PING, CHANNELS_CLIENT_SERVER } from '../scenario/presets/channels';
import type { ScenarioInput } from '../scenario/schema';
import { scenarioWorld as worldOf } from '../scenario/testWorld';
import { FIRST_DEAD_CODE } from './ChannelKernel';
import { channelOps as ops, runChannels as run } from './testScenario';

describe('faults on channel tasks', () => {
  it('task-stall: a stalled server replies only after the stall; a stall of no such task is refused', () => {
    const input = {
      ...CHANNELS_CLIENT_SERVER,
      faults: [{ id: 'st', kind: 'task-stall', target: { task: 'fs' }, durationUs: 500, schedule: { atUs: 50 } }],
    } as ScenarioInput;
    const { ch, events } = run(input);
    expect(events.filter((e) => e.kind === 'fault').map((e) => (e.kind === 'fault' ? e.detail : ''))).toEqual([
      'fs runs nothing for 500 µs',
    ]);
    const replies = ops(ch, 'reply', 'fs').map((e) => e.t);
    expect(replies.some((t) => t > 50_000 && t < 550_000)).toBe(false);
    expect(replies).toHaveLength(20);
    const bad = parseScenario({ ...input, faults: [{ id: 'st', kind: 'task-stall', target: { task: 'nobody' } }] });
    expect(!bad.ok && bad.error[0]?.message).toBe('no libipc or channel task nobody');
  });

  const faultFs = (durationUs?: number): ScenarioInput => ({
    ...CHANNELS_CLIENT_SERVER,
    faults: [{ id: 'kill-fs', kind: 'task-fault', target: { task: 'fs' }, schedule: { atUs: 112 }, ...{ durationUs } }],
  });

  it('task-fault (jefe --fault): FAULTED where it stood; its supervisor restarts it, and who waited gets the dead code', () => {
    const { ch, events, violations } = run(faultFs(300));
    const fault = events.find((e) => e.kind === 'fault');
    expect(fault?.kind === 'fault' && fault.detail).toBe(
      'fs faulted; its supervisor restarts it in 300 µs (generation 1)',
    );
    const faulted = ch.find((e) => e.task === 'fs' && e.state === 'FAULTED');
    // It had just taken ui's call and was handling it.
    expect(faulted?.detail).toBe('killed by fault kill-fs (was: RUNNING)');
    expect(faulted?.t).toBe(112_000);
    // Nothing runs fs until the restart: ui waits for the reply, log to send.
    const restart = ops(ch, 'restart', 'fs')[0];
    expect(restart?.t).toBe(412_000);
    expect(ch.filter((e) => e.task === 'fs' && e.t > 112_000 && e.t < 412_000)).toEqual([]);
    const dead = ops(ch, 'dead').filter((e) => e.t === 412_000);
    expect(dead.map((e) => e.task).sort()).toEqual(['log', 'ui']);
    expect(new Set(dead.map((e) => e.code))).toEqual(new Set([(FIRST_DEAD_CODE | 1) >>> 0]));
    // The new life starts from the beginning: it registers its channel again, and serves.
    expect(ops(ch, 'create', 'fs').map((e) => e.detail)).toEqual(['handle 0', 'its own channel again: handle 1024']);
    // Both clients looked the channel up again and resent: every call is answered.
    expect(ops(ch, 'reply', 'fs')).toHaveLength(20);
    // The timer still knew fs by generation 0: its next post gets the dead code, and it posts
    // again to generation 1 (a Hubris task refreshing a stale TaskId).
    const stale = ops(ch, 'dead', 'timer');
    expect(stale.map((e) => [e.t, e.detail])).toEqual([[600_000, 'posted to fs/gen0, which restarted (now gen1)']]);
    expect(ops(ch, 'post', 'timer').map((e) => e.t)).toEqual([100_000, 350_000, 600_000]);
    expect(violations).toEqual([]);
  });

  it('task-fault without durationUs holds the task faulted (jefe --hold): its clients wait for ever', () => {
    const { ch, outcome } = run(faultFs());
    expect(outcome).toBe('idle');
    expect(ops(ch, 'restart')).toEqual([]);
    const last = (task: string) => ch.filter((e) => e.task === task && e.op === 'state').at(-1);
    expect(last('fs')?.state).toBe('FAULTED');
    expect([last('ui')?.state, last('ui')?.peer]).toEqual(['REPLY_BLOCKED', 'fs']);
    expect([last('log')?.state, last('log')?.peer]).toEqual(['SEND_BLOCKED', 'fs']);
  });

  it('task-fault replays from a snapshot taken while the task is faulted', () => {
    const w = worldOf(faultFs(300));
    w.sim.run({ maxSteps: 100_000, maxTimeNs: 200_000 });
    const fs = w.sim.trace.events.filter((e) => e.kind === 'channel' && e.task === 'fs' && e.op === 'state').at(-1);
    expect(fs?.kind === 'channel' && fs.state).toBe('FAULTED');
    const snap = w.sim.snapshot();
    const mark = w.sim.trace.length;
    const rest = () => {
      w.sim.run({ maxSteps: 100_000, maxTimeNs: 1e9 });
      return w.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
    };
    const first = rest();
    w.sim.restore(snap);
    expect(rest()).toEqual(first);
    expect(first.some((e) => e.includes('"op":"restart"'))).toBe(true);
  });

  it('task-fault names a channel task; Anckor has no supervisor to restart one', () => {
    const noTask = parseScenario({
      ...CHANNELS_CLIENT_SERVER,
      faults: [{ id: 'f', kind: 'task-fault', target: { task: 'nobody' } }],
    });
    expect(!noTask.ok && noTask.error.map((e) => e.message)).toEqual(['no synchronous-channel task nobody']);
    const anckor = parseScenario({
      ...CHANNELS_ANCKOR_PING,
      faults: [{ id: 'f', kind: 'task-fault', target: { task: 'rcv' }, durationUs: 10 }],
    });
    expect(!anckor.ok && anckor.error.map((e) => e.message)).toEqual([
      'Anckor has no supervisor to restart a task: leave durationUs out (held faulted)',
    ]);
  });
});
