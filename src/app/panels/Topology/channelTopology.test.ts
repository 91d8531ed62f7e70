import { describe, expect, it } from 'vitest';
import {
  CHANNELS_ANCKOR_PING,
  CHANNELS_CLIENT_SERVER,
  CHANNELS_DEADLOCK,
  CHANNELS_PRIORITY_INHERITANCE,
  checkTrace,
  ICMSG_HELLO,
  parseScenario,
  type Scenario,
  type ScenarioInput,
} from '../../../core';
import { channelScenario, channelTask } from '../../../core/channels/testScenario';
import { scenarioWorld } from '../../../core/scenario/testWorld';
import { Deriver } from '../../debug/derive';
import { ColumnTrace } from '../../trace/TraceTable';
import { type ChannelTopology, channelTopology, liveChannels, stateLabel, type TaskRowLike } from './channelTopology';

function scenarioOf(input: ScenarioInput): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

function topologyOf(input: ScenarioInput): ChannelTopology {
  const t = channelTopology(scenarioOf(input));
  if (!t) throw new Error('no channels');
  return t;
}

/** Rows as the derived state gives them: `[task, state, peer]`. */
function rows(...xs: [string, string, string | null, number?][]): Map<string, TaskRowLike> {
  return new Map(
    xs.map(([task, state, peer, inherited]) => [task, { state, peer, generation: 0, inherited: inherited ?? null }]),
  );
}

describe('channelTopology: the wiring the scenario declares', () => {
  it('links the deadlock demo’s clients to the channels they call and each channel to its server, and each server to the channel it calls while handling', () => {
    const t = topologyOf(CHANNELS_DEADLOCK);
    expect(t.mode).toBe('hubris');
    expect(t.tasks.map((x) => [x.name, x.domain, x.priority, x.role])).toEqual([
      ['a', 'hart0', 2, 'server'],
      ['b', 'hart0', 2, 'server'],
      ['c1', 'hart0', 3, 'client'],
      ['c2', 'hart0', 3, 'client'],
    ]);
    expect(t.channels).toEqual([
      { name: 'chan_a', domain: 'hart0', creator: 'a', receivers: ['a'] },
      { name: 'chan_b', domain: 'hart0', creator: 'b', receivers: ['b'] },
    ]);
    expect(t.edges.map((e) => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      'task:a call chan:chan_b',
      'chan:chan_a receive task:a',
      'task:b call chan:chan_a',
      'chan:chan_b receive task:b',
      'task:c1 call chan:chan_a',
      'task:c2 call chan:chan_b',
    ]);
  });

  it('tells Anckor’s one-way sends from calls, and a channel’s creator from the task receiving on it', () => {
    const t = topologyOf(CHANNELS_ANCKOR_PING);
    expect(t.mode).toBe('anckor');
    expect(t.channels).toEqual([
      { name: 'data_channel', domain: 'hart0', creator: 'rcv', receivers: ['rcv'] },
      // Case 2: the sender creates the channel; rcv2 only finds it.
      { name: 'data_channel_2', domain: 'hart0', creator: 'snd2', receivers: ['rcv2'] },
    ]);
    expect(t.edges.filter((e) => e.kind === 'send').map((e) => e.task)).toEqual(['snd', 'snd2']);
    expect(t.edges.some((e) => e.kind === 'call')).toBe(false);
  });

  it('draws a notifier’s post to its target task, and keeps a server apart from the channel of the same name', () => {
    const t = topologyOf(CHANNELS_CLIENT_SERVER);
    expect(t.edges.find((e) => e.kind === 'post')).toMatchObject({
      from: 'task:timer',
      to: 'task:fs',
      detail: '0x1',
    });
    expect(t.edges.find((e) => e.kind === 'receive')).toMatchObject({ from: 'chan:fs', to: 'task:fs' });
  });

  it('names a closed receive’s one sender on its edge', () => {
    const t = topologyOf(
      channelScenario([
        channelTask('lock', 2, { kind: 'server', channel: 'lock', closedFrom: 'owner' }),
        channelTask('owner', 3, { kind: 'client', channel: 'lock' }),
      ]),
    );
    expect(t.edges.find((e) => e.kind === 'receive')?.detail).toBe('from owner');
  });

  it('is null for a scenario without channels', () => {
    expect(channelTopology(scenarioOf(ICMSG_HELLO))).toBeNull();
  });
});

