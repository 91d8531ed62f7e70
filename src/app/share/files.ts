/**
 * Files the debugger writes and reads: the scenario (what a share link holds, as a file), the
 * trace as JSON (one object per event) and in the Chrome/Perfetto trace-event format.
 */
import { parseScenario, type ScenarioInput, toPerfetto, type TraceEvent } from '../../core';
import type { DebugSession } from '../debug/DebugSession';
import { shareLinkFor } from './shareLink';

export interface FileOut {
  readonly name: string;
  readonly type: string;
  readonly text: string;
}

const slug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'scenario';

/** Every event the debugger holds, in order. */
export function traceEvents(session: DebugSession): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (let i = 0; i < session.table.length; i++) {
    const e = session.table.event(i);
    if (e) out.push(e);
  }
  return out;
}

/** The scenario as a file, with this branch's forced decisions (as a share link holds it). */
export function scenarioFile(scenario: ScenarioInput, session: DebugSession | null): FileOut {
  const withDecisions = shareLinkFor(scenario, session).scenario;
  return {
    name: `${slug(scenario.name)}.json`,
    type: 'application/json',
    text: `${JSON.stringify(withDecisions, null, 2)}\n`,
  };
}

export function traceFile(scenario: ScenarioInput, session: DebugSession): FileOut {
  return {
    name: `${slug(scenario.name)}.trace.json`,
    type: 'application/json',
    text: JSON.stringify(traceEvents(session)),
  };
}

export function perfettoFile(scenario: ScenarioInput, session: DebugSession): FileOut {
  return {
    name: `${slug(scenario.name)}.perfetto.json`,
    type: 'application/json',
    text: JSON.stringify(toPerfetto(traceEvents(session), { title: scenario.name })),
  };
}

/** A scenario file's text: the scenario, or what is wrong with it, in words. */
export function readScenarioFile(name: string, text: string): { scenario: ScenarioInput } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: `${name} is not JSON` };
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) {
    const first = parsed.error[0];
    const more = parsed.error.length > 1 ? ` (and ${parsed.error.length - 1} more)` : '';
    return { error: `${name} is not a valid scenario: ${first ? `${first.path}: ${first.message}` : '?'}${more}` };
  }
  return { scenario: json as ScenarioInput };
}
