/** One line per trace event, in the protocol's words: what the event list and the inspector show. */
import { formatResult, type TraceEvent } from '../../core';

export function describeEvent(e: TraceEvent): string {
  switch (e.kind) {
    case 'decision':
      return `scheduler picks ${e.pick} → ${e.ran}${e.candidates.length > 1 ? ` (of ${e.candidates.join(', ')})` : ''}`;
    case 'api':
      return `${e.call}(${e.instance}${e.endpoint === undefined ? '' : `/${e.endpoint}`}${e.length === undefined ? '' : `, ${e.length} B`}) = ${formatResult(e.result)}${e.msgId === undefined ? '' : ` · msg #${e.msgId}`}`;
    case 'transition':
      return `${e.instance}: ${e.from} → ${e.to} on ${e.event}`;
    case 'packet-written':
      return `packet written to ${e.region} at data[${e.offset}], ${e.length} B · msg #${e.msgId}`;
    case 'packet-read':
      return `packet read from ${e.region} at data[${e.offset}], ${e.length} B${e.msgId === null ? '' : ` · msg #${e.msgId}`}`;
    case 'packet-dropped':
      return `packet dropped from ${e.region}, ${e.length} B: ${e.reason}`;
    case 'doorbell-rung':
      return `doorbell ${e.channel} rung → ${e.to}${e.result === 0 ? '' : ` = ${formatResult(e.result)}`}`;
    case 'doorbell-delivered':
      return `doorbell ${e.channel} taken${e.coalesced > 0 ? ` (${e.coalesced} merged)` : ''}`;
    case 'doorbell-lost':
      return `doorbell ${e.channel} LOST (${e.reason})`;
    case 'callback':
      return `${e.instance}/${e.endpoint}: ${e.callback}()${e.length === undefined ? '' : ` ${e.length} B`}${e.msgId === undefined || e.msgId === null ? '' : ` · msg #${e.msgId}`}${e.message === undefined ? '' : `: ${e.message}`}`;
    case 'anomaly':
      return `anomaly at ${e.where}: ${e.message}`;
    case 'assert':
      return `__ASSERT at ${e.where}: ${e.message}${e.halted ? ' (halted)' : ''}`;
    case 'work':
      return `k_work ${e.item} ${e.phase}`;
    case 'task':
      return `task ${e.task} ${e.phase}${e.note === undefined ? '' : `: ${e.note}`}`;
    case 'memory-fault':
      return `bus fault: ${e.access} of ${e.length} B at offset ${e.offset} (${e.inBounds} in bounds)`;
    case 'note':
      return e.text;
    case 'domain':
      return `domain ${e.status}${e.message === undefined ? '' : `: ${e.message}`}`;
    case 'trace-gap':
      return `${e.lost} trace records lost: ${e.reason}`;
  }
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
