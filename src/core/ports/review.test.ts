/**
 * The independent review of libipc (issue 9), one regression test per confirmed finding: each
 * failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { checkTrace } from '../faults/invariants';
import type { FaultInput } from '../faults/schema';
import { parseScenario } from '../scenario/parse';
import { LIBIPC_POWER_OFF_RESET, LIBIPC_TWO_CORES, LIBIPC_UI_POLLING } from '../scenario/presets/libipc';
import type { ScenarioInput } from '../scenario/schema';
import type { TraceEvent } from '../trace/events';
import { scenarioWorld as libipcWorld, replayFromSnapshot } from '../scenario/testWorld';

type PortEvent = Extract<TraceEvent, { kind: 'port' }>;

const DEFS = `port_name: foo_port
messages:
  structs:
    - name: foo_msg_t
      fields:
        - uint32_t sequence
        - uint8_t level
        - uint64_t stamp
        - char name[8]
`;

interface Opts {
  readonly faults?: FaultInput[];
  readonly pool?: { name: string; size: number; count: number }[];
  readonly tasks?: object[];
  readonly values?: Record<string, unknown>;
  readonly depth?: number;
  readonly copy?: boolean;
  readonly count?: number;
  readonly handleUs?: number;
}

function scenario(o: Opts = {}): ScenarioInput {
  return {
    version: 1,
    name: 'review',
    seed: 5,
    memory: { size: 8192, regions: [{ name: 'ports', offset: 0, size: 8192 }] },
    domains: [{ name: 'mcu' }],
    instances: [],
    endpoints: [],
    runtime: { assert: 'halt' },
    faults: o.faults ?? [],
    libipc: {
      region: 'ports',
      definitions: [{ file: 'foo_ipc.yaml', text: DEFS }],
      ports: [{ port: 'foo_port', depth: o.depth ?? 4 }],
      pool: o.pool ?? [{ name: 'msgs', size: 32, count: 12 }],
      tasks: (o.tasks ?? [
        {
          name: 'rx',
          domain: 'mcu',
          priority: 2,
          behaviour: { kind: 'receiver', port: 'foo_port', handleUs: o.handleUs ?? 100 },
        },
        {
          name: 'tx',
          domain: 'mcu',
          priority: 3,
          startAtUs: 100,
          behaviour: {
            kind: 'sender',
            port: 'foo_port',
            message: 'foo_msg_t',
            periodUs: 100,
            count: o.count ?? 3,
            counter: 'sequence',
            values: o.values ?? { level: 5 },
            takeOwnership: o.copy ?? false,
          },
        },
      ]) as never,
    },
  };
}

function run(input: ScenarioInput, maxTimeNs = 1e9) {
  const w = libipcWorld(input);
  const outcome = w.sim.run({ maxSteps: 100_000, maxTimeNs });
  const events = w.sim.trace.events;
  const ports = events.filter((e): e is TraceEvent & PortEvent => e.kind === 'port');
  return { w, outcome, events, ports, violations: checkTrace(w.scenario, events, w.sim.map.bytes) };
}

const rules = (v: readonly { rule: string }[]) => v.map((x) => x.rule).sort();

describe('review of libipc: faults', () => {
  it('1: mempool entries a pool-exhaust fault held are not given back after the device reset', () => {
    const { events } = run(
      scenario({
        copy: true,
        count: 30,
        handleUs: 200,
        faults: [
          { id: 'ex', kind: 'pool-exhaust', durationUs: 2_000, schedule: { atUs: 10 } },
          { id: 'rst', kind: 'warm-reset', target: { domain: 'mcu' }, schedule: { atUs: 300 } },
        ],
      }),
      20e6,
    );
    expect(events.filter((e) => e.kind === 'assert' && e.message.includes('double free'))).toEqual([]);
  });

  it('2: a count of 1 acts once in all, across device resets', () => {
    const input: ScenarioInput = {
      ...LIBIPC_POWER_OFF_RESET,
      faults: [{ id: 'd1', kind: 'port-drop', target: { port: 'sysinfo_port' }, schedule: { count: 1 } }],
    };
    const { events } = run(input, 1.2e9);
    expect(events.filter((e) => e.kind === 'domain' && e.status === 'reset').length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.kind === 'fault')).toHaveLength(1);
  });

  it('3 and 4: target.domain limits a send fault to that core, and count is the whole system’s (inline)', () => {
    const { events, ports } = run({
      ...LIBIPC_TWO_CORES,
      faults: [{ id: 'd', kind: 'port-drop', target: { domain: 'cpuapp', port: 'ui_port' }, schedule: { count: 1 } }],
    });
    // ui_port's only sender runs on cpurad: nothing of cpuapp's is sent there, nothing is dropped.
    expect(events.filter((e) => e.kind === 'fault')).toHaveLength(0);
    expect(ports.filter((e) => e.op === 'recv' && e.port === 'ui_port')).toHaveLength(400);
    const both = run({
      ...LIBIPC_TWO_CORES,
      faults: [{ id: 'd', kind: 'port-drop', schedule: { count: 1 } }],
    });
    expect(both.events.filter((e) => e.kind === 'fault')).toHaveLength(1);
  });

  it('8: a lost by-reference item is lost, not "overwritten in the queue"', () => {
    // The receiver is done with each item long before the sender writes its static again.
    const { violations } = run(
      scenario({
        handleUs: 10,
        faults: [{ id: 'd', kind: 'port-drop', target: { port: 'foo_port' }, schedule: { count: 1 } }],
      }),
    );
    expect(rules(violations)).toEqual(['delivered-once']);
  });

  it('7: a duplicated item is reported once, and the next item is not out of order', () => {
    const { violations } = run(
      scenario({
        handleUs: 10,
        faults: [{ id: 'd', kind: 'port-duplicate', target: { port: 'foo_port' }, schedule: { count: 1 } }],
      }),
    );
    expect(rules(violations)).toEqual(['delivered-once']);
  });

  it('15: entries a pool-exhaust fault holds are not reported as the firmware’s leaks', () => {
    const { violations } = run(scenario({ faults: [{ id: 'ex', kind: 'pool-exhaust', schedule: { atUs: 10 } }] }));
    expect(violations.filter((v) => v.rule === 'pool-leaked')).toEqual([]);
  });

  it('16: a member corrupted while its message waits is an intact violation', () => {
    const { violations } = run(
      scenario({
        copy: true,
        handleUs: 500,
        faults: [
          {
            id: 'c',
            kind: 'port-corrupt',
            target: { port: 'foo_port', member: 'level' },
            value: 0xee,
            schedule: { atUs: 250 },
          },
        ],
      }),
    );
    expect(violations.find((v) => v.rule === 'intact')?.message).toMatch(
      /changed in memory between its send and rx's receive/,
    );
  });
});

describe('review of libipc: semantics', () => {
  it('5: mempool_alloc takes the first declared region that fits, and asserts when it is full', () => {
    const { events } = run(
      scenario({
        copy: true,
        count: 3,
        handleUs: 5_000,
        pool: [
          { name: 'msgs', size: 24, count: 1 },
          { name: 'big', size: 64, count: 4 },
        ],
      }),
    );
    const assert = events.find((e) => e.kind === 'assert');
    expect(assert?.kind === 'assert' && assert.message).toContain(
      'msgs, the first region with entries of 24 bytes, has all 1 taken',
    );
    expect(events.some((e) => e.kind === 'pool' && e.pool === 'big')).toBe(false);
  });

  it('6: of two equal-priority senders blocked on a full queue, the one that blocked first sends first', () => {
    const sender = (name: string, startAtUs: number) => ({
      name,
      domain: 'mcu',
      priority: 3,
      startAtUs,
      behaviour: {
        kind: 'sender',
        port: 'foo_port',
        message: 'foo_msg_t',
        periodUs: 1_000_000,
        count: 1,
        takeOwnership: true,
      },
    });
    const { ports } = run(
      scenario({
        depth: 1,
        // rx takes `first` and handles it for 10 ms; `filler` fills the one slot; b then a block.
        tasks: [
          // Declared first, blocks second.
          sender('a', 300),
          sender('b', 200),
          sender('filler', 150),
          sender('first', 100),
          {
            name: 'rx',
            domain: 'mcu',
            priority: 2,
            behaviour: { kind: 'receiver', port: 'foo_port', handleUs: 10_000 },
          },
        ],
      }),
    );
    const order = ports.filter((e) => e.op === 'send').map((e) => e.task);
    expect(order).toEqual(['first', 'filler', 'b', 'a']);
  });
});

describe('review of libipc: scenario checks', () => {
  const issues = (input: ScenarioInput) => {
    const parsed = parseScenario(input);
    return parsed.ok ? [] : parsed.error.map((i) => `${i.path}: ${i.message}`);
  };

  it('11 and 12: values must fit their fields', () => {
    expect(issues(scenario({ values: { stamp: 1.5 } }))).toEqual([
      'libipc.tasks[1].behaviour.values.stamp: foo_msg_t.stamp: a uint64_t takes a whole number, not 1.5',
    ]);
    expect(issues(scenario({ values: { sequence: 'seven' } }))[0]).toContain('text goes only in a char array');
    expect(issues(scenario({ values: { level: 300 } }))[0]).toContain('300 does not fit a uint8_t');
    expect(issues(scenario({ values: { name: 'too long!' } }))[0]).toContain('needs 10 bytes with its NUL');
    expect(issues(scenario({ values: { name: 'ok', level: 1, stamp: 2 ** 40 } }))).toEqual([]);
  });

  it('13: a struct larger than the region is refused, not laid out in 0 bytes', () => {
    const big = scenario();
    const spec = big.libipc;
    if (!spec) throw new Error('no libipc');
    const input = {
      ...big,
      libipc: {
        ...spec,
        definitions: [{ file: 'foo_ipc.yaml', text: DEFS.replace('char name[8]', 'uint8_t x[4294967295]') }],
      },
    };
    expect(issues(input).join('\n')).toContain('more than all of region ports');
  });

  it('17: a port listed twice and an impossible alignment are refused', () => {
    const base = scenario();
    const spec = base.libipc;
    if (!spec) throw new Error('no libipc');
    const twice = {
      ...base,
      libipc: {
        ...spec,
        ports: [
          { port: 'foo_port', depth: 2 },
          { port: 'foo_port', depth: 8 },
        ],
      },
    };
    expect(issues(twice)).toEqual(['libipc.ports[1].port: port foo_port is listed twice']);
    const align = { ...base, libipc: { ...spec, types: { weird_t: { size: 5, align: 3 } } } };
    expect(issues(align)).toEqual(['libipc.types.weird_t.align: an alignment is a power of two, not 3']);
  });

  it('a libipc fault on a domain without libipc tasks is refused', () => {
    const input = scenario({ faults: [{ id: 'p', kind: 'pool-exhaust', target: { domain: 'nowhere' } }] });
    expect(issues(input)).toEqual(['faults[0].target.domain: no libipc task runs on nowhere']);
  });
});

describe('replay with faults', () => {
  it('delayed and duplicated items and a stalled task replay the same from a snapshot', () => {
    const input: ScenarioInput = {
      ...LIBIPC_UI_POLLING,
      faults: [
        { id: 'dl', kind: 'port-delay', target: { port: 'ui_port' }, delayUs: 3_000, probability: 0.3 },
        { id: 'du', kind: 'port-duplicate', target: { port: 'ui_port' }, probability: 0.2 },
        { id: 'st', kind: 'task-stall', target: { task: 'ui_task' }, durationUs: 30_000, schedule: { atUs: 50_000 } },
      ],
    };
    const { first, again } = replayFromSnapshot(libipcWorld(input), 12);
    expect(again).toEqual(first);
    expect(first.filter((e) => e.includes('"kind":"fault"')).length).toBeGreaterThan(2);
  });
});
