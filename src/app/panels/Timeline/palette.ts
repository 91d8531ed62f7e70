/**
 * How a timeline mark looks: a style per kind of mark (its colour, its bar height as a fraction of
 * the lane, its glyph when there is room). Message marks take the message's own colour from the
 * shared theme, so a message looks the same in every view.
 */
import { kindName } from '../../trace/TraceTable';
import { messageColour, PROBLEM_COLOUR } from '../../theme/colours';
import { Priority } from './aggregate';

export const TRANSITION_COLOUR = '#c084fc';
export const DOORBELL_COLOUR = '#e3b341';
export const CALLBACK_COLOUR = '#2dd4bf';
export const API_COLOUR = '#8ea3bd';
export const ACTIVITY_COLOUR = '#586779';
export const DECISION_COLOUR = '#3a4656';

export type Glyph = 'none' | 'diamond' | 'cross' | 'warning' | 'dot' | 'ring' | 'send' | 'receive' | 'square' | 'gap';

export interface MarkStyle {
  readonly colour: string;
  /** Bar half-height as a fraction of the lane height. */
  readonly bar: number;
  readonly glyph: Glyph;
  /** Drawn whenever there is room, even in a dense stretch. */
  readonly important: boolean;
}

const style = (colour: string, bar: number, glyph: Glyph, important = false): MarkStyle => ({
  colour,
  bar,
  glyph,
  important,
});

const DECISION = style(DECISION_COLOUR, 0.14, 'none');
const ACTIVITY = style(ACTIVITY_COLOUR, 0.2, 'none');
const API = style(API_COLOUR, 0.24, 'square');
const CALLBACK = style(CALLBACK_COLOUR, 0.28, 'square');
const RUNG = style(DOORBELL_COLOUR, 0.26, 'ring');
const DELIVERED = style(DOORBELL_COLOUR, 0.26, 'dot');
const TRANSITION = style(TRANSITION_COLOUR, 0.36, 'diamond', true);
const PROBLEM = style(PROBLEM_COLOUR, 0.44, 'dot', true);
const LOST = style(PROBLEM_COLOUR, 0.44, 'cross', true);
const WARNING = style(PROBLEM_COLOUR, 0.44, 'warning', true);
const GAP = style(PROBLEM_COLOUR, 0.5, 'gap', true);

const messageStyles = new Map<string, { send: MarkStyle; receive: MarkStyle; other: MarkStyle }>();
function messageStyle(msgId: number, kind: string | undefined): MarkStyle {
  const colour = messageColour(msgId);
  let styles = messageStyles.get(colour);
  if (!styles) {
    styles = {
      send: style(colour, 0.3, 'send'),
      receive: style(colour, 0.3, 'receive'),
      other: style(colour, 0.3, 'square'),
    };
    messageStyles.set(colour, styles);
  }
  if (kind === 'packet-written') return styles.send;
  if (kind === 'packet-read') return styles.receive;
  return styles.other;
}

/** Messages when too many to tell apart (zoomed out, no arrows): one calm colour. */
export const MESSAGE_COLOUR = '#5b8fc7';
const MESSAGE = style(MESSAGE_COLOUR, 0.3, 'square');

/**
 * The style of the mark that won a pixel: its priority and the winning event's kind and msgId.
 * `neutral`: draw messages in one colour (the view is too dense for per-message colours).
 */
export function markStyle(priority: number, kind: number, msgId: number, neutral = false): MarkStyle {
  const name = kindName(kind);
  if (priority >= Priority.problem) {
    if (name === 'trace-gap') return GAP;
    if (name === 'doorbell-lost') return LOST;
    if (name === 'anomaly' || name === 'assert' || name === 'memory-fault') return WARNING;
    return PROBLEM;
  }
  switch (priority) {
    case Priority.transition:
      return TRANSITION;
    case Priority.message:
      return neutral ? MESSAGE : messageStyle(msgId, name);
    case Priority.callback:
      return CALLBACK;
    case Priority.doorbell:
      return name === 'doorbell-rung' ? RUNG : DELIVERED;
    case Priority.api:
      return API;
    case Priority.decision:
      return DECISION;
    default:
      return ACTIVITY;
  }
}
