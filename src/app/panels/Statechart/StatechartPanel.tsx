/**
 * The statechart view: the selected instance's backend machine, drawn from the machine definition
 * the backend itself runs, with its live state at the time cursor; below, its transition history,
 * whose rows move the cursor.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { type AnyStateMachine } from 'xstate';
import {
  icbmsgEptMachine,
  icbmsgInstanceMachine,
  icmsgLegacyMachine,
  icmsgMachine,
  type Scenario,
  type TraceEvent,
} from '../../../core';
import { backendLabel } from '../../debug/regions';
import { useDerived } from '../../debug/useDerived';
import { useAppStore } from '../../store/appStore';
import type { Selection } from '../../store/selectionSlice';
import { formatNs } from '../../format';
import { machineGraph, type MachineGraph } from './machineGraph';
import { createStatechart, type StatechartController } from './statechartController';
import './statechart.css';

/** The machines a subject can run: ICMsg (4.1+ and 3.6 code), an ICBMsg instance and endpoint. */
const GRAPHS = new Map<string, { machine: AnyStateMachine; graph: MachineGraph | null }>([
  ['4.1', { machine: icmsgMachine, graph: null }],
  ['3.6', { machine: icmsgLegacyMachine, graph: null }],
  ['icbmsg-ept', { machine: icbmsgEptMachine, graph: null }],
  ['icbmsg', { machine: icbmsgInstanceMachine, graph: null }],
]);

/** Something with a machine: an instance (`domain/node`), or an ICBMsg endpoint (`domain/node/name`). */
interface Subject {
  readonly key: string;
  readonly label: string;
  readonly machine: string;
}

function subjectsOf(scenario: Scenario): Subject[] {
  return scenario.instances.flatMap((n): Subject[] => {
    const key = `${n.domain}/${n.node}`;
    if (n.compatible === 'zephyr,ipc-icmsg') return [{ key, label: `${key} · ${backendLabel(n)}`, machine: n.zephyr }];
    // An ICBMsg instance has its own life (opened, control link bound), its ICMsg control link
    // runs the 4.1+ handshake (unbound = disable), and each endpoint binds with its own machine.
    return [
      { key, label: `${key} · ICBMsg instance`, machine: 'icbmsg' },
      { key: `${key}/control`, label: `${key}/control · ICBMsg control link (ICMsg)`, machine: '4.1' },
      ...scenario.endpoints
        .filter((e) => e.domain === n.domain && e.instance === n.node)
        .map((e) => ({ key: `${key}/${e.name}`, label: `${key}/${e.name} · ICBMsg endpoint`, machine: 'icbmsg-ept' })),
    ];
  });
}

/** The state of each region at the cursor, from the subject's transitions (none before the first). */
function liveStates(graph: MachineGraph, history: readonly { readonly to: string }[]): string[] {
  if (history.length === 0) return [];
  return graph.regions.flatMap((region) => {
    for (let i = history.length - 1; i >= 0; i--) {
      const to = history[i]?.to;
      if (to !== undefined && region.includes(to)) return [to];
    }
    const initial = graph.states.find((st) => st.initial && region.includes(st.name));
    return initial ? [initial.name] : [];
  });
}

function graphFor(zephyr: string): MachineGraph | null {
  const entry = GRAPHS.get(zephyr);
  if (!entry) return null;
  entry.graph ??= machineGraph(entry.machine);
  return entry.graph;
}

/** The instance a selection names, if any (`domain/node`). */
function instanceOfSelection(s: Selection | null, event: (seq: number) => TraceEvent | undefined): string | null {
  if (s?.kind === 'instance') return s.key;
  if (s?.kind === 'state') return s.instance;
  if (s?.kind === 'endpoint') return s.key.split('/').slice(0, 2).join('/');
  if (s?.kind === 'event') {
    const e = event(s.seq);
    if (e?.kind === 'transition') return `${e.domain}/${e.instance}`;
  }
  return null;
}

