/**
 * libipc's area plan for a scenario, as every domain plans it (`planArea` over the scenario's
 * `libipc` section, its region and its domains): where each port's queue of `ipc_ref_t`, each
 * mempool region and each struct layout is. Planned once per scenario object.
 */
import { type AreaPlan, fail, type Outcome, planArea, type Scenario, type VirtualAddress } from '../../../core';

/** The plan, or why there is none (no `libipc` section: null; a plan that fails: its issues as text). */
export type PortsPlan = Outcome<AreaPlan, string> | null;

const plans = new WeakMap<Scenario, PortsPlan>();

export function portsPlanOf(scenario: Scenario): PortsPlan {
  if (plans.has(scenario)) return plans.get(scenario) ?? null;
  const spec = scenario.libipc;
  let plan: PortsPlan = null;
  if (spec) {
    const r = scenario.memory.regions.find((x) => x.name === spec.region);
    const region = r ? { ...r, address: (scenario.memory.base + r.offset) as VirtualAddress } : undefined;
    const planned = planArea(
      spec,
      region,
      scenario.domains.map((d) => d.name),
    );
    plan = planned.ok ? planned : fail(planned.error.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
  plans.set(scenario, plan);
  return plan;
}
