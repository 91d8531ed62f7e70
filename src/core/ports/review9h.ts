// Shared helpers for the review scratch tests (copied into src/ temporarily to run).
import { checkTrace } from '../faults/invariants';
import { parseScenario } from '../scenario/parse';
import { buildWorld, type World } from '../scenario/build';
import type { ScenarioInput } from '../scenario/schema';
import type { TraceEvent } from '../trace/events';

export type PortEvent = Extract<TraceEvent, { kind: 'port' }>;

export const DEFS = `port_name: foo_port
messages:
  structs:
    - name: foo_msg_t
      fields:
        - uint32_t sequence
        - uint8_t level
        - uint64_t big
        - char text[8]
    - name: foo_ping_t
`;

export function scenario(tasks: object[], more: Record<string, unknown> = {}, depth = 4): ScenarioInput {
  return {
    version: 1,
    name: 'review',
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
      tasks,
    },
    ...more,
  } as ScenarioInput;
}

export function world(input: ScenarioInput): World {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(built.error.map((i) => i.message).join('\n'));
  return built.value;
}

export function run(input: ScenarioInput, maxSteps = 50_000, maxTimeNs = 5e9) {
  const w = world(input);
  const outcome = w.sim.run({ maxSteps, maxTimeNs });
  const events = w.sim.trace.events;
  const ports = events.filter((e): e is TraceEvent & PortEvent => e.kind === 'port');
  const violations = checkTrace(w.scenario, events, w.sim.map.bytes);
  return { w, outcome, events, ports, violations };
}

export const rx = (behaviour: object = {}, more: object = {}) => ({
  name: 'rx',
  domain: 'mcu',
  priority: 2,
  behaviour: { kind: 'receiver', port: 'foo_port', ...behaviour },
  ...more,
});
export const tx = (behaviour: object = {}, more: object = {}) => ({
  name: 'tx',
  domain: 'mcu',
  priority: 3,
  startAtUs: 100,
  behaviour: {
    kind: 'sender',
    port: 'foo_port',
    message: 'foo_msg_t',
    periodUs: 500,
    count: 4,
    values: { level: 5 },
    counter: 'sequence',
    ...behaviour,
  },
  ...more,
});

export const brief = (v: readonly { rule: string; message: string }[]) => v.map((x) => `${x.rule}: ${x.message}`);
