import { describe, expect, it } from 'vitest';
import { CHANNELS_ANCKOR_TWO_SENDERS, CHANNELS_CLIENT_SERVER, CHANNELS_SERVER_RESTART } from '../../../core';
import { runPreset } from '../../testing/presetTrace';
import { pathLabel } from './channelSequence';
import { buildSequence, lifelinesOf } from './sequence';

function sequenceOf(preset: Parameters<typeof runPreset>[0]) {
  const run = runPreset(preset, 50_000);
  const lifelines = lifelinesOf(run.scenario);
  const model = buildSequence(run.table, lifelines, 0, run.table.length, 300);
  const name = (k: number) => lifelines[k]?.name ?? '?';
  return { run, lifelines, model, name };
}

describe('channel tasks in the sequence diagram', () => {
  it('gives each channel task a lifeline, in scenario order', () => {
    const { lifelines } = sequenceOf(CHANNELS_CLIENT_SERVER);
    expect(lifelines.filter((l) => l.kind === 'channel-task').map((l) => l.name)).toEqual(['fs', 'ui', 'log', 'timer']);
    expect(lifelines.find((l) => l.name === 'fs')?.key).toBe('hart0/chan:fs');
  });

  it('draws the client/server demo: 20 messages ui/log → fs and 20 replies back', () => {
    const { model, name } = sequenceOf(CHANNELS_CLIENT_SERVER);
    expect(model.messages).toHaveLength(20);
    for (const m of model.messages) {
      expect(['ui', 'log']).toContain(name(m.from));
      expect(name(m.to)).toBe('fs');
      expect(m.label).toMatch(/^fs · (reg|shm)$/);
    }
    // ui sends 8 bytes in registers, log 64 through the buffer.
    expect(model.messages.filter((m) => name(m.from) === 'ui').every((m) => m.label === 'fs · reg')).toBe(true);
    expect(model.messages.filter((m) => name(m.from) === 'log').every((m) => m.label === 'fs · shm')).toBe(true);
    expect(model.replies).toHaveLength(20);
    for (const r of model.replies) {
      expect(name(r.from)).toBe('fs');
      expect(['ui', 'log']).toContain(name(r.to));
      expect(r.label).toBe('reply');
      expect(r.receive).toBeGreaterThan(r.send);
      expect(r.receiveRow).toBeGreaterThan(r.sendRow);
    }
    expect(model.total).toBe(20);
    expect(model.truncated).toBe(false);
  });

  it('notes the dead codes the restart demo hands its two clients', () => {
    const { model, name } = sequenceOf(CHANNELS_SERVER_RESTART);
    const dead = model.notes.filter((n) => n.text.startsWith('dead'));
    expect(dead).toHaveLength(2);
    expect(dead.map((n) => n.text)).toEqual(['dead 0xffffff01', 'dead 0xffffff01']);
    expect(dead.every((n) => n.tone === 'problem')).toBe(true);
    expect(dead.map((n) => name(n.lifeline)).sort()).toEqual(['app', 'cache']);
    expect(model.notes.some((n) => n.text === 'restarted: generation 1' && name(n.lifeline) === 'kv')).toBe(true);
  });

  it("notes Anckor's lost sender as a problem", () => {
    const { model, name } = sequenceOf(CHANNELS_ANCKOR_TWO_SENDERS);
    const lost = model.notes.filter((n) => n.text.startsWith('lost'));
    expect(lost).toHaveLength(1);
    expect(lost[0]?.tone).toBe('problem');
    expect(lost[0] && name(lost[0].lifeline)).toBe('a');
    expect(model.messages.map((m) => [name(m.from), name(m.to), m.label])).toEqual([
      ['b', 'rcv', 'data_channel · reg'],
    ]);
  });

  it('counts only channel messages against the cap, not replies', () => {
    const run = runPreset(CHANNELS_CLIENT_SERVER, 50_000);
    const model = buildSequence(run.table, lifelinesOf(run.scenario), 0, run.table.length, 5);
    expect(model.shown).toBe(5);
    expect(model.total).toBe(20);
    expect(model.truncated).toBe(true);
  });

  it('shortens copy paths', () => {
    expect([pathLabel('register'), pathLabel('shared-memory'), pathLabel('not-copied'), pathLabel(undefined)]).toEqual([
      'reg',
      'shm',
      'not copied',
      null,
    ]);
  });
});
