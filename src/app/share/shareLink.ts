/**
 * The app's side of share links (core `scenario/share.ts` encodes and decodes them): the link for
 * what is open now, and opening the one in the page's URL.
 *
 * A link holds the scenario and, on the inline runtime, the scheduling decisions the user forced
 * on this branch and the actions taken by hand (sends, faults) at their decisions, so it replays
 * the same run.
 */
import { decodeShareLink, encodeShareLink, type ScenarioInput } from '../../core';
import type { DebugSession } from '../debug/DebugSession';
import { APP_VERSION } from './appVersion';

export interface ShareResult {
  /** The hash text, without `#`. */
  readonly hash: string;
  /** The scenario the link holds (with the branch's forced decisions). */
  readonly scenario: ScenarioInput;
  /** What the link leaves out, if anything. */
  readonly caveat: string | null;
}

/** The link for the scenario open now (with the decisions forced on this branch, inline). */
export function shareLinkFor(scenario: ScenarioInput, session: DebugSession | null): ShareResult {
  const timeline = session?.inline?.timeline ?? null;
  const forced = timeline?.forced ?? [];
  const decisions = [...(scenario.decisions ?? []), ...forced.map((d) => ({ step: d.step, pick: d.pick }))];
  const byStep = new Map(decisions.map((d) => [d.step, d]));
  const actions = timeline
    ? timeline.recordedActions.map((a) => ({ step: a.step, action: a.action }))
    : scenario.actions;
  const withRun: ScenarioInput = {
    ...scenario,
    decisions: [...byStep.values()].sort((a, b) => a.step - b.step),
    ...(actions && actions.length > 0 ? { actions } : {}),
  };
  const onWorkers = session !== null && session.inline === null;
  return {
    hash: encodeShareLink(withRun, APP_VERSION),
    scenario: withRun,
    caveat: onWorkers
      ? 'a worker run is not replayed: the link opens the scenario, which runs again on real threads'
      : null,
  };
}

/** What the page's hash asks for: nothing, a scenario to open (maybe with a notice), or an error. */
export type LinkOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'open'; readonly scenario: ScenarioInput; readonly notice: string | null }
  | { readonly kind: 'error'; readonly message: string };

export function readLink(hash: string): LinkOutcome {
  if (!hash.startsWith('#s=')) return { kind: 'none' };
  const decoded = decodeShareLink(hash, APP_VERSION);
  if (!decoded.ok) return { kind: 'error', message: `This share link cannot be opened: ${decoded.error}.` };
  return { kind: 'open', scenario: decoded.value.input, notice: decoded.value.notice };
}
