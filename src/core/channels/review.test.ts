/**
 * The independent review of synchronous channels, one regression test per confirmed finding, and
 * the tests it found missing (a direct switch, stale handles, the sender taken by priority).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';
import { scenarioWorld } from '../scenario/testWorld';
import type { TraceEvent } from '../trace/events';
import { FIRST_DEAD_CODE } from './ChannelKernel';
import { type ChannelEvent, channelOps, channelScenario, channelTask, runChannels } from './testScenario';
import { CHANNELS_CLIENT_SERVER, CHANNELS_DEADLOCK } from '../scenario/presets/channels';

const scenario = channelScenario;
const task = channelTask;
const run = runChannels;
const ops = channelOps;
const lastState = (ch: readonly ChannelEvent[], t: string) =>
  ch.filter((e) => e.task === t && e.op === 'state').at(-1)?.state;

describe('review of channels: the kernel', () => {
  it('1: a one-way send on the fast path leaves nothing behind: the next send times out as it should', () => {
    const { ch, w } = run(
      scenario([
        task('r', 5, { kind: 'receiver', channel: 'c', create: true, count: 1 }),
        task('s', 4, { kind: 'client', channel: 'c', call: false, count: 2, timeoutUs: 100 }, 2),
      ]),
    );
    expect(ops(ch, 'send', 's')).toHaveLength(1);
    expect(ops(ch, 'timeout', 's')).toHaveLength(1);
    // It finished (STOPPED), not left waiting on the channel.
    expect(w.sim.domain('cpu') && lastState(ch, 's')).toBe('STOPPED');
  });

  it('2: Anckor clears its sender slot after a hand-over: a later sender is not a lost wake-up', () => {
    const { violations } = run(
      scenario(
        [
          task('a', 5, { kind: 'client', channel: 'c', create: true, call: false, count: 1 }),
          task('rcv', 4, { kind: 'receiver', channel: 'c', count: 1 }, 2),
          task('b', 3, { kind: 'client', channel: 'c', call: false, count: 1 }, 500),
        ],
        'anckor',
      ),
    );
    expect(violations).toEqual([]);
  });

  it('3: two receivers on one channel are served in turn (Anckor: the second overwrites the first)', () => {
    const tasks = [
      task('r1', 5, { kind: 'receiver', channel: 'c', create: true }),
      task('r2', 5, { kind: 'receiver', channel: 'c' }),
      task('s', 1, { kind: 'client', channel: 'c', call: false, count: 4 }, 10),
    ];
    const hubris = run(scenario(tasks));
    expect(new Set(ops(hubris.ch, 'send').map((e) => e.peer))).toEqual(new Set(['r1', 'r2']));
    const anckor = run(scenario(tasks, 'anckor'));
    expect(anckor.violations.map((v) => v.rule)).toContain('lost-wakeup');
  });

  it('4 and 5: a restart withdraws the task’s own calls, and a closed receive from it gets a dead code', () => {
    const { ch } = run(
      scenario([
        task('srv', 2, { kind: 'server', channel: 'lock', closedFrom: 'owner' }),
        task('owner', 3, { kind: 'server', channel: 'own', crashAfter: 1, restartAfterUs: 50 }),
        task('poke', 4, { kind: 'client', channel: 'own', count: 1 }, 10),
      ]),
    );
    const dead = ops(ch, 'dead', 'srv')[0];
    expect(dead?.code).toBe((FIRST_DEAD_CODE | 1) >>> 0);
  });

  it('6 and 7: inheritance is given back after a one-way sender, and passed down a chain of calls', () => {
    const oneWay = run(
      scenario(
        [
          task('srv', 1, { kind: 'server', channel: 'c', handleUs: 100 }),
          task('cli', 5, { kind: 'client', channel: 'c', call: false, count: 1 }, 5),
        ],
        'hubris',
        true,
      ),
    );
    expect(oneWay.w.sim.domain('cpu')?.taskPriority('srv')).toEqual({ priority: -1, base: -1 });
    const chain = run(
      scenario(
        [
          task('s2', 1, { kind: 'server', channel: 'c2', handleUs: 100 }),
          task('s1', 1, { kind: 'server', channel: 'c1', handleUs: 10, callWhileHandling: { channel: 'c2', size: 8 } }),
          task('hi', 5, { kind: 'client', channel: 'c1', count: 1 }, 5),
          task('hog', 3, { kind: 'hog', durationUs: 2_000 }, 20),
        ],
        'hubris',
        true,
      ),
    );
    expect(ops(chain.ch, 'priority', 's2')[0]?.priority).toBe(5);
    expect(ops(chain.ch, 'reply', 's1')[0]?.t).toBeLessThan(1_000_000);
  });

  it('8: a server calling its own channel is a deadlock of one', () => {
    const { violations } = run(
      scenario([
        task('s', 2, { kind: 'server', channel: 'c', callWhileHandling: { channel: 'c', size: 8 } }),
        task('cli', 3, { kind: 'client', channel: 'c', count: 1 }, 5),
      ]),
    );
    expect(violations.map((v) => v.message)).toEqual([
      's sends on c, which it serves itself: nobody will ever receive it',
    ]);
  });

  it('9: a receiver taking a queued message does not jump ahead of a higher-priority task', () => {
    const { ch, events } = run(
      scenario([
        task('srv', 1, { kind: 'server', channel: 'c', handleUs: 20 }, 0),
        task('cli', 2, { kind: 'client', channel: 'c', count: 1 }, 1),
        task('hog', 5, { kind: 'hog', durationUs: 10 }, 1),
      ]),
    );
    expect(ops(ch, 'reply', 'srv')).toHaveLength(1);
    const decisions = events.filter((e) => e.kind === 'decision').map((e) => (e.kind === 'decision' ? e.ran : ''));
    // While hog is ready it runs: srv's steps come only after hog is done.
    const hogDone = decisions.lastIndexOf('task:hog');
    expect(decisions.slice(decisions.indexOf('task:hog'), hogDone).includes('task:srv')).toBe(false);
  });

  it('10: a message longer than the channel buffer is refused by the scenario checks', () => {
    const parsed = parseScenario(
      scenario([
        task('s', 1, { kind: 'server', channel: 'c' }),
        task('c', 2, { kind: 'client', channel: 'c', size: 256 }),
      ]),
    );
    expect(parsed.ok).toBe(true);
    const big = parseScenario({
      ...scenario([
        task('s', 1, { kind: 'server', channel: 'c' }),
        task('c', 2, { kind: 'client', channel: 'c', size: 200 }),
      ]),
      memory: { size: 4096, regions: [{ name: 'buf', offset: 0, size: 64 }] },
    });
    expect(!big.ok && big.error[0]?.message).toBe('a 200-byte message does not fit the 64-byte channel buffer buf');
  });
});

describe('review of channels: what the tests did not pin', () => {
  it('a direct process switch: a lower-priority receiver runs right after the hand-over', () => {
    const { events } = run(
      scenario([
        task('rcv', 1, { kind: 'receiver', channel: 'c', create: true, count: 2 }),
        task('snd', 5, { kind: 'client', channel: 'c', call: false, count: 2 }, 5),
      ]),
    );
    const ran = events.filter((e) => e.kind === 'decision').map((e) => (e.kind === 'decision' ? e.ran : ''));
    const first = ran.indexOf('task:snd');
    expect(ran[first + 1]).toBe('task:rcv');
  });

  it('a stale handle (an earlier generation of its server) gets a dead code at once', () => {
    const w = scenarioWorld(scenario([task('s', 1, { kind: 'server', channel: 'c' })]));
    w.sim.run({ maxSteps: 5 });
    const k = w.channels.get('cpu');
    if (!k) throw new Error('no channel kernel');
    const old = k.get('x', 'c');
    if (typeof old === 'string') throw new Error(old);
    k.restart('s');
    expect(k.send('x', old, [1, 2, 3], true)).toEqual({ kind: 'dead', code: (FIRST_DEAD_CODE | 1) >>> 0 });
    // The new generation's handle reaches it.
    const fresh = k.get('x', 'c');
    expect(typeof fresh === 'number' && fresh !== old).toBe(true);
  });

  it('a waiting server takes the higher-priority sender first, though it arrived later', () => {
    const { ch } = run(
      scenario([
        task('srv', 1, { kind: 'server', channel: 'c', handleUs: 50 }, 0),
        task('first', 3, { kind: 'client', channel: 'c', count: 1 }, 5),
        task('low', 2, { kind: 'client', channel: 'c', count: 1 }, 10),
        task('high', 4, { kind: 'client', channel: 'c', count: 1 }, 20),
      ]),
    );
    expect(ops(ch, 'send').map((e) => e.task)).toEqual(['first', 'high', 'low']);
  });
});

describe('review of channels: left open last time', () => {
  /**
   * `maker` creates channel c and takes its first message, then stops; `rx` serves c from then
   * on. A channel is served by the task that last took a message from it, not by its creator.
   */
  const servedByAnother = (faults: object[] = []) => ({
    ...scenario(
      [
        task('maker', 6, { kind: 'receiver', channel: 'c', create: true, count: 1 }),
        task('rx', 1, { kind: 'receiver', channel: 'c' }, 1),
        task('hog', 3, { kind: 'hog', durationUs: 500 }, 30),
        task('s1', 4, { kind: 'client', channel: 'c', call: false, count: 4, periodUs: 20 }, 2),
      ],
      'hubris',
      true,
    ),
    faults,
  });

  it('a waiting sender lends its priority to the task serving the channel, not to its creator', () => {
    const { ch } = run(servedByAnother() as ScenarioInput);
    // s1's 4th send finds rx preempted by the hog: rx inherits s1's priority and takes it.
    expect(ops(ch, 'priority').map((e) => [e.task, e.priority])).toEqual([
      ['rx', 4],
      ['rx', 1],
    ]);
    const blocked = ch.find((e) => e.task === 's1' && e.state === 'SEND_BLOCKED');
    const taken = ops(ch, 'receive', 'rx').at(-1);
    expect(taken && blocked && taken.t - blocked.t).toBe(2_000);
  });

  it('a restart of the task serving the channel gives its waiting senders the dead code', () => {
    const { ch } = run(
      servedByAnother([
        { id: 'f', kind: 'task-fault', target: { task: 'rx' }, durationUs: 100, schedule: { atUs: 50 } },
      ]) as ScenarioInput,
    );
    const dead = ops(ch, 'dead');
    expect(dead.map((e) => [e.task, e.peer, e.code])).toEqual([['s1', 'c', (FIRST_DEAD_CODE | 1) >>> 0]]);
    // It looked c up again and sent once more: the restarted rx took it.
    expect(ops(ch, 'receive', 'rx').at(-1)?.generation).toBe(1);
  });
});

