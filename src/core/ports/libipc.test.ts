/**
 * libipc as firmware sees it (reference libipc-and-channels.md §1.4–1.11): what `ipc_send`,
 * `ipc_send_cp`, `ipc_recv_opt`, `ipc_release` and the proto path do, read from the trace and
 * from the bytes left in shared memory, on the inline runtime.
 */
import { describe, expect, it } from 'vitest';
import { checkTrace } from '../faults/invariants';
import { parseScenario } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';
import {
  LIBIPC_BY_REFERENCE,
  LIBIPC_BY_REFERENCE_FIXED,
  LIBIPC_POWER_OFF_RESET,
  LIBIPC_PROTO_STALE,
  LIBIPC_UI_POLLING,
} from '../scenario/presets/libipc';
import type { TraceEvent } from '../trace/events';
import { scenarioWorld as libipcWorld, replayFromSnapshot } from '../scenario/testWorld';
import type { PortTaskSpec } from './schema';

type PortEvent = Extract<TraceEvent, { kind: 'port' }>;

const DEFS = `port_name: foo_port
messages:
  structs:
    - name: foo_msg_t
      fields:
        - uint32_t sequence
        - char text[12]
    - name: foo_ping_t
`;

/** A mempool with room for a few queues' worth of foo_msg_t copies (16 B). */
const POOL = [
  { name: 'tiny_msgs', size: 16, count: 12 },
  { name: 'small_msgs', size: 64, count: 4 },
];

/** One MCU, one port of `depth`, and the tasks given. */
function scenario(tasks: PortTaskSpec[] | object[], more: Partial<ScenarioInput> = {}, depth = 4): ScenarioInput {
  return {
    version: 1,
    name: 'libipc test',
    seed: 1,
    memory: { size: 8192, fill: 0xaa, regions: [{ name: 'ports', offset: 0, size: 8192 }] },
    domains: [{ name: 'mcu' }],
    instances: [],
    endpoints: [],
    runtime: { assert: 'halt', costs: { taskUs: 10 } },
    libipc: {
      region: 'ports',
      definitions: [{ file: 'foo_ipc.yaml', text: DEFS }],
      ports: [{ port: 'foo_port', depth }],
      pool: POOL,
      tasks: tasks as PortTaskSpec[],
    },
    ...more,
  };
}

const world = libipcWorld;

function run(input: ScenarioInput, maxSteps = 20_000, maxTimeNs = 5e9) {
  const w = world(input);
  const outcome = w.sim.run({ maxSteps, maxTimeNs });
  const events = w.sim.trace.events;
  const ports = events.filter((e): e is TraceEvent & PortEvent => e.kind === 'port');
  const violations = outcome === 'idle' ? checkTrace(w.scenario, events, w.sim.map.bytes) : [];
  return { w, outcome, events, ports, violations };
}

const receiver = (behaviour: object = {}) => ({
  name: 'foo_task',
  domain: 'mcu',
  priority: 2,
  behaviour: { kind: 'receiver', port: 'foo_port', ...behaviour },
});
const sender = (behaviour: object = {}, more: object = {}) => ({
  name: 'tx_task',
  domain: 'mcu',
  priority: 3,
  startAtUs: 100,
  behaviour: {
    kind: 'sender',
    port: 'foo_port',
    message: 'foo_msg_t',
    periodUs: 1_000,
    count: 1,
    values: { text: 'hello' },
    counter: 'sequence',
    ...behaviour,
  },
  ...more,
});

const ops = (events: readonly PortEvent[], op: string, task?: string) =>
  events.filter((e) => e.op === op && (task === undefined || e.task === task));

