/**
 * The Ports panel: a scenario's libipc ports (reference libipc-and-channels.md §1), one at a time.
 *
 *   ┌ Ports  [ui_port ▾]  ipc_port_t 1 · depth 10 · ui_ipc.yaml   sent 18 · received 18 · failures 0 ┐
 *   │ senders: ■ auth_task ■ sysinfo_task                                                             │
 *   │ object history: blocks per message by slot, marks, fill level vs depth      (ObjectHistory)     │
 *   │ #12 IPC_UI_EVENT from auth_task · sent … · received …   [Go to send] [Go to receive]            │
 *   │ the queue now: slots from the head, items with decoded fields (QueueNow) │ mempool (Mempool)   │
 *   └──────────────────────────────────────────────────────────────────────────────────────────────────┘
 *
 * Shown only for scenarios with a `libipc` section. A message selected anywhere is highlighted
 * here, and the panel switches to its port.
 */
import { useCallback, useMemo, useState } from 'react';
import type { DebugSession } from '../../debug/DebugSession';
import { useDerived } from '../../debug/useDerived';
import { formatNs } from '../../format';
import { appStore, useAppStore } from '../../store/appStore';
import type { DebugFrame } from '../../store/runSlice';
import { type Selection, selectedMessage } from '../../store/selectionSlice';
import { portCounts } from './historyView';
import { Mempool } from './Mempool';
import { ObjectHistory } from './ObjectHistory';
import { portsPlanOf } from './plan';
import { type PortMessage, portHistoryOf, PortRecord } from './portHistory';
import { QueueNow } from './QueueNow';
import { taskColour } from './taskPalette';
import './ports.css';

/** What the history shows for a port nothing was traced for yet (never written to). */
const NO_TRAFFIC = new PortRecord('');

export function PortsPanel() {
  const session = useAppStore((s) => s.session);
  const frame = useAppStore((s) => s.frame);
  if (!session?.scenario.libipc) return null;
  if (!frame) {
    return (
      <section className="panel ports-panel" aria-label="Ports">
        <header className="panel-head">
          <h2>Ports</h2>
        </header>
        <p className="empty">No run: open a scenario to inspect its ports.</p>
      </section>
    );
  }
  return <PortsView session={session} frame={frame} />;
}

