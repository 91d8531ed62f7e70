/**
 * `npm run conformance -- <file.json>…`: replays conformance vector files through the project's
 * own implementation. Prints one line per config, then `N passed, M failed`; exits non-zero on
 * any failure. With no files, runs the vectors kept in `conformance/`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type ConfigReport, formatReport, runVectorDocument } from '../src/core/conformance';

const projectVectors = (): string[] =>
  readdirSync('conformance')
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join('conformance', f));

const files = process.argv.slice(2);
const reports: ConfigReport[] = [];
for (const file of files.length > 0 ? files : projectVectors()) {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    reports.push({ name: basename(file), status: 'fail', step: null, message: `cannot read: ${reason}` });
    console.log(formatReport(reports[reports.length - 1] as ConfigReport));
    continue;
  }
  for (const report of runVectorDocument(basename(file), document)) {
    reports.push(report);
    console.log(formatReport(report));
  }
}

const passed = reports.filter((r) => r.status === 'pass').length;
const failed = reports.filter((r) => r.status === 'fail').length;
const unsupported = reports.filter((r) => r.status === 'unsupported').length;
if (unsupported > 0) console.log(`${unsupported} not yet supported`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
