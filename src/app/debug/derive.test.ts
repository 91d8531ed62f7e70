import { describe, expect, it } from 'vitest';
import type { TraceBody, TraceEvent } from '../../core';
import { ColumnTrace } from '../trace/TraceTable';
import { CHECKPOINT_EVERY, Deriver } from './derive';

let seq = 0;
const ev = (domain: string, body: TraceBody): TraceEvent => ({ ...body, seq: seq++, t: seq * 1000, domain });

function trace(): ColumnTrace {
  seq = 0;
  const t = new ColumnTrace();
  const bodies: [string, TraceBody][] = [
    [
      'cpuapp',
      {
        kind: 'transition',
        machine: 'icmsg',
        instance: 'ipc0',
        from: 'OFF',
        to: 'INITIALIZING_SID_ENABLED',
        event: 'OPEN',
      },
    ],
    ['cpuapp', { kind: 'doorbell-rung', channel: 'app_to_rad', to: 'cpurad', result: 0 }],
    ['cpurad', { kind: 'doorbell-lost', channel: 'app_to_rad', reason: 'rx-disabled' }],
    [
      'cpuapp',
      {
        kind: 'transition',
        machine: 'icmsg',
        instance: 'ipc0',
        from: 'INITIALIZING_SID_ENABLED',
        to: 'CONNECTED_SID_ENABLED',
        event: 'HANDSHAKE',
      },
    ],
    ['cpuapp', { kind: 'callback', instance: 'ipc0', endpoint: 'ep0', callback: 'bound' }],
    ['cpuapp', { kind: 'packet-written', region: 'sram_app_to_rad', offset: 0, length: 16, msgId: 1 }],
    ['cpurad', { kind: 'packet-read', region: 'sram_app_to_rad', offset: 0, length: 16, msgId: 1 }],
  ];
  for (const [d, b] of bodies) t.append(ev(d, b));
  return t;
}

describe('the state at the time cursor, from the trace', () => {
  it('has each instance in the state of its last transition before the cursor', () => {
    const t = trace();
    const d = new Deriver();
    expect(d.at(t, 1).instanceState.get('cpuapp/ipc0')).toBe('INITIALIZING_SID_ENABLED');
    expect(d.at(t, 4).instanceState.get('cpuapp/ipc0')).toBe('CONNECTED_SID_ENABLED');
    expect(
      d
        .at(t, 4)
        .history.get('cpuapp/ipc0')
        ?.map((r) => r.index),
    ).toEqual([0, 3]);
  });

  it('counts per link and per doorbell channel, lost doorbells as problems', () => {
    const d = new Deriver().at(trace(), 7);
    expect(d.links.get('sram_app_to_rad')).toEqual({ written: 1, read: 1, dropped: 0 });
    expect(d.doorbells.get('app_to_rad')).toEqual({ rung: 1, delivered: 0, lost: 1 });
    expect(d.endpoints.get('cpuapp/ipc0/ep0')?.state).toBe('bound');
    expect(d.problems).toBe(1);
  });

  it('going back in time, or a rewritten trace, derives again from the start', () => {
    const t = trace();
    const d = new Deriver();
    d.at(t, 7);
    expect(d.at(t, 2).instanceState.get('cpuapp/ipc0')).toBe('INITIALIZING_SID_ENABLED');
    t.truncate(3);
    t.append(
      ev('cpuapp', {
        kind: 'transition',
        machine: 'icmsg',
        instance: 'ipc0',
        from: 'INITIALIZING_SID_ENABLED',
        to: 'OFF',
        event: 'CLOSE',
      }),
    );
    expect(d.at(t, 4).instanceState.get('cpuapp/ipc0')).toBe('OFF');
    expect(d.at(t, 4).links.size).toBe(0);
  });
});

describe('going back on a long trace', () => {
  it('starts from a checkpoint and gives the same state as deriving from the first event', () => {
    seq = 0;
    const t = new ColumnTrace();
    for (let i = 0; i < 3 * CHECKPOINT_EVERY + 100; i++) {
      const to = i % 2 === 0 ? 'A' : 'B';
      t.append(ev('cpuapp', { kind: 'transition', machine: 'm', instance: 'ipc0', from: '?', to, event: 'E' }));
      t.append(ev('cpuapp', { kind: 'packet-written', region: 'r', offset: 0, length: 4, msgId: i }));
    }
    const d = new Deriver();
    d.at(t, t.length);
    for (const cursor of [2 * CHECKPOINT_EVERY + 7, CHECKPOINT_EVERY, 5, 3 * CHECKPOINT_EVERY + 1]) {
      const fresh = new Deriver().at(t, cursor);
      const back = d.at(t, cursor);
      expect(back.links.get('r')).toEqual(fresh.links.get('r'));
      expect(back.instanceState.get('cpuapp/ipc0')).toBe(fresh.instanceState.get('cpuapp/ipc0'));
      expect(back.history.get('cpuapp/ipc0')?.length).toBe(fresh.history.get('cpuapp/ipc0')?.length);
    }
  });
});

describe('synchronous-channel tasks', () => {
  it('show their last state; a reset of their core clears them until they run again', () => {
    seq = 0;
    const t = new ColumnTrace();
    const state = (task: string, s: 'RUNNING' | 'SEND_BLOCKED', peer?: string): TraceBody => ({
      kind: 'channel',
      op: 'state',
      task,
      generation: 0,
      state: s,
      ...(peer === undefined ? {} : { peer }),
    });
    t.append(ev('hart0', state('a', 'SEND_BLOCKED', 'chan_b')));
    t.append(ev('hart1', state('z', 'RUNNING')));
    t.append(ev('hart0', { kind: 'domain', status: 'restarted', message: 'hart0: warm reset' }));
    t.append(ev('hart0', state('a', 'RUNNING')));
    const d = new Deriver();
    expect(d.at(t, 2).channelTasks.get('a')).toMatchObject({ state: 'SEND_BLOCKED', peer: 'chan_b' });
    // Right after the reset: a's old wait is gone; z, on another core, is untouched.
    expect(d.at(t, 3).channelTasks.has('a')).toBe(false);
    expect(d.at(t, 3).channelTasks.get('z')?.state).toBe('RUNNING');
    expect(d.at(t, 4).channelTasks.get('a')).toMatchObject({ state: 'RUNNING', peer: null });
  });

  it("keeps Anckor's lost sender marked until its state changes", () => {
    seq = 0;
    const t = new ColumnTrace();
    t.append(ev('hart0', { kind: 'channel', op: 'state', task: 'a', generation: 0, state: 'SEND_BLOCKED', peer: 'c' }));
    t.append(ev('hart0', { kind: 'channel', op: 'lost', task: 'a', generation: 0, channel: 'c', peer: 'b' }));
    t.append(ev('hart0', { kind: 'channel', op: 'state', task: 'a', generation: 0, state: 'READY' }));
    const d = new Deriver();
    expect(d.at(t, 2).channelTasks.get('a')?.lostTo).toBe('b');
    expect(d.at(t, 3).channelTasks.get('a')?.lostTo).toBeNull();
  });
});