export function StatechartPanel() {
  const session = useAppStore((s) => s.session);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const derived = useDerived();
  const subjects = useMemo(() => (session ? subjectsOf(session.scenario) : []), [session]);
  const [chosen, setChosen] = useState<string | null>(null);
  const selected = instanceOfSelection(selection, (seq) => session?.table.event(session.table.indexOfSeq(seq)));
  // An ICBMsg endpoint has a machine of its own: selecting it shows that one.
  const fromSelection =
    selection?.kind === 'endpoint' && subjects.some((x) => x.key === selection.key) ? selection.key : selected;
  // Another kind of selection (a message, bytes) keeps the instance shown last (state adjusted
  // while rendering, as React recommends for values derived from props).
  if (fromSelection !== null && fromSelection !== chosen) setChosen(fromSelection);
  const key = fromSelection ?? chosen ?? subjects[0]?.key ?? null;
  const subject = subjects.find((x) => x.key === key);
  const graph = subject ? graphFor(subject.machine) : null;
  const history = key ? (derived?.history.get(key) ?? []) : [];
  const live = graph ? liveStates(graph, history) : [];
  // The effect below redraws when this text changes (the array is new every render).
  const liveKey = live.join('|');
  const last = history[history.length - 1];
  const selectedState = selection?.kind === 'state' && selection.instance === key ? selection.state : null;

  const svgRef = useRef<SVGSVGElement | null>(null);
  const controller = useRef<StatechartController | null>(null);
  useEffect(() => {
    if (!svgRef.current) return;
    const c = createStatechart(svgRef.current);
    controller.current = c;
    return () => {
      c.destroy();
      controller.current = null;
    };
  }, [graph]);
  useEffect(() => {
    if (!graph || !key) return;
    controller.current?.update({
      graph,
      live: liveKey === '' ? [] : liveKey.split('|'),
      lastEdge: last ? { from: last.from, to: last.to } : null,
      selected: selectedState,
      onSelect: (state) => select({ kind: 'state', instance: key, state }),
    });
  }, [graph, key, liveKey, last, selectedState, select]);

  const historyRef = useRef<HTMLOListElement | null>(null);
  useEffect(() => {
    const list = historyRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [history.length]);

  // A scenario of libipc tasks alone has no IPC instance to draw: the Ports panel takes the room.
  if (subjects.length === 0 && (session?.scenario.libipc || session?.scenario.channels)) return null;

  return (
    <section className="panel statechart-panel" aria-label="Statechart">
      <header className="panel-head">
        <h2>Statechart</h2>
        <label>
          Instance{' '}
          <select
            value={key ?? ''}
            onChange={(e) => {
              setChosen(e.target.value);
              select({ kind: 'instance', key: e.target.value });
            }}
          >
            {subjects.map((x) => (
              <option key={x.key} value={x.key}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <span className="sc-live" data-testid="statechart-live">
          {key}: <strong>{live.length > 0 ? live.join(' · ') : 'not opened'}</strong>
        </span>
      </header>
      {graph ? (
        <>
          <svg ref={svgRef} className="statechart" role="group" aria-label={`${graph.id} machine`} />
          {graph.anyState.length > 0 && (
            <p className="sc-any">
              In any state:{' '}
              {graph.anyState.map((e) => (
                <span key={e.to}>
                  {e.events.join(' / ')} → {e.to}
                </span>
              ))}
            </p>
          )}
        </>
      ) : (
        <p className="empty">No instance to draw.</p>
      )}
      <h3 className="sc-history-title">Transitions of {key ?? '—'}</h3>
      <ol className="sc-history" ref={historyRef} aria-label="Transition history">
        {history.length === 0 && <li className="empty">None yet: press Run or Step.</li>}
        {history.map((row) => (
          <li key={row.seq}>
            <button
              type="button"
              className={
                (selection?.kind === 'event' && selection.seq === row.seq) ||
                (selectedState !== null && row.to === selectedState)
                  ? 'selected'
                  : ''
              }
              onClick={() => {
                select({ kind: 'event', seq: row.seq });
                seekEvent(row.index);
              }}
            >
              <span className="t">{formatNs(row.t)}</span> {row.from} → <strong>{row.to}</strong>{' '}
              <span className="ev">{row.event}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