describe('review of channels: RUNNING, task-fault and the supervisor', () => {
  const fault = (id: string, t: string, atUs: number, durationUs?: number) => ({
    id,
    kind: 'task-fault',
    target: { task: t },
    schedule: { atUs },
    ...(durationUs === undefined ? {} : { durationUs }),
  });
  const withFaults = (input: ScenarioInput, faults: object[]) => ({ ...input, faults }) as ScenarioInput;

  it('A: the supervisor restarts on time, ahead of every task (jefe), whatever runs then', () => {
    const { ch } = run(
      withFaults(
        scenario([
          task('srv', 1, { kind: 'server', channel: 'c', handleUs: 50 }),
          task('cl', 5, { kind: 'client', channel: 'c', count: 2 }, 5),
          task('hog', 3, { kind: 'hog', durationUs: 2000 }, 100),
        ]),
        [fault('f', 'srv', 20, 100)],
      ),
    );
    expect(ops(ch, 'restart', 'srv').map((e) => e.t)).toEqual([120_000]);
    expect(ops(ch, 'dead', 'cl').map((e) => e.t)).toEqual([120_000]);
  });

  it('B: a restarted server gets its own channel back even when all 10 are taken', () => {
    const servers = Array.from({ length: 10 }, (_, i) => task(`s${i}`, 1, { kind: 'server', channel: `c${i}` }));
    const { ch } = run(
      withFaults(
        scenario([...servers, task('cl', 2, { kind: 'client', channel: 'c0', count: 3, periodUs: 100 }, 30)]),
        [fault('f', 's0', 150, 50)],
      ),
    );
    expect(ops(ch, 'create', 's0').map((e) => e.detail)).toEqual(['handle 0', 'its own channel again: handle 1024']);
    expect(ops(ch, 'reply', 's0').filter((e) => e.msgId !== undefined)).toHaveLength(3);
    expect(lastState(ch, 'cl')).toBe('STOPPED');
  });

  it('C: a task that has not started cannot be faulted yet: the fault waits for it', () => {
    const { ch, events } = run(
      withFaults(
        scenario([
          task('late', 1, { kind: 'server', channel: 'c' }, 1000),
          task('cl', 2, { kind: 'client', channel: 'c', count: 1 }, 1100),
        ]),
        [fault('f', 'late', 10, 50)],
      ),
    );
    const first = ch.find((e) => e.task === 'late');
    expect(first?.t).toBe(1_000_000);
    const acted = events.find((e) => e.kind === 'fault');
    expect(acted && acted.t >= 1_000_000).toBe(true);
  });

  it('D: Anckor has no supervisor: a task faulted by hand with a restart time is held', () => {
    const w = scenarioWorld(
      scenario(
        [
          task('rcv', 1, { kind: 'receiver', channel: 'c', create: true }),
          task('snd', 2, { kind: 'client', channel: 'c', call: false, count: 3, periodUs: 50 }, 2),
        ],
        'anckor',
      ),
    );
    w.sim.run({ maxSteps: 10 });
    const k = w.channels.get('cpu');
    expect(k?.inject('rcv', 'hand', 20_000)).toBe('rcv faulted and held: Anckor has no supervisor to restart it');
    w.sim.run({ maxSteps: 10_000, maxTimeNs: 1e9 });
    const ch = w.sim.trace.events.filter((e): e is TraceEvent & ChannelEvent => e.kind === 'channel');
    expect(ops(ch, 'restart')).toEqual([]);
    expect(lastState(ch, 'rcv')).toBe('FAULTED');
  });

  it('E: a task faulted again takes the new reason and the new restart time', () => {
    const { ch } = run(withFaults(CHANNELS_CLIENT_SERVER, [fault('hold', 'fs', 112), fault('again', 'fs', 150, 50)]));
    const faulted = ch.filter((e) => e.task === 'fs' && e.state === 'FAULTED').map((e) => e.detail);
    expect(faulted).toEqual(['killed by fault hold (was: RUNNING)', 'killed by fault again (was: FAULTED)']);
    expect(ops(ch, 'restart', 'fs').map((e) => e.t)).toEqual([200_000]);
  });

  it('F: a cycle formed again after both tasks restarted is reported again', () => {
    const input = structuredClone(CHANNELS_DEADLOCK) as ScenarioInput & {
      channels: { tasks: { behaviour: object }[] };
    };
    for (const t of input.channels.tasks)
      if ('kind' in t.behaviour && t.behaviour.kind === 'client')
        Object.assign(t.behaviour, { count: 3, periodUs: 400 });
    const { violations } = run(withFaults(input, [fault('fa', 'a', 200, 100), fault('fb', 'b', 200, 100)]));
    expect(violations.filter((v) => v.rule === 'deadlock')).toHaveLength(2);
  });

  it('G: a task whose channel_create failed has finished: STOPPED, not READY', () => {
    const { ch } = run(
      scenario([
        task('r1', 1, { kind: 'receiver', channel: 'c', create: true }),
        task('r2', 1, { kind: 'receiver', channel: 'c', create: true }, 1),
      ]),
    );
    expect(ops(ch, 'create', 'r2').map((e) => e.detail)).toEqual(['-EEXIST']);
    expect(lastState(ch, 'r2')).toBe('STOPPED');
  });

  it('H: tasks of one priority do not time-slice: each keeps the core until it is done', () => {
    const { ch } = run(
      scenario([task('h1', 1, { kind: 'hog', durationUs: 2000 }), task('h2', 1, { kind: 'hog', durationUs: 2000 })]),
    );
    expect(ch.filter((e) => e.op === 'state').map((e) => [e.task, e.state])).toEqual([
      ['h1', 'RUNNING'],
      ['h1', 'STOPPED'],
      ['h2', 'RUNNING'],
      ['h2', 'STOPPED'],
    ]);
  });

  it('I: a server calling another looks it up again after its restart, instead of failing for ever', () => {
    const { ch } = run(
      withFaults(
        scenario([
          task('back', 3, { kind: 'server', channel: 'db', handleUs: 40 }),
          task('front', 2, {
            kind: 'server',
            channel: 'api',
            handleUs: 10,
            callWhileHandling: { channel: 'db', size: 8 },
          }),
          task('cl', 1, { kind: 'client', channel: 'api', count: 3, periodUs: 200 }, 5),
        ]),
        [fault('f', 'back', 40, 50)],
      ),
    );
    // One dead code at back's restart; front looked db up again and called once more.
    expect(ops(ch, 'dead').map((e) => [e.task, e.t])).toEqual([['front', 90_000]]);
    expect(ops(ch, 'get', 'front').map((e) => e.detail)).toEqual(['handle 0', 'handle 1024']);
    // Every one of cl's calls is answered with success, the first one too.
    expect(ops(ch, 'reply', 'front').map((e) => e.code)).toEqual([0, 0, 0]);
    expect(ops(ch, 'send', 'front')).toHaveLength(4);
  });
});
