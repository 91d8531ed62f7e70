/**
 * The conformance runner's engine: takes a parsed vector file, replays every config through the
 * project's own implementation, and says of each config pass, fail (with the first difference)
 * or not yet supported. Pure: the CLI (`scripts/conformance.ts`) does the reading and printing.
 */
import type { z } from 'zod';
import { icbmsgLayoutCaseSchema, runIcbmsgLayoutCase } from './icbmsgLayoutVectors';
import { runIcmsgScenario } from './icmsgVectors';
import { runPbufConfig } from './pbufVectors';
import { type ConfigReport } from './report';
import {
  icbmsgLayoutFileSchema,
  icmsgScenarioSchema,
  isIcmsgScenarioName,
  pbufConfigSchema,
  pbufGoldenFileSchema,
} from './vectorFile';

export type { ConfigReport } from './report';

/** Runs every config of one vector file; a file that is not a known format gives one failure. */
export function runVectorDocument(label: string, document: unknown): ConfigReport[] {
  const format =
    typeof document === 'object' && document !== null && 'format' in document ? String(document.format) : undefined;
  if (format === 'zephyr-pbuf-golden/1') {
    const parsed = pbufGoldenFileSchema.safeParse(document);
    if (!parsed.success) return [fileFailure(label, parsed.error.issues[0]?.message ?? 'invalid file')];
    const errnoNames = readErrnoTable(parsed.data);
    return parsed.data.configs.map((config): ConfigReport => {
      if (isIcmsgScenarioName(config.name)) {
        const scenario = icmsgScenarioSchema.safeParse(config);
        if (!scenario.success) return invalidConfig(config.name, 'ICMsg scenario', scenario.error.issues[0]);
        return runIcmsgScenario(scenario.data, errnoNames);
      }
      const pbufConfig = pbufConfigSchema.safeParse(config);
      if (!pbufConfig.success) return invalidConfig(config.name, 'pbuf config', pbufConfig.error.issues[0]);
      return runPbufConfig(pbufConfig.data, errnoNames);
    });
  }
  if (format === 'icbmsg-layout/1') {
    const parsed = icbmsgLayoutFileSchema.safeParse(document);
    if (!parsed.success) return [fileFailure(label, parsed.error.issues[0]?.message ?? 'invalid file')];
    return parsed.data.cases.map((raw, i): ConfigReport => {
      const c = icbmsgLayoutCaseSchema.safeParse(raw);
      if (!c.success) return invalidConfig(`${label} case #${i}`, 'ICBMsg layout case', c.error.issues[0]);
      return runIcbmsgLayoutCase(c.data, i);
    });
  }
  return [fileFailure(label, format === undefined ? 'no "format" field' : `unknown format "${format}"`)];
}

function invalidConfig(name: string, what: string, issue: z.core.$ZodIssue | undefined): ConfigReport {
  return {
    name,
    status: 'fail',
    step: null,
    message: `not a valid ${what}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
  };
}

function fileFailure(label: string, message: string): ConfigReport {
  return { name: label, status: 'fail', step: null, message };
}

function readErrnoTable(document: object): Record<string, number> {
  const table = 'errno' in document ? document.errno : undefined;
  const out: Record<string, number> = {};
  if (typeof table === 'object' && table !== null) {
    for (const [name, value] of Object.entries(table)) if (typeof value === 'number') out[name] = value;
  }
  return out;
}

/** One line per config, as the runner prints them. */
export function formatReport(report: ConfigReport): string {
  switch (report.status) {
    case 'pass':
      return `PASS ${report.name} (${report.steps} steps)`;
    case 'fail':
      return report.step === null
        ? `FAIL ${report.name}: ${report.message}`
        : `FAIL ${report.name} step ${report.step}: ${report.message}`;
    case 'unsupported':
      return `SKIP ${report.name}: not yet supported (${report.reason})`;
  }
}
