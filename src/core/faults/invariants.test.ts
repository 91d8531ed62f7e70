import { describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { ICBMSG_NOCOPY_HOLD, ICBMSG_THREE_ENDPOINTS } from '../scenario/presets/icbmsg';
import { ICMSG_ECHO_500, ICMSG_HELLO, icmsgScenario } from '../scenario/presets/icmsg';
import type { ScenarioInput } from '../scenario/schema';
import { checkTrace } from './invariants';

function run(input: ScenarioInput, maxSteps = 500_000): World {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(JSON.stringify(built.error));
  built.value.sim.run({ maxSteps });
  return built.value;
}

const check = (w: World) => checkTrace(w.scenario, w.sim.trace.events, w.sim.map.bytes);

describe('the invariant checker on healthy runs', () => {
  for (const [name, input] of [
    ['ICMsg hello', ICMSG_HELLO],
    ['ICMsg echo ×500', ICMSG_ECHO_500],
    ['ICBMsg three endpoints', ICBMSG_THREE_ENDPOINTS],
    ['ICBMsg no-copy into held buffers', ICBMSG_NOCOPY_HOLD],
  ] as const) {
    it(`finds nothing wrong: ${name}`, () => {
      expect(check(run(input))).toEqual([]);
    });
  }
});

describe('the invariant checker on faulty runs', () => {
  const stream = (faults: ScenarioInput['faults']): ScenarioInput => ({
    ...icmsgScenario({
      unbound: 'enable',
      dcacheAlignment: 32,
      app: { kind: 'stream', size: 48, count: 30, retryUs: 10 },
      rad: { kind: 'sink' },
      radBootAtUs: 60,
      runtime: { mode: 'inline' },
    }),
    faults,
  });

  it('a corrupted payload byte is caught by the receiving application as an intact violation', () => {
    const w = run(
      stream([
        {
          id: 'bitrot',
          kind: 'flip-bit',
          target: { region: 'sram_app_to_rad', field: 'payload', offset: 10 },
          bit: 3,
          schedule: { afterMessages: 5 },
        },
      ]),
    );
    const fault = w.sim.trace.events.filter((e) => e.kind === 'fault');
    expect(fault).toHaveLength(1);
    expect(w.endpoints.get('cpurad/ipc0/ep0')?.stats.corrupted).toBe(1);
    const intact = w.sim.trace.events.filter((e) => e.kind === 'violation' && e.rule === 'intact');
    expect(intact).toHaveLength(1);
  });

  it('a dropped doorbell that strands messages is a delivered-once violation naming their sends', () => {
    const w = run({
      ...stream([
        { id: 'drop', kind: 'doorbell-drop', target: { channel: 'app_to_rad' }, schedule: { afterMessages: 8 } },
      ]),
      endpoints: stream([]).endpoints.map((e) =>
        e.domain === 'cpuapp' ? { ...e, behaviour: { kind: 'ping', periodUs: 100, size: 16, count: 10 } } : e,
      ),
    });
    const lost = check(w).filter((v) => v.rule === 'delivered-once');
    expect(lost.length).toBeGreaterThan(0);
    // Every ping after the drop began waits in the ring: nobody rang for it.
    const sent = w.endpoints.get('cpuapp/ipc0/ep0')?.stats.sent ?? 0;
    const received = w.endpoints.get('cpurad/ipc0/ep0')?.stats.received ?? 0;
    expect(sent - received).toBeGreaterThan(0);
    expect(lost).toHaveLength(sent - received);
    for (const v of lost) {
      const send = w.sim.trace.events[v.firstSeq ?? -1];
      expect(send?.kind === 'api' && send.call === 'ipc_service_send').toBe(true);
    }
  });
});
