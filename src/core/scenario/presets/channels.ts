/**
 * Synchronous-channel presets (reference libipc-and-channels.md §2–3): Anckor's own ping test,
 * its defects, and the situations a debugger of rendezvous IPC must make obvious — a client and
 * a server with replies and notifications, a deadlock, a priority inversion with and without
 * priority inheritance, and a server restart seen by its clients.
 */
import type { ScenarioInput } from '../schema';

/** Anckor's `tests/messages/messages.c`. */
export const MAGIC_WORD = 0x5da9cab3;
export const MAGIC_WORD_2 = 0x5da9da57;

function core(name: string, description: string): Omit<ScenarioInput, 'channels'> {
  return {
    version: 1,
    name,
    description,
    seed: 3,
    memory: { base: 0x8020_0000, size: 4096, regions: [{ name: 'chan_buf', offset: 0, size: 256 }] },
    domains: [{ name: 'hart0' }],
    instances: [],
    endpoints: [],
    runtime: { assert: 'halt', costs: { taskUs: 2 } },
  };
}

/**
 * Anckor's ping test as its repository runs it: case 1, the receiver (priority 5) creates
 * `data_channel` and blocks; the sender (4) hands MAGIC_WORD over in one register and switches
 * straight to it. Case 2, the sender (5) creates `data_channel_2` and blocks first; the receiver
 * (4) gets it.
 */
export const CHANNELS_ANCKOR_PING: ScenarioInput = {
  ...core(
    'channels: Anckor’s ping test (tests/messages)',
    'Case 1: rcv (priority 5) creates data_channel and blocks in channel_rcv; snd (4) finds it and sends MAGIC_WORD 0x5DA9CAB3: one register, a direct switch to rcv. Case 2 (from 1 ms): snd2 (5) creates data_channel_2 and blocks in channel_snd; rcv2 (4) receives MAGIC_WORD_2.',
  ),
  channels: {
    mode: 'anckor',
    region: 'chan_buf',
    tasks: [
      {
        name: 'rcv',
        domain: 'hart0',
        priority: 5,
        behaviour: { kind: 'receiver', channel: 'data_channel', create: true, count: 1, expect: MAGIC_WORD },
      },
      {
        name: 'snd',
        domain: 'hart0',
        priority: 4,
        behaviour: { kind: 'client', channel: 'data_channel', call: false, count: 1, value: MAGIC_WORD },
      },
      {
        name: 'snd2',
        domain: 'hart0',
        priority: 5,
        startAtUs: 1_000,
        behaviour: {
          kind: 'client',
          channel: 'data_channel_2',
          create: true,
          call: false,
          count: 1,
          value: MAGIC_WORD_2,
        },
      },
      {
        name: 'rcv2',
        domain: 'hart0',
        priority: 4,
        startAtUs: 1_000,
        behaviour: { kind: 'receiver', channel: 'data_channel_2', count: 1, expect: MAGIC_WORD_2 },
      },
    ],
  },
};

/**
 * Anckor's one sender slot: two senders block on one channel before the receiver runs; the
 * second overwrites `ch->in` and the first is never woken. (`hubris` mode queues both.)
 */
export const CHANNELS_ANCKOR_TWO_SENDERS: ScenarioInput = {
  ...core(
    'channels: Anckor with two senders (a lost wake-up)',
    'a and b (priorities 4 and 3) both send on data_channel before rcv (2) receives. Anckor keeps one sender in ch->in: b overwrites a, rcv gets b\'s message, and a stays BLOCKED for ever. Switch mode to "hubris" and both are delivered.',
  ),
  channels: {
    mode: 'anckor',
    region: 'chan_buf',
    tasks: [
      // rcv receives only from 50 µs: by then both senders are blocked.
      {
        name: 'rcv',
        domain: 'hart0',
        priority: 2,
        startAtUs: 50,
        behaviour: { kind: 'receiver', channel: 'data_channel' },
      },
      {
        name: 'a',
        domain: 'hart0',
        priority: 4,
        startAtUs: 10,
        behaviour: { kind: 'client', channel: 'data_channel', create: true, call: false, count: 1, value: 0xa },
      },
      {
        name: 'b',
        domain: 'hart0',
        priority: 3,
        startAtUs: 10,
        behaviour: { kind: 'client', channel: 'data_channel', call: false, count: 1, value: 0xb },
      },
    ],
  },
};

/**
 * A server with replies (QNX/Hubris call semantics) and notifications: two clients call `fs`,
 * one with 8-byte messages (the register fast path), one with 64-byte ones (copied through the
 * channel buffer); a timer task posts notification bit 0 to the server, delivered at its next
 * receive.
 */
