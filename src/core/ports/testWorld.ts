/** For tests: the world of a libipc scenario, or an error naming every problem (tests only). */
import { buildWorld, type World } from '../scenario/build';
import { parseScenario } from '../scenario/parse';
import type { ScenarioInput } from '../scenario/schema';

export function libipcWorld(input: ScenarioInput): World {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const built = buildWorld(parsed.value);
  if (!built.ok) throw new Error(built.error.map((i) => i.message).join('\n'));
  return built.value;
}
