/**
 * The statechart view: the selected instance's backend machine, drawn from the machine definition
 * the backend itself runs, with its live state at the time cursor; below, its transition history,
 * whose rows move the cursor.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { type AnyStateMachine } from 'xstate';
import { icmsgLegacyMachine, icmsgMachine, type TraceEvent } from '../../../core';
import { backendLabel } from '../../debug/regions';
import { useDerived } from '../../debug/useDerived';
import { useAppStore } from '../../store/appStore';
import type { Selection } from '../../store/selectionSlice';
import { formatNs } from '../../format';
import { machineGraph, type MachineGraph } from './machineGraph';
import { createStatechart, type StatechartController } from './statechartController';
import './statechart.css';

const GRAPHS = new Map<string, { machine: AnyStateMachine; graph: MachineGraph | null }>([
  ['4.1', { machine: icmsgMachine, graph: null }],
  ['3.6', { machine: icmsgLegacyMachine, graph: null }],
]);

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
  const instances = useMemo(() => session?.scenario.instances ?? [], [session]);
  const [chosen, setChosen] = useState<string | null>(null);
  const fromSelection = instanceOfSelection(selection, (seq) => session?.table.event(session.table.indexOfSeq(seq)));
  // Another kind of selection (a message, bytes) keeps the instance shown last (state adjusted
  // while rendering, as React recommends for values derived from props).
  if (fromSelection !== null && fromSelection !== chosen) setChosen(fromSelection);
  const key = fromSelection ?? chosen ?? (instances[0] ? `${instances[0].domain}/${instances[0].node}` : null);
  const node = instances.find((n) => `${n.domain}/${n.node}` === key);
  // An ICBMsg instance's handshake is its ICMsg control link's (4.1+ code, unbound = disable).
  const graph = node ? graphFor(node.compatible === 'zephyr,ipc-icbmsg' ? '4.1' : node.zephyr) : null;
  const live = key ? (derived?.instanceState.get(key) ?? null) : null;
  const history = key ? (derived?.history.get(key) ?? []) : [];
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
      live,
      lastEdge: last ? { from: last.from, to: last.to } : null,
      selected: selectedState,
      onSelect: (state) => select({ kind: 'state', instance: key, state }),
    });
  }, [graph, key, live, last, selectedState, select]);

  const historyRef = useRef<HTMLOListElement | null>(null);
  useEffect(() => {
    const list = historyRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [history.length]);

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
            {instances.map((n) => (
              <option key={`${n.domain}/${n.node}`} value={`${n.domain}/${n.node}`}>
                {n.domain}/{n.node} · {backendLabel(n)}
              </option>
            ))}
          </select>
        </label>
        <span className="sc-live" data-testid="statechart-live">
          {key}: <strong>{live ?? 'not opened'}</strong>
        </span>
      </header>
      {graph ? (
        <>
          <svg ref={svgRef} className="statechart" role="group" aria-label={`${graph.id} machine`} />
          <p className="sc-any">
            In any state:{' '}
            {graph.anyState.map((e) => (
              <span key={e.to}>
                {e.events.join(' / ')} → {e.to}
              </span>
            ))}
          </p>
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
