/**
 * One trace event in words, for every view that shows one: a title (what happened, in Zephyr's
 * terms) and the key fields as label/value pairs (the timeline's tooltip, the sequence diagram's
 * notes), or both on one line (the event list, the inspector).
 */
import { type BlockUse, formatResult, type PortOp, type TraceEvent } from '../../core';
import { isProblem } from '../trace/TraceTable';
import { protoSeqOf } from './portActivity';

export interface EventDescription {
  readonly title: string;
  readonly fields: readonly (readonly [string, string])[];
  /** Something went wrong here. */
  readonly problem: boolean;
}

const msg = (id: number | null | undefined): [string, string][] =>
  id === null || id === undefined ? [] : [['message id', `#${id}`]];

const BLOCK_USE: Record<BlockUse, string> = {
  data: 'a message',
  name: 'an endpoint name (binding)',
  granted: 'granted to the application (no-copy)',
  free: 'freed',
  held: 'held by the receiving application',
  leaked: 'LEAKED (refused, never released)',
};

const PORT_OP: Record<PortOp, string> = {
  register: 'ipc_register_port',
  send: 'sent to',
  'send-blocked': 'blocked sending to',
  'send-timeout': 'send timed out on',
  'send-failed': 'send failed on',
  recv: 'received from',
  'recv-blocked': 'blocked receiving from',
  'recv-timeout': 'nothing received from',
  done: 'done with a message of',
  write: 'wrote its message object for',
  reset: 'resets the device after a failed send to',
  'proto-route': 'routed a proto to',
  'proto-response': 'sent the response for',
  'proto-stale': 'dropped a stale response for',
  'proto-mismatch': 'discarded a response of another seq for',
  'proto-timeout': 'gave up waiting for a response from',
};

