/** The task table's STATE column: the reference's canonical words (§3.4), with humility's `task/genN`. */
import { describe, expect, it } from 'vitest';
import type { ChannelTaskRow } from '../../debug/derive';
import { stateText } from './ChannelTasksPanel';

const row = (state: string, peer: string | null = null, more: Partial<ChannelTaskRow> = {}): ChannelTaskRow => ({
  state,
  peer,
  detail: null,
  lostTo: null,
  generation: 0,
  inherited: null,
  since: 0,
  domain: 'hart0',
  ...more,
});

const context = {
  channelTasks: new Map([['kv', row('RUNNING', null, { generation: 2 })]]),
  channelServers: new Map([['kv', 'kv']]),
};

describe('the state of a channel task, as the table writes it', () => {
  it('names the task a sender or a caller waits for, with its generation', () => {
    expect(stateText(row('SEND_BLOCKED', 'kv'), context)).toBe('SEND-BLOCKED → kv (kv/gen2)');
    expect(stateText(row('REPLY_BLOCKED', 'kv'), context)).toBe('REPLY-BLOCKED ← kv/gen2');
    // A channel nobody has received on yet: only its name is known.
    expect(stateText(row('SEND_BLOCKED', 'logs'), context)).toBe('SEND-BLOCKED → logs');
    // Anckor has no generations.
    expect(stateText(row('SEND_BLOCKED', 'kv'), { ...context, anckor: true })).toBe('SEND-BLOCKED → kv (kv)');
  });

  it('tells open and closed receives apart, and a sleep from a wait for notifications', () => {
    expect(stateText(row('RECEIVE_BLOCKED', 'kv'))).toBe('RECEIVE-BLOCKED (open) on kv');
    expect(stateText(row('RECEIVE_BLOCKED', 'lock from owner'))).toBe('RECEIVE-BLOCKED (closed) on lock from owner');
    expect(stateText(row('NOTIFICATION_WAIT', 'timer'))).toBe('NOTIFICATION-WAIT (timer: asleep)');
    expect(stateText(row('NOTIFICATION_WAIT'))).toBe('NOTIFICATION-WAIT');
  });

  it('says why a task faulted, and that a task not seen yet has not started', () => {
    const faulted = row('FAULTED', null, { detail: 'killed by fault f1 (was: RECEIVE_BLOCKED kv)' });
    expect(stateText(faulted)).toBe('FAULTED: killed by fault f1 (was: RECEIVE_BLOCKED kv)');
    expect(stateText(undefined)).toBe('READY (not started)');
    expect(stateText(row('RUNNING'))).toBe('RUNNING');
  });

  it("says when Anckor's one slot lost a sender: it waits for ever", () => {
    expect(stateText(row('SEND_BLOCKED', 'data_channel', { lostTo: 'b' }))).toBe(
      'SEND-BLOCKED → data_channel — lost: b took its slot, never woken',
    );
  });
});
