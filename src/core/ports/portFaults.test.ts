/**
 * Faults on libipc ports, each against what it should do to the run and what the checker then
 * says: a lost, late or doubled item, a corrupted member of a queued message, a stalled task and
 * an exhausted mempool; a fault added by hand is forgotten when the run is rewound before it.
 */
import { describe, expect, it } from 'vitest';
import { checkTrace } from '../faults/invariants';
import { faultSchema, type FaultInput } from '../faults/schema';
import { parseScenario } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';
import type { TraceEvent } from '../trace/events';
import { scenarioWorld as libipcWorld } from '../scenario/testWorld';

type PortEvent = Extract<TraceEvent, { kind: 'port' }>;

const DEFS = `port_name: foo_port
messages:
  structs:
    - name: foo_msg_t
      fields:
        - uint32_t sequence
        - uint8_t level
`;

/** foo_msg_t (8 B) copies: a queue's worth and a blocked sender's, and a region for anything bigger. */
const POOL = [
  { name: 'tiny_msgs', size: 16, count: 8 },
  { name: 'small_msgs', size: 64, count: 2 },
];

function scenario(faults: FaultInput[], handleUs = 1_000, count = 4, takeOwnership = true): ScenarioInput {
  return {
    version: 1,
    name: 'port faults',
    seed: 3,
    memory: { size: 8192, regions: [{ name: 'ports', offset: 0, size: 8192 }] },
    domains: [{ name: 'mcu' }],
    instances: [],
    endpoints: [],
    runtime: { assert: 'halt' },
    faults,
    libipc: {
      region: 'ports',
      definitions: [{ file: 'foo_ipc.yaml', text: DEFS }],
      pool: POOL,
      tasks: [
        { name: 'rx', domain: 'mcu', priority: 2, behaviour: { kind: 'receiver', port: 'foo_port', handleUs } },
        {
          name: 'tx',
          domain: 'mcu',
          priority: 3,
          startAtUs: 100,
          behaviour: {
            kind: 'sender',
            port: 'foo_port',
            message: 'foo_msg_t',
            periodUs: 500,
            count,
            values: { level: 5 },
            counter: 'sequence',
            takeOwnership,
          },
        },
      ],
    },
  };
}

const world = libipcWorld;

function run(input: ScenarioInput) {
  const w = world(input);
  expect(w.sim.run({ maxSteps: 20_000 })).toBe('idle');
  const events = w.sim.trace.events;
  const ports = events.filter((e): e is TraceEvent & PortEvent => e.kind === 'port');
  return { w, events, ports, violations: checkTrace(w.scenario, events, w.sim.map.bytes) };
}

const rules = (v: readonly { rule: string }[]) => [...new Set(v.map((x) => x.rule))];

