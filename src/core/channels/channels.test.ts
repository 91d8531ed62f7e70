/**
 * Synchronous channels as the reference describes them (libipc-and-channels.md §2–3): Anckor's
 * API and defects, the fast path and the shared-memory path, queued senders, calls and replies,
 * L4 timeouts, Hubris notifications, generations and dead codes, priority inheritance, and the
 * checker's deadlock and lost-wake-up rules.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import {
  CHANNELS_ANCKOR_PING,
  CHANNELS_ANCKOR_TWO_SENDERS,
  CHANNELS_CLIENT_SERVER,
  CHANNELS_DEADLOCK,
  CHANNELS_PRIORITY_INHERITANCE,
  CHANNELS_PRIORITY_INVERSION,
  CHANNELS_SERVER_RESTART,
} from '../scenario/presets/channels';
import type { ScenarioInput } from '../scenario/schema';
import { scenarioWorld as worldOf, replayFromSnapshot } from '../scenario/testWorld';
import { FIRST_DEAD_CODE } from './ChannelKernel';
import { channelOps, channelScenario, channelTask, runChannels } from './testScenario';

const run = runChannels;
const ops = channelOps;

const scenario = channelScenario;
const task = channelTask;

describe('Anckor’s ping test (tests/messages)', () => {
  it('delivers MAGIC_WORD in one register both ways round: receiver first, then sender first', () => {
    const { ch, violations, outcome } = run(CHANNELS_ANCKOR_PING);
    expect(outcome).toBe('idle');
    const sends = ops(ch, 'send');
    expect(sends.map((e) => [e.task, e.peer, e.path, e.bytes])).toEqual([
      ['snd', 'rcv', 'register', 8],
      ['snd2', 'rcv2', 'register', 8],
    ]);
    // Case 2: the sender blocked first, channel_rcv made it READY, it handed over when it ran.
    const snd2 = ch.filter((e) => e.task === 'snd2' && e.op === 'state').map((e) => e.state);
    expect(snd2).toEqual(['RUNNING', 'SEND_BLOCKED', 'READY', 'RUNNING', 'STOPPED']);
    // The receivers check the word (an `intact` violation otherwise).
    expect(violations).toEqual([]);
  });

  it('faithful Anckor: a second sender overwrites the first, which is never woken', () => {
    const { ch, violations } = run(CHANNELS_ANCKOR_TWO_SENDERS);
    expect(ops(ch, 'send').map((e) => e.task)).toEqual(['b']);
    const a = ch.filter((e) => e.task === 'a' && e.op === 'state');
    expect(a.at(-1)?.state).toBe('SEND_BLOCKED');
    expect(violations.map((v) => v.rule)).toEqual(['lost-wakeup']);
    // Hubris semantics queue both senders: both are delivered.
    const spec = CHANNELS_ANCKOR_TWO_SENDERS.channels;
    if (!spec) throw new Error('no channels');
    const fixed = run({ ...CHANNELS_ANCKOR_TWO_SENDERS, channels: { ...spec, mode: 'hubris' } });
    expect(
      ops(fixed.ch, 'send')
        .map((e) => e.task)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(fixed.violations).toEqual([]);
  });

  it('Anckor has no slow path: a 16-byte message is not copied', () => {
    const { ch } = run(
      scenario(
        [
          task('rcv', 5, { kind: 'receiver', channel: 'c', create: true, count: 1 }),
          task('snd', 4, { kind: 'client', channel: 'c', call: false, size: 16, count: 1 }),
        ],
        'anckor',
      ),
    );
    expect(ops(ch, 'send')[0]).toMatchObject({ path: 'not-copied', bytes: 16 });
  });
});

describe('names and handles', () => {
  it('names of up to 19 characters; duplicates refused (Anckor: accepted, get finds the first); unknown names', () => {
    const tasks = [
      task('s1', 5, { kind: 'server', channel: 'a_name_of_19_chars_', count: 1 }),
      task('s2', 4, { kind: 'server', channel: 'a_name_of_19_chars_', count: 1 }),
      task('c', 3, { kind: 'client', channel: 'a_name_of_19_chars_', count: 1 }),
    ];
    const { ch } = run(scenario(tasks));
    expect(ops(ch, 'create').map((e) => e.detail)).toEqual(['handle 0', '-EEXIST']);
    const anckor = run(
      scenario(
        [
          task('r1', 5, { kind: 'receiver', channel: 'dup', create: true }),
          task('r2', 4, { kind: 'receiver', channel: 'dup', create: true }),
          task('c', 3, { kind: 'client', channel: 'dup', call: false, count: 1 }),
        ],
        'anckor',
      ),
    );
    expect(ops(anckor.ch, 'create')[1]?.detail).toContain('channel_get finds only the first');
    expect(ops(anckor.ch, 'send')[0]?.peer).toBe('r1');
    const tooLong = parseScenario(scenario([task('s', 1, { kind: 'server', channel: 'twenty_characters_xx' })]));
    expect(!tooLong.ok && tooLong.error[0]?.message).toBe('at most 19 characters (Anckor: char name[20])');
    const unknown = parseScenario(scenario([task('c', 1, { kind: 'client', channel: 'nowhere' })]));
    expect(!unknown.ok && unknown.error[0]?.message).toBe('no task creates channel nowhere');
  });
});

describe('the rendezvous', () => {
  it('up to 8 bytes go in a register; longer ones are copied through the channel buffer in shared memory', () => {
    const { ch, w } = run(CHANNELS_CLIENT_SERVER);
    const sends = ops(ch, 'send');
    expect(new Set(sends.filter((e) => e.task === 'ui').map((e) => e.path))).toEqual(new Set(['register']));
    expect(new Set(sends.filter((e) => e.task === 'log').map((e) => e.path))).toEqual(new Set(['shared-memory']));
    // The last 64-byte message (number 10) is in the buffer: its first byte is its number.
    expect(w.sim.map.bytes[0]).toBe(10);
    expect(ops(ch, 'reply', 'fs')).toHaveLength(20);
  });

  it('a waiting server takes the highest-priority sender first, and notifications at its next receive', () => {
    const { ch } = run(CHANNELS_CLIENT_SERVER);
    // At 100 µs both ui (3) and log (1) wait while fs handles the timer's bit: ui goes first.
    const sends = ops(ch, 'send').filter((e) => e.t >= 100_000 && e.t < 200_000);
    expect(sends.map((e) => e.task)).toEqual(['ui', 'log']);
    expect(ops(ch, 'receive', 'fs').flatMap((e) => (e.bits === undefined ? [] : [e.bits]))).toEqual([1, 1, 1]);
    // Every message and every reply is taken: a receive with the msgId of its send or reply.
    const starts = ch.filter((e) => (e.op === 'send' || e.op === 'reply') && e.msgId !== undefined);
    const ends = new Set(ops(ch, 'receive').map((e) => e.msgId));
    expect(starts.length).toBe(40);
    expect(starts.every((e) => ends.has(e.msgId))).toBe(true);
  });

  it('a call gives up after its timeout (L4) and the server’s later reply finds nobody', () => {
    const { ch } = run(
      scenario([
        task('srv', 1, { kind: 'server', channel: 'svc', handleUs: 500, count: 1 }),
        task('cli', 2, { kind: 'client', channel: 'svc', timeoutUs: 100, count: 1 }, 5),
      ]),
    );
    const timeout = ops(ch, 'timeout', 'cli')[0];
    expect(timeout?.t).toBeGreaterThanOrEqual(105_000);
    expect(timeout?.detail).toBe('REPLY_BLOCKED timed out');
    expect(ops(ch, 'reply', 'srv')[0]?.detail).toContain('no client waits for this reply');
  });
});

describe('priority inversion and inheritance', () => {
  it('the hog delays the high-priority client by its 2 ms; with inheritance the server finishes first', () => {
    const replyAt = (input: ScenarioInput) => ops(run(input).ch, 'reply', 'server')[0]?.t ?? 0;
    expect(replyAt(CHANNELS_PRIORITY_INVERSION)).toBeGreaterThan(2_000_000);
    expect(replyAt(CHANNELS_PRIORITY_INHERITANCE)).toBeLessThan(300_000);
    const { ch } = run(CHANNELS_PRIORITY_INHERITANCE);
    expect(ops(ch, 'priority').map((e) => e.priority)).toEqual([3, 1]);
  });

  it('RUNNING and READY follow the core: a task preempted while it works is READY until it runs again', () => {
    const { ch } = run(CHANNELS_PRIORITY_INVERSION);
    const states = (name: string) => ch.filter((e) => e.task === name && e.op === 'state');
    // The server takes the call, the hog (medium priority) takes the core for its 2 ms, and the
    // server finishes the call only after it.
    expect(states('server').map((e) => e.state)).toEqual([
      'RUNNING',
      'RECEIVE_BLOCKED',
      'READY',
      'RUNNING',
      'READY',
      'RUNNING',
      'READY',
      'RUNNING',
      'RECEIVE_BLOCKED',
    ]);
    const preempted = states('server')[4];
    expect(preempted?.detail).toBe('hog runs');
    const hog = states('hog');
    expect(hog.map((e) => e.state)).toEqual(['RUNNING', 'STOPPED']);
    expect(hog[0]?.t).toBe(preempted?.t);
    // One task at most is RUNNING at any time on the core.
    const running = new Set<string>();
    for (const e of ch.filter((x) => x.op === 'state')) {
      if (e.state === 'RUNNING') running.add(e.task);
      else running.delete(e.task);
      expect(running.size).toBeLessThanOrEqual(1);
    }
  });
});

describe('deadlock', () => {
  it('two servers calling each other while handling a request: the checker names the cycle', () => {
    const { violations, ch } = run(CHANNELS_DEADLOCK);
    expect(violations.map((v) => [v.rule, v.where])).toEqual([['deadlock', 'a → b']]);
    expect(violations[0]?.message).toBe(
      'a cycle of blocked tasks: a sends on chan_b, served by b; b sends on chan_a, served by a',
    );
    // b keeps the core while it handles c2's request (no time slicing among equals), then blocks
    // on chan_a; a, preempted in its own handling, blocks on chan_b when it has finished.
    expect(ch.filter((e) => e.op === 'state' && e.state === 'SEND_BLOCKED').map((e) => e.task)).toEqual(['b', 'a']);
  });
});

describe('a domain reset', () => {
  it('starts the tasks a new life: the checker forgets the old waits and reports the new deadlock again', () => {
    const { ch, events, violations } = run({
      ...CHANNELS_DEADLOCK,
      faults: [{ id: 'r', kind: 'warm-reset', target: { domain: 'hart0' }, schedule: { atUs: 500 } }],
    });
    const reset = events.find((e) => e.kind === 'domain' && e.status === 'restarted');
    // After the reset the servers boot again and receive: not blocked on each other any more.
    const after = ch.filter((e) => e.op === 'state' && reset && e.seq > reset.seq);
    expect(after.slice(0, 4).map((e) => [e.task, e.state])).toEqual([
      ['a', 'RUNNING'],
      ['a', 'RECEIVE_BLOCKED'],
      ['b', 'RUNNING'],
      ['b', 'RECEIVE_BLOCKED'],
    ]);
    // The same requests deadlock them again, in the new life: reported once per life.
    const deadlocks = violations.filter((v) => v.rule === 'deadlock');
    expect(deadlocks).toHaveLength(2);
    expect(reset && deadlocks.map((v) => (v.seq ?? -1) > reset.seq)).toEqual([false, true]);
  });
});

describe('a server restart (Hubris generations)', () => {
  it('its waiting clients get the dead code of the new generation, look it up again and carry on', () => {
    const { ch, violations } = run(CHANNELS_SERVER_RESTART);
    const restart = ops(ch, 'restart', 'kv')[0];
    expect(restart?.generation).toBe(1);
    const dead = ops(ch, 'dead');
    expect(dead.map((e) => e.task).sort()).toEqual(['app', 'cache']);
    expect(new Set(dead.map((e) => e.code))).toEqual(new Set([(FIRST_DEAD_CODE | 1) >>> 0]));
    // Every call but the one the fault interrupted is answered: 6 + 6 − 0 lost, after retries.
    expect(ops(ch, 'reply', 'kv').filter((e) => !e.detail)).toHaveLength(12);
    expect(violations).toEqual([]);
  });

  it('replays from a snapshot, generations and dead codes included', () => {
    const { first, again } = replayFromSnapshot(worldOf(CHANNELS_SERVER_RESTART), 10);
    expect(again).toEqual(first);
    expect(first.some((e) => e.includes('"op":"dead"'))).toBe(true);
  });
});

describe('scenario checks', () => {
  it('refuses what Anckor does not have, and channels across cores', () => {
    const anckor = parseScenario(
      scenario(
        [task('s', 2, { kind: 'server', channel: 'c' }), task('c', 1, { kind: 'client', channel: 'c', timeoutUs: 5 })],
        'anckor',
      ),
    );
    expect(!anckor.ok && anckor.error.map((i) => i.message)).toEqual([
      'Anckor has no reply: use a receiver',
      'Anckor has no reply: a client sends one-way (call: false)',
      'Anckor has no timeouts',
    ]);
    const two = scenario([task('s', 2, { kind: 'server', channel: 'c' })]);
    const cross = parseScenario({
      ...two,
      domains: [{ name: 'cpu' }, { name: 'other' }],
      channels: {
        mode: 'hubris',
        region: 'buf',
        tasks: [
          { name: 's', domain: 'cpu', behaviour: { kind: 'server', channel: 'c' } },
          { name: 'c', domain: 'other', behaviour: { kind: 'client', channel: 'c' } },
        ],
      },
    });
    expect(!cross.ok && cross.error[0]?.message).toBe('channel c is on cpu: channels connect the tasks of one core');
  });
});

describe('closed and notification-only receives', () => {
  it('a closed receive takes only the named sender; others keep waiting', () => {
    const { ch } = run(
      scenario([
        task('srv', 1, { kind: 'server', channel: 'lock', closedFrom: 'owner', count: 2 }),
        task('other', 3, { kind: 'client', channel: 'lock', count: 1 }, 5),
        task('owner', 2, { kind: 'client', channel: 'lock', count: 2, periodUs: 50 }, 10),
      ]),
    );
    expect(ops(ch, 'receive', 'srv').map((e) => e.peer)).toEqual(['owner', 'owner']);
    const other = ch.filter((e) => e.task === 'other' && e.op === 'state');
    expect(other.at(-1)?.state).toBe('SEND_BLOCKED');
    expect(ch.find((e) => e.task === 'srv' && e.op === 'state' && e.state === 'RECEIVE_BLOCKED')?.peer).toBe(
      'lock from owner',
    );
  });

  it('a task waiting for notifications only gets the bits its mask accepts, at post time', () => {
    const { ch } = run(
      scenario([
        task('irq', 1, { kind: 'waiter', mask: 0x2, count: 2 }),
        task('tmr', 2, { kind: 'notifier', target: 'irq', bits: 0x3, periodUs: 100, count: 3 }, 10),
      ]),
    );
    const got = ops(ch, 'receive', 'irq');
    expect(got.map((e) => e.bits)).toEqual([2, 2]);
    expect(ch.filter((e) => e.task === 'irq' && e.op === 'state').map((e) => e.state)).toContain('NOTIFICATION_WAIT');
  });
});
