/**
 * The app's side of share links (core `scenario/share.ts` encodes and decodes them): the link for
 * what is open now, and opening the one in the page's URL.
 *
 * A link holds the scenario and, on the inline runtime, the scheduling decisions the user forced
 * on this branch and the actions taken by hand (sends, faults) at their decisions, so it replays
 * the same run.
 */
import { z } from 'zod';
import { decodeShareLink, encodeShareLink, type ScenarioInput } from '../../core';
import type { Selection } from '../store/selectionSlice';
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
  // The branch's forced decisions (the scenario's that it kept, and the user's forks) and its
  // actions taken by hand; without an inline run, what the scenario says.
  const decisions = timeline
    ? timeline.forced.map((d) => ({ step: d.step, pick: d.pick }))
    : (scenario.decisions ?? []);
  const actions = timeline
    ? timeline.recordedActions.map((a) => ({ step: a.step, action: a.action }))
    : scenario.actions;
  const withRun: ScenarioInput = {
    ...scenario,
    decisions: [...decisions].sort((a, b) => a.step - b.step),
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

/**
 * A deep link's place in the run: `&at=<decision>` (the inline cursor) and `&sel=<selection as
 * JSON>` after the scenario. Both are optional, validated, and ignored with a notice when wrong.
 */
const selectionSchema: z.ZodType<Selection> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('event'), seq: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('message'), msgId: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('state'), instance: z.string().max(200), state: z.string().max(100) }),
  z.strictObject({
    kind: z.literal('bytes'),
    region: z.string().max(100),
    offset: z.number().int().nonnegative(),
    length: z.number().int().nonnegative(),
  }),
  z.strictObject({ kind: z.literal('instance'), key: z.string().max(200) }),
  z.strictObject({ kind: z.literal('endpoint'), key: z.string().max(200) }),
  z.strictObject({ kind: z.literal('domain'), name: z.string().max(100) }),
  z.strictObject({ kind: z.literal('port'), name: z.string().max(100) }),
  z.strictObject({ kind: z.literal('task'), name: z.string().max(100) }),
]);

/** The furthest decision a deep link may ask for (running there happens at once, on the page). */
export const MAX_DEEP_LINK_STEP = 200_000;

/** The hash of a deep link: the share link plus where the cursor is and what is selected. */
export function deepLinkHash(hash: string, at: number | null, selection: Selection | null): string {
  let out = hash;
  if (at !== null) out += `&at=${at}`;
  if (selection) out += `&sel=${encodeURIComponent(JSON.stringify(selection))}`;
  return out;
}

/** What the page's hash asks for: nothing, a scenario to open (maybe with a notice), or an error. */
export type LinkOutcome =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'open';
      readonly scenario: ScenarioInput;
      readonly notice: string | null;
      /** The decision to put the cursor after, and what to select (a deep link). */
      readonly at: number | null;
      readonly selection: Selection | null;
    }
  | { readonly kind: 'error'; readonly message: string };

export function readLink(hash: string): LinkOutcome {
  if (!hash.startsWith('#s=')) return { kind: 'none' };
  const [link = '', ...params] = hash.split('&');
  const decoded = decodeShareLink(link, APP_VERSION);
  if (!decoded.ok) return { kind: 'error', message: `This share link cannot be opened: ${decoded.error}.` };
  const notices = decoded.value.notice === null ? [] : [decoded.value.notice];
  let at: number | null = null;
  let selection: Selection | null = null;
  for (const param of params) {
    const eq = param.indexOf('=');
    const key = param.slice(0, eq);
    const value = param.slice(eq + 1);
    if (key === 'at') {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 0 && n <= MAX_DEEP_LINK_STEP) at = n;
      else
        notices.push(
          `The link's cursor (at=${value.slice(0, 20)}) is not a decision number up to ${MAX_DEEP_LINK_STEP}: it was left at the start.`,
        );
    } else if (key === 'sel') {
      const parsed = selectionSchema.safeParse(parseJson(value));
      if (parsed.success) selection = parsed.data;
      else notices.push("The link's selection is not one IPC Scope knows: nothing is selected.");
    }
  }
  return {
    kind: 'open',
    scenario: decoded.value.input,
    notice: notices.length > 0 ? notices.join(' ') : null,
    at,
    selection,
  };
}

/** A URI-encoded JSON value, or null when it is not one. */
function parseJson(encoded: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(encoded));
  } catch {
    return null;
  }
}
