import { describe, expect, it } from 'vitest';
import { buildWorld, type World } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import { ICBMSG_NOCOPY_HOLD, ICBMSG_THREE_ENDPOINTS } from '../scenario/presets/icbmsg';
import { ICMSG_ECHO_500, ICMSG_HELLO } from '../scenario/presets/icmsg';
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
