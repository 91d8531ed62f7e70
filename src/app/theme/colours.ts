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

/**
 * Synchronous-channel task states (reference §3.4's canonical vocabulary), as the task table, the
 * timeline's task lanes and the topology draw them: running green, ready a quiet grey (as
 * SystemView's ready bars), each blocked state its own hue, a fault in the problem colour.
 */
export const CHANNEL_STATE_COLOURS: Readonly<Record<string, string>> = {
  RUNNING: '#3fb950',
  READY: '#6e7681',
  SEND_BLOCKED: '#d29922',
  RECEIVE_BLOCKED: '#388bfd',
  REPLY_BLOCKED: '#a371f7',
  NOTIFICATION_WAIT: '#2dd4bf',
  STOPPED: '#30363d',
  FAULTED: PROBLEM_COLOUR,
};

export function channelStateColour(state: string): string {
  return CHANNEL_STATE_COLOURS[state] ?? '#6e7681';
}
