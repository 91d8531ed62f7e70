/**
 * The scenario editor's model, apart from React: the text as typed, validated at each change —
 * a JSON error with its line and column, or the schema's and the cross-checks' issues by path.
 */
import { type ConfigIssue, parseScenario, type ScenarioInput } from '../../../core';

export type EditorCheck =
  | { readonly kind: 'ok'; readonly scenario: ScenarioInput }
  | { readonly kind: 'json'; readonly message: string }
  | { readonly kind: 'invalid'; readonly issues: readonly ConfigIssue[] };

/** Line and column (from 1) of character `at` in `text`. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, at));
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

/** What is wrong with the text as a scenario, if anything. */
export function checkScenarioText(text: string): EditorCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : null;
    return {
      kind: 'json',
      message: where ? `line ${where.line}, column ${where.column}: ${message}` : message,
    };
  }
  const parsed = parseScenario(json);
  return parsed.ok ? { kind: 'ok', scenario: json as ScenarioInput } : { kind: 'invalid', issues: parsed.error };
}

export const scenarioText = (scenario: ScenarioInput): string => `${JSON.stringify(scenario, null, 2)}\n`;
