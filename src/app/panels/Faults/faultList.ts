/** The run's faults at the time cursor, as the fault panel and the hex pane's quick faults read them. */
import type { Fault, FaultInput, UserAction } from '../../../core';
import type { DebugSession } from '../../debug/DebugSession';
import { formatNs } from '../../format';
import { appStore } from '../../store/appStore';
import { nextFaultId } from './faultForm';

export interface ListedFault {
  readonly fault: Fault;
  /** How often it acted up to the cursor; null when the runtime does not say (workers). */
  readonly acted: number | null;
}

/** The inline fault injector's faults at the cursor, else the scenario's. */
export function faultsAt(session: DebugSession): readonly ListedFault[] {
  const inline = session.inline;
  if (inline) return inline.world.faults.faults;
  return session.scenario.faults.map((fault) => ({ fault, acted: null }));
}

/** The id the next fault added gets: after every id at the cursor and in the scenario. */
export function nextIdAt(session: DebugSession): string {
  return nextFaultId([...faultsAt(session).map((l) => l.fault.id), ...session.scenario.faults.map((f) => f.id)]);
}

/** What a fault action came to: done (with the time it took effect) or what the run refused. */
export type ActOutcome = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string };

/** Acts `action` at the cursor through the store and reads back what the run said. */
export function actFault(session: DebugSession, action: UserAction, done: string): ActOutcome {
  const at = formatNs(session.cursorTimeNs);
  appStore.getState().act(action);
  const notice = appStore.getState().runNotice;
  return notice === null ? { ok: true, text: `${done} at ${at}` } : { ok: false, text: notice };
}

export const addFault = (session: DebugSession, fault: FaultInput, what: string): ActOutcome =>
  actFault(session, { kind: 'fault', fault }, `Added ${fault.id} (${what})`);
