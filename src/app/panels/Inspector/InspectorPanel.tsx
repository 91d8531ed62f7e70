/**
 * The inspector: what the shared selection is, in detail, with the ways to follow it — a
 * message's send and receive (Tracealyzer's "go to sending / receiving event"), a state's
 * entries, an instance's devicetree properties, an event's fields.
 */
import type { ReactNode } from 'react';
import { formatResult, type TraceEvent } from '../../../core';
import type { DebugSession } from '../../debug/DebugSession';
import { describeEvent, eventLine } from '../../debug/describe';
import { useDerived } from '../../debug/useDerived';
import { formatNs, hex32 } from '../../format';
import { useAppStore } from '../../store/appStore';
import { selectedMessage } from '../../store/selectionSlice';
import { PortInspector, TaskInspector } from './PortInspector';
import { DecodedObject } from '../Ports/DecodedObject';

/** The events of one message: where it was written, read, and delivered. */
function messageEvents(session: DebugSession, msgId: number): { index: number; event: TraceEvent }[] {
  const out: { index: number; event: TraceEvent }[] = [];
  for (const index of session.table.messageEvents(msgId)) {
    const event = session.table.event(index);
    if (event) out.push({ index, event });
  }
  return out;
}

function fieldText(name: string, value: unknown): string {
  if (name === 't' && typeof value === 'number') return formatNs(value);
  // Virtual addresses (a libipc object, a mempool entry) read as a firmware engineer reads them.
  if ((name === 'object' || name === 'address') && typeof value === 'number') return hex32(value);
  if (name === 'result' && (typeof value === 'number' || typeof value === 'string')) {
    return typeof value === 'number' ? formatResult(value) : `-${value}`;
  }
  return JSON.stringify(value);
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function InspectorPanel() {
  const session = useAppStore((s) => s.session);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const runView = useAppStore((s) => s.runView);
  useAppStore((s) => s.frame?.revision);
  const derived = useDerived();
  if (!session) return null;
  const table = session.table;
  const go = (index: number, seq: number) => {
    select({ kind: 'event', seq });
    seekEvent(index);
  };
  const msg = selectedMessage(selection, table);
  let body: ReactNode = <p className="empty">Select a message, state, byte or event in any view.</p>;

  if (selection?.kind === 'event') {
    const index = table.indexOfSeq(selection.seq);
    const e = table.event(index);
    if (e) {
      body = (
        <>
          <p className="insp-title">{describeEvent(e).title}</p>
          <dl className="insp-fields">
            {Object.entries(e).map(([k, v]) => (
              <Field key={k} name={k}>
                {fieldText(k, v)}
              </Field>
            ))}
          </dl>
          {index >= session.cursor && (
            <p className="insp-note">This event lies after the time cursor (recorded future).</p>
          )}
        </>
      );
    }
  } else if (selection?.kind === 'state') {
    const rows = (derived?.history.get(selection.instance) ?? []).filter((r) => r.to === selection.state);
    body = (
      <>
        <p className="insp-title">
          {selection.instance} · <strong>{selection.state}</strong>
        </p>
        <p>
          {rows.length === 0 ? 'Not entered before the cursor.' : `Entered ${rows.length} times before the cursor:`}
        </p>
        <ul className="insp-links">
          {rows.map((r) => (
            <li key={r.seq}>
              <button type="button" onClick={() => go(r.index, r.seq)}>
                {formatNs(r.t)} from {r.from} on {r.event}
              </button>
            </li>
          ))}
        </ul>
      </>
    );
  } else if (selection?.kind === 'instance') {
    const n = session.scenario.instances.find((x) => `${x.domain}/${x.node}` === selection.key);
    if (n) {
      body = (
        <>
          <p className="insp-title">
            {n.domain}: {n.node} · <strong>{derived?.instanceState.get(selection.key) ?? 'not opened'}</strong>
          </p>
          <pre className="insp-dts">{`${n.node} {
  compatible = "${n.compatible}";
  tx-region = <&${n['tx-region']}>;
  rx-region = <&${n['rx-region']}>;
  dcache-alignment = <${n['dcache-alignment'] ?? 0}>;
${
  n.compatible === 'zephyr,ipc-icbmsg'
    ? `  tx-blocks = <${n['tx-blocks']}>;\n  rx-blocks = <${n['rx-blocks']}>;`
    : `  unbound = "${n.unbound}";`
}
  mboxes = <&mbox ${n.mboxes.tx}>, <&mbox ${n.mboxes.rx}>;
  mbox-names = "tx", "rx";
};`}</pre>
          <p className="insp-note">
            {n.compatible === 'zephyr,ipc-icbmsg'
              ? `Zephyr 3.6 – v4.4 · IPC_SERVICE_BACKEND_ICBMSG_NUM_EP=${n.kconfig.IPC_SERVICE_BACKEND_ICBMSG_NUM_EP}`
              : `Zephyr ${n.zephyr === '3.6' ? '3.6–4.0' : '4.1+'} · PBUF_RX_READ_BUF_SIZE=${n.kconfig.PBUF_RX_READ_BUF_SIZE}`}
          </p>
        </>
      );
    }
  } else if (selection?.kind === 'endpoint') {
    const ep = runView?.endpoints.find((e) => `${e.domain}/${e.instance}/${e.name}` === selection.key);
    const life = derived?.endpoints.get(selection.key);
    body = (
      <>
        <p className="insp-title">Endpoint {selection.key}</p>
        <dl className="insp-fields">
          <Field name="state">{life?.state ?? 'not bound'}</Field>
          <Field name="behaviour">{ep?.behaviour ?? '—'}</Field>
          <Field name="bound() / unbound()">
            {life?.bound ?? 0} / {life?.unbound ?? 0}
          </Field>
          <Field name="sent / received">
            {ep?.sent ?? 0} / {ep?.received ?? 0}
          </Field>
          <Field name="in order · gaps · corrupted">
            {ep?.inOrder ?? 0} · {ep?.gaps ?? 0} · {ep?.corrupted ?? 0}
          </Field>
        </dl>
      </>
    );
  } else if (selection?.kind === 'bytes') {
    const region = session.regions.find((r) => r.name === selection.region);
    const mem = session.memory();
    if (region) {
      const from = region.offset + selection.offset;
      const bytes = Array.from(mem.subarray(from, from + Math.min(selection.length, 64)), (b) =>
        b.toString(16).padStart(2, '0'),
      );
      body = (
        <>
          <p className="insp-title">
            {region.name} +{selection.offset} ({selection.length} B) at {hex32(region.address + selection.offset)}
          </p>
          <pre className="insp-dts">
            {bytes.join(' ')}
            {selection.length > 64 ? ' …' : ''}
          </pre>
          <p className="insp-note">
            written by {region.writer ?? '—'} · read by {region.reader ?? '—'}
          </p>
        </>
      );
    }
  } else if (selection?.kind === 'port') {
    body = <PortInspector session={session} derived={derived} name={selection.name} />;
  } else if (selection?.kind === 'task') {
    body = <TaskInspector session={session} derived={derived} name={selection.name} />;
  } else if (selection?.kind === 'message') {
    // The message's own group below says it all.
    body = null;
  } else if (selection?.kind === 'domain') {
    const d = runView?.domains.find((x) => x.name === selection.name);
    body = (
      <p className="insp-title">
        Domain {selection.name}: {d?.status ?? '—'}
        {d?.error ? ` (${d.error})` : ''}
      </p>
    );
  }

  const related = msg !== null ? messageEvents(session, msg) : [];
  // A message goes through a ring (packet written / read, received() callback) or a libipc port (send / recv).
  const isPort = (r: { event: TraceEvent }, op: 'send' | 'recv'): boolean =>
    r.event.kind === 'port' && r.event.op === op;
  const send = related.find((r) => r.event.kind === 'packet-written' || isPort(r, 'send'));
  const recv = related.find(
    (r) => (r.event.kind === 'callback' && r.event.callback === 'received') || isPort(r, 'recv'),
  );
  const read = related.find((r) => r.event.kind === 'packet-read');
  const selectedEvent = selection?.kind === 'event' ? table.event(table.indexOfSeq(selection.seq)) : undefined;

  return (
    <section className="panel inspector" aria-label="Inspector">
      <header className="panel-head">
        <h2>Inspector</h2>
        {selection && (
          <button type="button" className="link" onClick={() => select(null)}>
            clear
          </button>
        )}
      </header>
      {body}
      <DecodedObject session={session} msgId={msg} event={selectedEvent} />
      {msg !== null && (
        <div className="insp-msg" role="group" aria-label={`Message ${msg}`}>
          <p className="insp-title">Message #{msg}</p>
          <div className="insp-buttons">
            <button type="button" disabled={!send} onClick={() => send && go(send.index, send.event.seq)}>
              Go to send
            </button>
            <button
              type="button"
              disabled={!(recv ?? read)}
              onClick={() => {
                const r = recv ?? read;
                if (r) go(r.index, r.event.seq);
              }}
            >
              Go to receive
            </button>
          </div>
          <ul className="insp-links">
            {related.map((r) => (
              <li key={r.event.seq}>
                <button type="button" onClick={() => go(r.index, r.event.seq)}>
                  {formatNs(r.event.t)} {r.event.domain}: {eventLine(r.event)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