describe('faults on sends to a port', () => {
  it('port-drop: the sender sees success, the item never arrives, the checker says so', () => {
    const { ports, events, violations } = run(
      scenario([{ id: 'f1', kind: 'port-drop', target: { port: 'foo_port' }, schedule: { count: 1 } }]),
    );
    expect(events.filter((e) => e.kind === 'fault').length).toBe(1);
    expect(ports.filter((e) => e.op === 'recv')).toHaveLength(3);
    expect(rules(violations)).toContain('delivered-once');
    // Its mempool copy is never released either.
    expect(rules(violations)).toContain('pool-leaked');
  });

  it('port-duplicate: the same item is received twice', () => {
    const { ports, violations } = run(
      scenario(
        [{ id: 'f1', kind: 'port-duplicate', target: { port: 'foo_port' }, schedule: { count: 1 } }],
        1_000,
        2,
        false,
      ),
    );
    const ids = ports.filter((e) => e.op === 'recv').map((e) => e.msgId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(2);
    expect(violations.find((v) => v.rule === 'delivered-once')?.message).toContain('a second time');
  });

  it('port-delay: a late item is overtaken by the next send', () => {
    const { ports, violations } = run(
      scenario(
        [{ id: 'f1', kind: 'port-delay', target: { port: 'foo_port' }, delayUs: 800, schedule: { count: 1 } }],
        100,
        3,
      ),
    );
    const received = ports.filter((e) => e.op === 'recv').map((e) => e.msgId ?? 0);
    expect(received).toHaveLength(3);
    expect(received).not.toEqual([...received].sort((a, b) => a - b));
    expect(rules(violations)).toEqual(['in-order']);
  });

  it('are refused by scenario checks when scheduled on the scheduler or a machine state', () => {
    const parsed = parseScenario(
      scenario([{ id: 'f1', kind: 'port-drop', target: { port: 'foo_port' }, schedule: { atStep: 3 } }]),
    );
    expect(parsed.ok).toBe(false);
    const wrongPort = parseScenario(scenario([{ id: 'f1', kind: 'port-drop', target: { port: 'bar_port' } }]));
    expect(!wrongPort.ok && wrongPort.error[0]?.message).toBe('no port bar_port');
  });
});

describe('one-shot port faults', () => {
  it('port-corrupt: a member of the next queued message is changed before it is read', () => {
    const w = world(
      scenario(
        [
          {
            id: 'f1',
            kind: 'port-corrupt',
            target: { port: 'foo_port', member: 'level' },
            value: 0xee,
            schedule: { atUs: 700 },
          },
        ],
        2_000,
        3,
        true,
      ),
    );
    w.sim.run({ until: (sim) => sim.trace.events.some((e) => e.kind === 'fault') });
    const fault = w.sim.trace.events.find((e) => e.kind === 'fault');
    expect(fault?.kind === 'fault' && fault.detail).toMatch(/foo_msg_t\.level of message #\d+ .* 0x05 → 0xee/);
    // The item still waits in the queue; its mempool copy holds the changed byte (offset 4 of foo_msg_t).
    const lib = w.libipc.get('mcu');
    const port = lib?.port('foo_port');
    const head = port ? lib?.headItem(port) : null;
    expect(head && w.sim.map.bytes[head.object - w.sim.map.base + 4]).toBe(0xee);
  });

  it('task-stall: the receiver takes nothing while stalled, the queue fills', () => {
    const { ports } = run(
      scenario(
        [{ id: 'f1', kind: 'task-stall', target: { task: 'rx' }, durationUs: 5_000, schedule: { atUs: 50 } }],
        10,
        6,
      ),
    );
    const firstRecv = ports.find((e) => e.op === 'recv');
    expect(firstRecv?.t).toBeGreaterThanOrEqual(5_050_000);
    expect(Math.max(...ports.filter((e) => e.op === 'send').map((e) => e.fill ?? 0))).toBe(4);
  });

  it('pool-exhaust: every free entry is taken, and ipc_send_cp asserts', () => {
    const { events, w } = run(scenario([{ id: 'f1', kind: 'pool-exhaust', schedule: { atUs: 10 } }]));
    const assert = events.find((e) => e.kind === 'assert');
    expect(assert?.kind === 'assert' && assert.message).toContain('mempool exhausted');
    expect(w.sim.domain('mcu')?.halted).toBe(true);
  });

  it('pool-exhaust for a while: the entries come back and the sends go through', () => {
    const { events, violations } = run(
      scenario([{ id: 'f1', kind: 'pool-exhaust', durationUs: 50, schedule: { atUs: 10 } }]),
    );
    expect(events.some((e) => e.kind === 'assert')).toBe(false);
    const entries = POOL.reduce((n, r) => n + r.count, 0);
    expect(events.filter((e) => e.kind === 'pool' && e.op === 'free' && e.task === 'fault').length).toBe(entries);
    expect(violations).toEqual([]);
  });
});

describe('a fault added by hand', () => {
  it('acts from then on, and rewinding to before it forgets it', () => {
    const w = world(scenario([], 100, 6));
    w.sim.run({ maxSteps: 6 });
    const snap = w.sim.snapshot();
    const mark = w.sim.trace.length;
    w.faults.add(faultSchema.parse({ id: 'hand', kind: 'port-drop', target: { port: 'foo_port' } }));
    w.sim.run({ maxSteps: 5_000 });
    const dropped = w.sim.trace.events.slice(mark).filter((e) => e.kind === 'fault');
    expect(dropped.length).toBeGreaterThan(0);
    expect(w.faults.faults.find((f) => f.fault.id === 'hand')?.acted).toBe(dropped.length);
    w.sim.restore(snap);
    w.sim.run({ maxSteps: 5_000 });
    expect(w.sim.trace.events.slice(mark).some((e) => e.kind === 'fault')).toBe(false);
  });
});