export const CHANNELS_CLIENT_SERVER: ScenarioInput = {
  ...core(
    'channels: a client/server with replies and notifications',
    'fs (priority 2) serves calls for 30 µs each and replies. ui (3) calls with 8-byte messages (one register); log (1) with 64-byte ones (copied through chan_buf). A timer posts bit 0 to fs every 250 µs, delivered when fs next receives. The higher-priority caller is served first when both wait.',
  ),
  channels: {
    mode: 'hubris',
    region: 'chan_buf',
    tasks: [
      {
        name: 'fs',
        domain: 'hart0',
        priority: 2,
        behaviour: { kind: 'server', channel: 'fs', handleUs: 30, mask: 0x1 },
      },
      {
        name: 'ui',
        domain: 'hart0',
        priority: 3,
        startAtUs: 5,
        behaviour: { kind: 'client', channel: 'fs', size: 8, periodUs: 100, count: 10 },
      },
      {
        name: 'log',
        domain: 'hart0',
        priority: 1,
        startAtUs: 5,
        behaviour: { kind: 'client', channel: 'fs', size: 64, periodUs: 100, count: 10 },
      },
      {
        name: 'timer',
        domain: 'hart0',
        priority: 4,
        startAtUs: 100,
        behaviour: { kind: 'notifier', target: 'fs', bits: 0x1, periodUs: 250, count: 3 },
      },
    ],
  },
};

/**
 * A deadlock: servers `a` and `b` each call the other's channel while handling a request. Both
 * get a request at once; each blocks sending to the other: a cycle of blocked sends.
 */
export const CHANNELS_DEADLOCK: ScenarioInput = {
  ...core(
    'channels: a deadlock (a cycle of blocked sends)',
    'Server a, while handling a request on chan_a, calls chan_b; server b, while handling one on chan_b, calls chan_a. Two clients call both at once: a is SEND-BLOCKED on chan_b (b is busy), b on chan_a (a is busy). Nobody runs again; the checker names the cycle.',
  ),
  channels: {
    mode: 'hubris',
    region: 'chan_buf',
    tasks: [
      {
        name: 'a',
        domain: 'hart0',
        priority: 2,
        behaviour: {
          kind: 'server',
          channel: 'chan_a',
          handleUs: 10,
          callWhileHandling: { channel: 'chan_b', size: 8 },
        },
      },
      {
        name: 'b',
        domain: 'hart0',
        priority: 2,
        behaviour: {
          kind: 'server',
          channel: 'chan_b',
          handleUs: 10,
          callWhileHandling: { channel: 'chan_a', size: 8 },
        },
      },
      {
        name: 'c1',
        domain: 'hart0',
        priority: 3,
        startAtUs: 5,
        behaviour: { kind: 'client', channel: 'chan_a', count: 1 },
      },
      {
        name: 'c2',
        domain: 'hart0',
        priority: 3,
        startAtUs: 5,
        behaviour: { kind: 'client', channel: 'chan_b', count: 1 },
      },
    ],
  },
};

function inversion(priorityInheritance: boolean): ScenarioInput {
  return {
    ...core(
      priorityInheritance ? 'channels: the same with priority inheritance (QNX)' : 'channels: a priority inversion',
      priorityInheritance
        ? 'As the inversion, with priority inheritance: while high waits for its reply, server runs at high’s priority 3, so the hog cannot preempt it; high gets its reply after 200 µs.'
        : 'high (priority 3) calls server (1), which needs 200 µs of CPU. At 20 µs hog (2) starts 2 ms of work and preempts server: high, the most urgent task, waits for the hog. Compare the run with priority inheritance.',
    ),
    channels: {
      mode: 'hubris',
      priorityInheritance,
      region: 'chan_buf',
      tasks: [
        { name: 'server', domain: 'hart0', priority: 1, behaviour: { kind: 'server', channel: 'svc', handleUs: 200 } },
        {
          name: 'high',
          domain: 'hart0',
          priority: 3,
          startAtUs: 10,
          behaviour: { kind: 'client', channel: 'svc', count: 1 },
        },
        { name: 'hog', domain: 'hart0', priority: 2, startAtUs: 20, behaviour: { kind: 'hog', durationUs: 2_000 } },
      ],
    },
  };
}

export const CHANNELS_PRIORITY_INVERSION: ScenarioInput = inversion(false);
export const CHANNELS_PRIORITY_INHERITANCE: ScenarioInput = inversion(true);

/**
 * A server restart (Hubris generations): `kv` faults while serving its third request; its
 * supervisor restarts it 500 µs later with generation 1. The client waiting for that reply, and
 * one blocked sending, get a dead code; they look the channel up again and carry on.
 */
export const CHANNELS_SERVER_RESTART: ScenarioInput = {
  ...core(
    'channels: a server restart and dead codes',
    'kv faults while serving its 3rd request and is restarted 500 µs later (generation 0 → 1). app, waiting for that reply, and cache, blocked sending, both get the dead code 0xFFFFFF01; each looks kv up again (the new generation) and sends again.',
  ),
  channels: {
    mode: 'hubris',
    region: 'chan_buf',
    tasks: [
      {
        name: 'kv',
        domain: 'hart0',
        priority: 2,
        behaviour: { kind: 'server', channel: 'kv', handleUs: 20, crashAfter: 3, restartAfterUs: 500 },
      },
      {
        name: 'app',
        domain: 'hart0',
        priority: 3,
        startAtUs: 5,
        behaviour: { kind: 'client', channel: 'kv', periodUs: 50, count: 6 },
      },
      {
        name: 'cache',
        domain: 'hart0',
        priority: 1,
        startAtUs: 5,
        behaviour: { kind: 'client', channel: 'kv', periodUs: 50, count: 6 },
      },
    ],
  },
};