describe('ipc_send and ipc_recv (ipc_test.c)', () => {
  it("in_line: by reference the receiver gets the sender's own object, unchanged", () => {
    const { w, ports, violations, outcome } = run(scenario([receiver(), sender()]));
    expect(outcome).toBe('idle');
    const [send] = ops(ports, 'send');
    const [recv] = ops(ports, 'recv');
    const staticObject = w.libipc.get('mcu')?.plan.statics.get('tx_task');
    expect(send?.tag).toBe(0);
    expect(send?.tagName).toBe('IPC_FOO_MSG');
    expect(send?.length).toBe(16);
    // The item points at the sender's own static object: not a copy.
    expect(recv?.object).toBe(send?.object);
    expect(recv?.object).toBe(w.sim.map.base + (staticObject?.offset ?? -1));
    expect(recv?.owned).toBe(false);
    // The object still holds what was sent: sequence 1 and "hello".
    const at = (recv?.object ?? 0) - w.sim.map.base;
    const view = new DataView(w.sim.map.bytes.buffer, at, 16);
    expect(view.getUint32(0, true)).toBe(1);
    expect(String.fromCharCode(...w.sim.map.bytes.subarray(at + 4, at + 9))).toBe('hello');
    expect(violations).toEqual([]);
  });

  it('take_ownership: the item points at a mempool copy, which ipc_release zeroes and frees', () => {
    const { w, ports, events, violations } = run(scenario([receiver(), sender({ takeOwnership: true })]));
    const [write] = ops(ports, 'write');
    const [recv] = ops(ports, 'recv');
    expect(recv?.owned).toBe(true);
    expect(recv?.object).not.toBe(write?.object);
    const pool = events.filter((e) => e.kind === 'pool');
    expect(pool.map((e) => (e.kind === 'pool' ? `${e.op} ${e.pool}[${e.entry}]` : ''))).toEqual([
      'alloc tiny_msgs[0]',
      'free tiny_msgs[0]',
    ]);
    const at = (recv?.object ?? 0) - w.sim.map.base;
    expect([...w.sim.map.bytes.subarray(at, at + 16)].every((b) => b === 0)).toBe(true);
    expect(violations).toEqual([]);
  });

  it('leaves each item as a 12-byte ipc_ref_t {tag, length, object} in the queue', () => {
    const w = world(scenario([receiver({ handleUs: 50_000 }), sender({ count: 2, periodUs: 10 })]));
    w.sim.run({ maxTimeNs: 5_000_000 });
    const sends = w.sim.trace.events.filter((e): e is TraceEvent & PortEvent => e.kind === 'port' && e.op === 'send');
    const second = sends[1];
    const plan = w.libipc.get('mcu')?.plan;
    const port = plan?.ports[0];
    if (!second || !port || second.slot === undefined) throw new Error('no second send');
    const item = new DataView(w.sim.map.bytes.buffer, port.items + second.slot * 12, 12);
    expect([item.getUint32(0, true), item.getUint32(4, true), item.getUint32(8, true)]).toEqual([0, 16, second.object]);
  });

  it('a port never registered: the send returns false and copies nothing', () => {
    const { ports, events } = run(scenario([sender({ takeOwnership: true })]));
    expect(ops(ports, 'send-failed')).toHaveLength(1);
    expect(events.some((e) => e.kind === 'pool')).toBe(false);
  });

  it('an empty struct goes as ipc_send_empty: NULL, 0', () => {
    const { ports } = run(scenario([receiver(), sender({ message: 'foo_ping_t', values: {}, counter: undefined })]));
    const [recv] = ops(ports, 'recv');
    expect(recv?.object).toBe(0);
    expect(recv?.length).toBe(0);
    expect(recv?.tagName).toBe('IPC_FOO_PING');
  });
});

describe('a bounded FIFO per port', () => {
  it('a full queue blocks the sender until the receiver takes an item; order is kept', () => {
    const { ports, violations } = run(
      scenario([receiver({ handleUs: 5_000 }), sender({ count: 8, periodUs: 100, takeOwnership: true })]),
    );
    const fills = ops(ports, 'send').map((e) => e.fill ?? 0);
    expect(Math.max(...fills)).toBe(4);
    expect(ops(ports, 'send-blocked').length).toBeGreaterThan(0);
    const received = ops(ports, 'recv').map((e) => e.msgId);
    const sent = ops(ports, 'send').map((e) => e.msgId);
    expect(received).toEqual(sent);
    expect(violations).toEqual([]);
  });

  it('timeout 0 on a full queue fails at once; a timeout of N ms fails N ms after the send began', () => {
    const poll = run(
      scenario([
        receiver({ handleUs: 100_000 }),
        sender({ count: 6, periodUs: 10, takeOwnership: true, timeoutMs: 0 }),
      ]),
    );
    const failed = ops(poll.ports, 'send-timeout');
    expect(failed.length).toBeGreaterThan(0);
    expect(ops(poll.ports, 'send-blocked')).toHaveLength(0);

    const timed = run(
      scenario([
        receiver({ handleUs: 100_000 }),
        sender({ count: 6, periodUs: 10, takeOwnership: true, timeoutMs: 20 }),
      ]),
    );
    const blocked = ops(timed.ports, 'send-blocked')[0];
    const timeout = ops(timed.ports, 'send-timeout')[0];
    // The task runs once its deadline passes and the core is free: within a few task costs.
    const waited = blocked && timeout ? timeout.t - blocked.t : 0;
    expect(waited).toBeGreaterThanOrEqual(20_000_000);
    expect(waited).toBeLessThan(20_100_000);
    // A timed-out ipc_send_cp leaks its copy (libipc never frees it): the checker says so.
    expect(timed.violations.some((v) => v.rule === 'pool-leaked')).toBe(true);
  });

  it('a receive with a timeout of N ms gives up after N ms; a poll (0) gives up at once', () => {
    const { ports } = run(
      scenario([receiver({ timeoutMs: 30, count: 1 }), sender({ periodUs: 1, count: 1 }, { startAtUs: 45_000 })]),
    );
    const [blocked] = ops(ports, 'recv-blocked');
    const [timeout] = ops(ports, 'recv-timeout');
    expect(blocked && timeout && timeout.t - blocked.t).toBe(30_000_000);
    expect(ops(ports, 'recv')).toHaveLength(1);

    const poll = run(
      scenario([receiver({ timeoutMs: 0, loopUs: 10_000, count: 1 }), sender({}, { startAtUs: 45_000 })]),
    );
    const polls = ops(poll.ports, 'recv-timeout');
    expect(polls.map((e) => e.t)).toEqual([0, 10_000_000, 20_000_000, 30_000_000, 40_000_000]);
    expect(polls.every((e) => e.detail === 'poll (timeout 0): queue empty')).toBe(true);
    expect(ops(poll.ports, 'recv-blocked')).toHaveLength(0);
    expect(ops(poll.ports, 'recv')).toHaveLength(1);
  });

  it('the UI task polls a depth-10 queue: the burst fills it to its depth', () => {
    const { ports, violations, outcome } = run(LIBIPC_UI_POLLING);
    expect(outcome).toBe('idle');
    expect(Math.max(...ops(ports, 'send').map((e) => e.fill ?? 0))).toBe(10);
    expect(ops(ports, 'recv-timeout', 'ui_task').every((e) => e.detail?.startsWith('poll'))).toBe(true);
    expect(ops(ports, 'recv', 'ui_task')).toHaveLength(18);
    expect(violations).toEqual([]);
  });
});