function describeParts(e: TraceEvent): Omit<EventDescription, 'problem'> {
  switch (e.kind) {
    case 'decision':
      return {
        title: `scheduler ran ${e.ran}`,
        fields: [
          ['step', String(e.step)],
          ['candidates', e.candidates.join(', ')],
        ],
      };
    case 'api': {
      const fields: [string, string][] = [['instance', e.instance]];
      if (e.endpoint !== undefined) fields.push(['endpoint', e.endpoint]);
      if (e.length !== undefined) fields.push(['length', `${e.length} B`]);
      return { title: `${e.call}() = ${formatResult(e.result)}`, fields: [...fields, ...msg(e.msgId)] };
    }
    case 'transition':
      return {
        title: `${e.machine}: ${e.from} → ${e.to}`,
        fields: [
          ['instance', e.instance],
          ['on', e.event],
        ],
      };
    case 'packet-written':
      return {
        title: `packet written to ${e.region}`,
        fields: [['offset', String(e.offset)], ['length', `${e.length} B`], ...msg(e.msgId)],
      };
    case 'packet-read':
      return {
        title: `packet read from ${e.region}`,
        fields: [['offset', String(e.offset)], ['length', `${e.length} B`], ...msg(e.msgId)],
      };
    case 'packet-dropped':
      return {
        title: `packet dropped from ${e.region}`,
        fields: [['reason', e.reason], ['length', `${e.length} B`], ...msg(e.msgId)],
      };
    case 'doorbell-rung':
      return {
        title: `doorbell ${e.channel} rung`,
        fields: [
          ['to', e.to],
          ['result', formatResult(e.result)],
        ],
      };
    case 'doorbell-delivered':
      return {
        title: `doorbell ${e.channel} delivered`,
        fields: e.coalesced > 0 ? [['coalesced', String(e.coalesced)]] : [],
      };
    case 'doorbell-lost':
      return { title: `doorbell ${e.channel} LOST`, fields: [['reason', e.reason]] };
    case 'callback': {
      const fields: [string, string][] = [['endpoint', `${e.instance}/${e.endpoint}`]];
      if (e.length !== undefined) fields.push(['length', `${e.length} B`]);
      if (e.message !== undefined) fields.push(['message', e.message]);
      return {
        title: `${e.callback}() callback`,
        fields: [...fields, ...msg(e.msgId)],
      };
    }
    case 'blocks': {
      const blocks = e.count === 1 ? `block ${e.first}` : `blocks ${e.first}–${e.first + e.count - 1}`;
      const fields: [string, string][] = [
        ['instance', e.instance],
        ['region', e.region],
      ];
      if (e.endpoint !== undefined) fields.push(['endpoint', e.endpoint]);
      return { title: `${blocks} of ${e.region}: ${BLOCK_USE[e.use]}`, fields: [...fields, ...msg(e.msgId)] };
    }
    case 'port': {
      const fields: [string, string][] = [
        ['port', e.port],
        ['task', e.task],
      ];
      if (e.tag !== undefined)
        fields.push(['tag', e.tagName === undefined ? String(e.tag) : `${e.tagName} (${e.tag})`]);
      if (e.length !== undefined) fields.push(['length', `${e.length} B`]);
      if (e.object !== undefined)
        fields.push(['object', `0x${e.object.toString(16).padStart(8, '0')}${e.owned ? ' (mempool copy)' : ''}`]);
      if (e.fill !== undefined) fields.push(['queue', `${e.fill}${e.depth === undefined ? '' : ` of ${e.depth}`}`]);
      if (e.slot !== undefined) fields.push(['slot', String(e.slot)]);
      const seq = protoSeqOf(e);
      if (seq !== null) fields.push(['proto seq', String(seq)]);
      if (e.detail !== undefined) fields.push(['detail', e.detail]);
      return { title: `${e.task}: ${PORT_OP[e.op]} ${e.port}`, fields: [...fields, ...msg(e.msgId)] };
    }
    case 'channel': {
      const fields: [string, string][] = [['task', `${e.task} (generation ${e.generation})`]];
      if (e.state !== undefined) fields.push(['state', e.state]);
      if (e.channel !== undefined) fields.push(['channel', e.channel]);
      if (e.peer !== undefined) fields.push(['peer', e.peer]);
      if (e.bytes !== undefined) fields.push(['length', `${e.bytes} B`]);
      if (e.path !== undefined) fields.push(['path', e.path]);
      if (e.code !== undefined) fields.push(['code', `0x${e.code.toString(16)}`]);
      if (e.bits !== undefined) fields.push(['bits', `0x${e.bits.toString(16)}`]);
      if (e.priority !== undefined) fields.push(['priority', String(e.priority)]);
      if (e.detail !== undefined) fields.push(['detail', e.detail]);
      const what = e.op === 'state' ? `is ${e.state ?? '?'}${e.peer === undefined ? '' : ` on ${e.peer}`}` : e.op;
      return { title: `${e.task}: ${what}`, fields };
    }
    case 'pool':
      return {
        title: `mempool ${e.op === 'alloc' ? 'alloc' : 'free'}: ${e.pool}[${e.entry}]`,
        fields: [
          ['task', e.task],
          ['address', `0x${e.address.toString(16).padStart(8, '0')}`],
          ['size', `${e.size} B`],
          ...msg(e.msgId),
        ],
      };
    case 'fault':
      return {
        title: `fault ${e.what} on ${e.target}`,
        fields: [
          ['fault', e.fault],
          ['what it did', e.detail],
        ],
      };
    case 'violation': {
      const fields: [string, string][] = [
        ['rule', e.rule],
        ['severity', e.severity],
        ['where', e.where],
      ];
      if (e.firstSeq !== undefined) fields.push(['began at event', `#${e.firstSeq}`]);
      return { title: `invariant violated: ${e.message}`, fields };
    }
    case 'anomaly':
      return { title: `anomaly in ${e.where}`, fields: [['what', e.message]] };
    case 'assert':
      return {
        title: `__ASSERT in ${e.where}`,
        fields: [
          ['what', e.message],
          ['halted', e.halted ? 'yes' : 'no'],
        ],
      };
    case 'work':
      return { title: `work ${e.item} ${e.phase}`, fields: [] };
    case 'task':
      return {
        title: `task ${e.task} ${e.phase}`,
        fields: e.note === undefined ? [] : [['note', e.note]],
      };
    case 'memory-fault':
      return {
        title: `memory fault: ${e.access} past the end of shared memory`,
        fields: [
          ['offset', String(e.offset)],
          ['length', `${e.length} B`],
          ['in bounds', `${e.inBounds} B`],
        ],
      };
    case 'note':
      return { title: e.text, fields: [] };
    case 'domain':
      return {
        title: `domain ${e.status}`,
        fields: e.message === undefined ? [] : [['message', e.message]],
      };
    case 'trace-gap':
      return { title: `trace gap: ${e.lost} records lost`, fields: [['reason', e.reason]] };
  }
}

export function describeEvent(e: TraceEvent): EventDescription {
  const { title, fields } = describeParts(e);
  return { title, fields, problem: isProblem(e) };
}

/** The event on one line: its title, then its fields. */
export function eventLine(e: TraceEvent): string {
  const d = describeEvent(e);
  return d.fields.length === 0 ? d.title : `${d.title} · ${d.fields.map(([k, v]) => `${k} ${v}`).join(' · ')}`;
}

/** The endpoint (`domain/instance/name`) or instance (`domain/instance`) an event concerns, if any. */
export function eventOwner(e: TraceEvent): { instance: string | null; endpoint: string | null } {
  if (e.kind === 'api' || e.kind === 'callback') {
    const instance = `${e.domain}/${e.instance}`;
    return { instance, endpoint: e.endpoint === undefined ? null : `${instance}/${e.endpoint}` };
  }
  if (e.kind === 'transition') return { instance: `${e.domain}/${e.instance}`, endpoint: null };
  return { instance: null, endpoint: null };
}