describe('liveChannels: who waits on whom at the cursor', () => {
  const deadlock = topologyOf(CHANNELS_DEADLOCK);

  it('finds the deadlock demo’s cycle (a waits on b through chan_b, b on a through chan_a) and marks its edges', () => {
    const live = liveChannels(
      deadlock,
      rows(
        ['a', 'SEND_BLOCKED', 'chan_b'],
        ['b', 'SEND_BLOCKED', 'chan_a'],
        ['c1', 'REPLY_BLOCKED', 'a'],
        ['c2', 'REPLY_BLOCKED', 'b'],
      ),
    );
    expect(live.cycles).toEqual(['a → chan_b → b → chan_a → a']);
    expect(Object.fromEntries(live.edges)).toEqual({
      'task:a>chan:chan_b': 'deadlock',
      'chan:chan_b>task:b': 'deadlock',
      'task:b>chan:chan_a': 'deadlock',
      'chan:chan_a>task:a': 'deadlock',
    });
    expect([...live.tasks].filter(([, l]) => l.inCycle).map(([n]) => n)).toEqual(['a', 'b']);
    // The clients wait behind the cycle, not in it: their waits are drawn back from their servers.
    expect(live.replies).toEqual([
      { id: 'reply:a>c1', server: 'a', client: 'c1', deadlock: false },
      { id: 'reply:b>c2', server: 'b', client: 'c2', deadlock: false },
    ]);
  });

  it('sees no deadlock while the server a send waits for is busy but not blocked', () => {
    const live = liveChannels(
      deadlock,
      rows(['a', 'SEND_BLOCKED', 'chan_b'], ['b', 'RUNNING', null], ['c1', 'REPLY_BLOCKED', 'a']),
    );
    expect(live.cycles).toEqual([]);
    expect(live.edges.get('task:a>chan:chan_b')).toBe('send-blocked');
    expect(live.edges.has('chan:chan_b>task:b')).toBe(false);
    expect(live.tasks.get('a')?.inCycle).toBe(false);
  });

  it('marks a sender Anckor lost (overwritten in the one slot) as waiting for ever', () => {
    const stuck = rows(['a', 'SEND_BLOCKED', 'chan_b'], ['b', 'RUNNING', null]);
    const a = stuck.get('a');
    if (a) stuck.set('a', { ...a, lostTo: 'c1' });
    const live = liveChannels(deadlock, stuck);
    expect(live.edges.get('task:a>chan:chan_b')).toBe('deadlock');
    expect(live.tasks.get('a')?.lostTo).toBe('c1');
    expect(live.tasks.get('b')?.lostTo).toBeNull();
  });

  it('marks a receive-blocked task’s edge from its channel, open or closed', () => {
    const live = liveChannels(
      deadlock,
      rows(['a', 'RECEIVE_BLOCKED', 'chan_a'], ['b', 'RECEIVE_BLOCKED', 'chan_b from c2']),
    );
    expect(live.edges.get('chan:chan_a>task:a')).toBe('receive-blocked');
    expect(live.edges.get('chan:chan_b>task:b')).toBe('receive-blocked');
  });

  it('finds a cycle through a wait for a reply: a called b, and b now sends to a', () => {
    const live = liveChannels(deadlock, rows(['a', 'REPLY_BLOCKED', 'b'], ['b', 'SEND_BLOCKED', 'chan_a']));
    expect(live.cycles).toEqual(['a → b → chan_a → a']);
    expect(live.replies).toEqual([{ id: 'reply:b>a', server: 'b', client: 'a', deadlock: true }]);
    expect(live.edges.get('task:b>chan:chan_a')).toBe('deadlock');
  });

  it('finds a server sending on its own channel: nobody else will ever receive it', () => {
    const t = topologyOf(
      channelScenario([
        channelTask('loop', 2, { kind: 'server', channel: 'loop', callWhileHandling: { channel: 'loop', size: 8 } }),
      ]),
    );
    const live = liveChannels(t, rows(['loop', 'SEND_BLOCKED', 'loop']));
    expect(live.cycles).toEqual(['loop → loop → loop']);
    expect(live.edges.get('task:loop>chan:loop')).toBe('deadlock');
  });

  it('is no deadlock while one of a channel’s receivers can still take the send', () => {
    const t = topologyOf(
      channelScenario([
        channelTask('w1', 2, { kind: 'server', channel: 'pool', callWhileHandling: { channel: 'pool', size: 8 } }),
        channelTask('w2', 2, { kind: 'server', channel: 'pool', callWhileHandling: { channel: 'pool', size: 8 } }),
      ]),
    );
    expect(liveChannels(t, rows(['w1', 'SEND_BLOCKED', 'pool'], ['w2', 'RUNNING', null])).cycles).toEqual([]);
    // Both blocked: one group, named once.
    expect(liveChannels(t, rows(['w1', 'SEND_BLOCKED', 'pool'], ['w2', 'SEND_BLOCKED', 'pool'])).cycles).toEqual([
      'w1 → pool → w2 → pool → w1',
    ]);
  });

  it('shows an inherited priority as own→running, and the state as traced, however spelled', () => {
    const t = topologyOf(CHANNELS_PRIORITY_INHERITANCE);
    const live = liveChannels(t, rows(['server', 'running', null, 3], ['high', 'REPLY-BLOCKED', 'server']));
    expect(live.tasks.get('server')).toMatchObject({
      state: 'RUNNING',
      label: 'RUNNING',
      priority: 'pri 1→3',
      inherited: true,
    });
    expect(live.tasks.get('high')).toMatchObject({ state: 'REPLY_BLOCKED', label: 'REPLY-BLOCKED', priority: 'pri 3' });
    // Not traced yet: READY.
    expect(live.tasks.get('hog')).toMatchObject({ state: 'READY', inherited: false });
    expect(stateLabel('NOTIFICATION_WAIT')).toBe('NOTIFICATION-WAIT');
  });

  it('lights a notifier’s post edge while its target waits for notification bits', () => {
    const t = topologyOf(CHANNELS_CLIENT_SERVER);
    expect(liveChannels(t, rows(['fs', 'NOTIFICATION_WAIT', null])).edges.get('task:timer>task:fs')).toBe(
      'notification-wait',
    );
  });
});

describe('liveChannels over a real run', () => {
  it('names, from the derived state at the end of the deadlock demo, the cycle the checker reports', () => {
    const world = scenarioWorld(CHANNELS_DEADLOCK);
    world.sim.run({ maxSteps: 100_000, maxTimeNs: 1e9 });
    const table = new ColumnTrace();
    for (const e of world.sim.trace.events) table.append(e);
    const derived = new Deriver().at(table, table.length);
    const live = liveChannels(topologyOf(CHANNELS_DEADLOCK), derived.channelTasks);
    expect(live.cycles).toEqual(['a → chan_b → b → chan_a → a']);
    const reported = checkTrace(world.scenario, world.sim.trace.events).filter((v) => v.rule === 'deadlock');
    // The same tasks (the checker starts the cycle where the last wait closed it).
    expect(reported.map((v) => v.where.split(' → ').sort())).toEqual([['a', 'b']]);
  });
});
