/**
 * What one side is built with: the scenario's node, or what an armed `misconfigure` fault sets
 * for it (another dcache-alignment, unbound mode, block counts, a region seen at another
 * address). Everything that lays a region out or runs the node reads it from here, so the
 * simulation, fault targets and the debugger's views agree with the side as built.
 */
import type { InstanceSpec, Scenario } from './schema';

export interface BuiltNode {
  readonly node: InstanceSpec;
  /** A region this side sees at an address shifted by `offset` bytes, or null. */
  readonly alias: { readonly region: string; readonly offset: number } | null;
}

/**
 * The node as this side is built: the scenario's, or what an armed `misconfigure` fault sets, with
 * the address alias it sees the regions at.
 */
export function asBuilt(scenario: Scenario, node: InstanceSpec): BuiltNode {
  const fault = scenario.faults.find(
    (f) => f.kind === 'misconfigure' && f.armed && f.target.domain === node.domain && f.target.instance === node.node,
  );
  const set = fault?.set;
  if (!set) return { node, alias: null };
  const dcache = set['dcache-alignment'] ?? node['dcache-alignment'];
  const withDcache = dcache === undefined ? node : { ...node, 'dcache-alignment': dcache };
  const built: InstanceSpec =
    withDcache.compatible === 'zephyr,ipc-icbmsg'
      ? {
          ...withDcache,
          'tx-blocks': set['tx-blocks'] ?? withDcache['tx-blocks'],
          'rx-blocks': set['rx-blocks'] ?? withDcache['rx-blocks'],
        }
      : { ...withDcache, unbound: set.unbound ?? withDcache.unbound };
  return { node: built, alias: set.alias ?? null };
}