function PortsView({ session, frame }: { readonly session: DebugSession; readonly frame: DebugFrame }) {
  const selection = useAppStore((s) => s.selection);
  const hover = useAppStore((s) => s.hover);
  const select = useAppStore((s) => s.select);
  const setHover = useAppStore((s) => s.setHover);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const viewport = useAppStore((s) => s.viewport);
  const derived = useDerived();
  const [chosen, setChosen] = useState<string | null>(null);
  const [followed, setFollowed] = useState<Selection | null>(selection);

  const { scenario, table } = session;
  const plan = portsPlanOf(scenario);
  // Brought up to date on every render: it reads only the events appended since the last one.
  const history = portHistoryOf(table);
  const tasks = useMemo(() => scenario.libipc?.tasks.map((t) => t.name) ?? [], [scenario]);
  const colourOf = useCallback((task: string) => taskColour(task, tasks), [tasks]);
  const message = selectedMessage(selection, table);
  const selectedRecord = message === null ? undefined : history.message(message);
  // A message selected elsewhere may sit in another port: follow it there.
  if (selection !== followed) {
    setFollowed(selection);
    if (selectedRecord) setChosen(selectedRecord.port);
  }
  const portNames = plan?.ok ? plan.value.ports.map((p) => p.name) : history.names;
  const busiest = portNames.find((p) => (history.port(p)?.messages.length ?? 0) > 0);
  const portName = (chosen !== null && portNames.includes(chosen) ? chosen : busiest) ?? portNames[0] ?? null;
  const record = portName === null ? undefined : history.port(portName);
  const shownRecord = record ?? NO_TRAFFIC;

  if (!plan?.ok) {
    return (
      <section className="panel ports-panel" aria-label="Ports">
        <header className="panel-head">
          <h2>Ports</h2>
        </header>
        <p className="ports-error" role="alert">
          The libipc area cannot be planned, so its ports cannot be shown: {plan?.error ?? 'no libipc section'}
        </p>
      </section>
    );
  }
  const portPlan = plan.value.ports.find((p) => p.name === portName);
  if (!portPlan || portName === null) {
    return (
      <section className="panel ports-panel" aria-label="Ports">
        <header className="panel-head">
          <h2>Ports</h2>
        </header>
        <p className="empty">The scenario's definitions declare no port.</p>
      </section>
    );
  }
  const state = derived?.ports.get(portName);
  const depth = portPlan.depth;
  const counts = portCounts(shownRecord, frame.cursor);
  const fillNow = shownRecord.fill.at(frame.cursor);
  const peak = shownRecord.fill.peakBefore(frame.cursor);
  const senders = [...new Set(shownRecord.messages.slice(0, shownRecord.sentBefore(frame.cursor)).map((m) => m.task))];
  const hovered = selectedMessage(hover, table);
  const inPort = selectedRecord?.port === portName ? selectedRecord : undefined;
  const selectMessage = (msgId: number) => select({ kind: 'message', msgId });
  const go = (index: number) => {
    const e = table.event(index);
    if (!e) return;
    select({ kind: 'event', seq: e.seq });
    seekEvent(index);
  };

  return (
    <section className="panel ports-panel" aria-label="Ports">
      <header className="panel-head ports-head">
        <h2>Ports</h2>
        <select aria-label="Port" value={portName} onChange={(e) => setChosen(e.target.value)}>
          {portNames.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <span className="ports-meta">
          ipc_port_t {portPlan.index} · depth {depth} · {portPlan.definition.file}
          {state && !state.registered ? ' · not registered' : ''}
        </span>
        <span className="ports-counts" aria-label="Counts">
          sent <strong>{counts.sent}</strong> · received <strong>{counts.received}</strong>
          {counts.lost > 0 && (
            <>
              {' '}
              · lost in resets <strong className="bad">{counts.lost}</strong>
            </>
          )}{' '}
          · failures <strong className={counts.failures > 0 ? 'bad' : ''}>{counts.failures}</strong> · fill{' '}
          <strong data-testid="ports-fill">
            {fillNow}/{depth}
          </strong>{' '}
          · peak{' '}
          <strong data-testid="ports-peak" className={peak >= depth ? 'bad' : ''}>
            {peak}
          </strong>
        </span>
      </header>
      <div className="ports-legend" aria-label="Senders">
        {senders.length === 0 ? (
          <span className="muted">No message sent to {portName} before the cursor.</span>
        ) : (
          senders.map((t) => (
            <span key={t} className="ports-legend-item">
              <span className="ports-dot" style={{ background: colourOf(t) }} />
              {t}
            </span>
          ))
        )}
      </div>
      <ObjectHistory
        session={session}
        frame={frame}
        record={shownRecord}
        depth={depth}
        viewport={viewport}
        colourOf={colourOf}
        selected={inPort ? inPort.msgId : null}
        hovered={hovered}
        onSelectMessage={selectMessage}
        onSelectEvent={(index) => {
          const e = table.event(index);
          if (e) select({ kind: 'event', seq: e.seq });
        }}
        onHoverMessage={(msgId) => {
          const next = msgId === null ? null : ({ kind: 'message', msgId } as const);
          if (selectedMessage(appStore.getState().hover, table) !== msgId) setHover(next);
        }}
        onSeek={seekEvent}
      />
      <MessageBar message={inPort} cursor={frame.cursor} other={message !== null && !inPort ? message : null} go={go} />
      <div className="ports-lower">
        <QueueNow
          plan={plan.value}
          port={portName}
          depth={depth}
          state={state}
          history={history}
          record={record}
          cursor={frame.cursor}
          memory={session.memory()}
          base={scenario.memory.base}
          live={session.mode === 'workers'}
          colourOf={colourOf}
          selected={message}
          onSelect={selectMessage}
        />
        <Mempool
          pool={plan.value.pool}
          held={derived?.pool ?? new Map()}
          colourOf={colourOf}
          selected={message}
          onSelect={selectMessage}
        />
      </div>
    </section>
  );
}

/** The selected message's life in this port (Tracealyzer's "Goto sending / receiving event"). */
function MessageBar({
  message,
  cursor,
  other,
  go,
}: {
  readonly message: PortMessage | undefined;
  readonly cursor: number;
  readonly other: number | null;
  readonly go: (index: number) => void;
}) {
  if (!message) {
    return (
      <p className="ports-msgbar muted" role="status">
        {other === null ? 'Click a block to select its message.' : `Message #${other} is not a message of this port.`}
      </p>
    );
  }
  const received = message.recvIndex >= 0;
  return (
    <div className="ports-msgbar" role="status" aria-label="Selected message">
      <strong>#{message.msgId}</strong>
      <span>
        {message.tagName ?? `tag ${message.tag}`} from {message.task} · {message.length} B · slot {message.slot} · sent{' '}
        {formatNs(message.sendT)}
        {received
          ? ` · received ${formatNs(message.recvT)}`
          : message.dropIndex >= 0
            ? ' · lost in a reset'
            : ' · not received'}
        {message.sendIndex >= cursor ? ' (after the cursor)' : ''}
      </span>
      <button type="button" onClick={() => go(message.sendIndex)}>
        Go to send
      </button>
      <button type="button" disabled={!received} onClick={() => go(message.recvIndex)}>
        Go to receive
      </button>
    </div>
  );
}
