/**
 * The two-core layout every preset shares: an application core and a radio core, one shared
 * region each way (`sram_app_to_rad` at offset 0, `sram_rad_to_app` after it).
 */
import type { ScenarioInput } from '../schema';

export function twoCores(regionSize: number, radBootAtUs = 0): Pick<ScenarioInput, 'memory' | 'domains'> {
  return {
    memory: {
      size: 2 * regionSize,
      regions: [
        { name: 'sram_app_to_rad', offset: 0, size: regionSize },
        { name: 'sram_rad_to_app', offset: regionSize, size: regionSize },
      ],
    },
    domains: [{ name: 'cpuapp' }, { name: 'cpurad', bootAtUs: radBootAtUs }],
  };
}
