/**
 * Colours every view agrees on, so a message, a domain or a problem looks the same in the
 * timeline, the sequence diagram, the ring and the hex pane.
 */

/** Categorical colours for messages (Tableau 10 without its grey), picked by message id. */
const MESSAGE_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];

export function messageColour(msgId: number): string {
  const i = Number.isFinite(msgId) ? Math.abs(Math.trunc(msgId)) % MESSAGE_COLOURS.length : 0;
  return MESSAGE_COLOURS[i] ?? '#4e79a7';
}

/** Domain colours (lane headers, topology nodes), by domain index. */
const DOMAIN_COLOURS = ['#3b82f6', '#a855f7', '#14b8a6', '#f59e0b', '#ec4899', '#84cc16'];

export function domainColour(index: number): string {
  return DOMAIN_COLOURS[Math.abs(index) % DOMAIN_COLOURS.length] ?? '#3b82f6';
}

/** Something went wrong (lost doorbell, errno, anomaly). */
export const PROBLEM_COLOUR = '#ef4444';
/** The time cursor. */
export const CURSOR_COLOUR = '#f43f5e';
/** Selection and hover outlines. */
export const SELECTION_COLOUR = '#facc15';