describe('the mempool asserts as lib/mempool does', () => {
  it('on exhaustion: ipc_send_cp with every entry taken stops the core (CONFIG_ASSERT)', () => {
    const { events, w } = run(
      scenario([receiver({ handleUs: 1_000_000 }), sender({ count: 40, periodUs: 10, takeOwnership: true })], {}, 32),
    );
    const assert = events.find((e) => e.kind === 'assert');
    expect(assert?.kind === 'assert' && assert.message).toContain(
      'mempool exhausted: tiny_msgs, the first region with entries of 16 bytes, has all 12 taken',
    );
    expect(w.sim.domain('mcu')?.halted).toBe(true);
  });

  it('ipc_release on a by-reference object asserts: a pointer the pool never handed out', () => {
    const { events } = run(scenario([receiver({ release: 'always' }), sender()]));
    const assert = events.find((e) => e.kind === 'assert');
    expect(assert?.kind === 'assert' && assert.message).toContain('not a mempool entry');
  });

  it('ipc_send_cp of an empty struct is refused: mempool_alloc(0) asserts', () => {
    const parsed = parseScenario(
      scenario([receiver(), sender({ message: 'foo_ping_t', values: {}, counter: undefined, takeOwnership: true })]),
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error[0]?.message).toContain('size 0');
  });
});

describe('the proto path: sequence numbers and stale responses', () => {
  it('a response after its seq timed out is dropped as stale; the next seq is answered', () => {
    const { ports, violations, outcome } = run(LIBIPC_PROTO_STALE);
    expect(outcome).toBe('idle');
    expect(ops(ports, 'proto-route').map((e) => e.protoSeq)).toEqual([1, 2]);
    expect(ops(ports, 'proto-timeout').map((e) => e.protoSeq)).toEqual([1]);
    const stale = ops(ports, 'proto-stale');
    expect(stale.map((e) => e.protoSeq)).toEqual([1]);
    expect(stale[0]?.detail).toContain('Dropping stale proto response seq 1');
    expect(ops(ports, 'done', 'nfc_task').map((e) => e.protoSeq)).toEqual([2]);
    // The routed buffers were freed by proto_get_cmd: nothing leaks.
    expect(violations).toEqual([]);
  });
});

describe('the power-off timer', () => {
  it('a 100 ms send to a full 4-slot queue fails and the device resets, with empty queues', () => {
    const { ports, events } = run(LIBIPC_POWER_OFF_RESET, 200_000, 500_000_000);
    const timeout = ops(ports, 'send-timeout', 'power_timer')[0];
    const blocked = ops(ports, 'send-blocked', 'power_timer')[0];
    expect(timeout && blocked && timeout.t - blocked.t).toBe(100_000_000);
    const reset = events.find((e) => e.kind === 'domain' && e.status === 'reset');
    expect(reset?.kind === 'domain' && reset.message).toContain('MCU_RESET_SHUTDOWN_IPC_FAILED');
    const afterReset = ports.filter((e) => e.seq > (reset?.seq ?? 0) && e.op === 'register');
    expect(afterReset[0]?.fill).toBe(0);
  });
});

describe('by reference: the object must stay valid until the receiver is done', () => {
  it('a static rewritten under queued messages is flagged; sending copies is not', () => {
    const hazard = run(LIBIPC_BY_REFERENCE);
    expect(hazard.violations.filter((v) => v.rule === 'reference-overwritten').length).toBeGreaterThan(0);
    const fixed = run(LIBIPC_BY_REFERENCE_FIXED);
    expect(fixed.violations).toEqual([]);
  });
});

describe('replay', () => {
  it('a snapshot taken mid-run replays the same port events', () => {
    // The whole run is a few dozen decisions: snapshot after the first refresh messages.
    const { first, again } = replayFromSnapshot(world(LIBIPC_PROTO_STALE), 4, 2_000);
    expect(again).toEqual(first);
    expect(first.some((e) => e.includes('proto-stale'))).toBe(true);
  });
});
