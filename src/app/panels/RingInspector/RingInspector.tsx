/**
 * The ring inspector: one shared-memory region at the time cursor, as Tracealyzer's object
 * history, Wireshark's detail tree + bytes pane and a Perfetto counter track (ux-anchors §1.5,
 * §1.7, §1.13, §5 items 4–5).
 *
 *   ┌ region switcher: sram_app_to_rad · cpuapp → cpurad │ sram_rad_to_app · cpurad → cpuapp ┐
 *   │ problems (corrupted indices, malformed packets)                                         │
 *   │ ring of data[] │ field tree (rd_idx, handshake, wr_idx, data[] → packets …) │ hex pane    │
 *   │ occupancy over time (bytes in use), with the time cursor                                │
 *   └──────────────────────────────────────────────────────────────────────────────────────────┘
 *
 * Linking (Wireshark's three levels): the focused packet's span, the focused field's span and the
 * byte under the pointer are highlighted in the hex pane; hovering a field lights its bytes and
 * hovering a byte lights its field. Clicking focuses a field and sets the shared selection by the
 * rule in regionView.ts; a message selected anywhere focuses its packet here.
 */
import { useCallback, useMemo, useState } from 'react';
import { fieldPathAt, fieldPathById, type PbufField } from '../../../core';
import type { DebugSession } from '../../debug/DebugSession';
import { formatNs, hex32 } from '../../format';
import { appStore, useAppStore } from '../../store/appStore';
import type { DebugFrame } from '../../store/runSlice';
import { type Selection, sameSelection, selectedMessage } from '../../store/selectionSlice';
import { FieldTree } from './FieldTree';
import { OccupancyTrack } from './OccupancyTrack';
import { InspectorStrip } from './InspectorStrip';
import { hasMessage, packetHistoryOf, readOf } from './packetHistory';
import { RegionHex } from './RegionHex';
import {
  buildRegionView,
  focusedPath,
  type LocalFocus,
  msgIdOf,
  packetAt,
  packetName,
  packetColour,
  packetOfMessage,
  packetRanges,
  regionTitle,
  type RegionView,
  selectionForField,
} from './regionView';
import './ringInspector.css';
import { BlockMap } from './BlockMap';

/** The region a selection made elsewhere points at, if it is not the one shown. */
function regionOfSelection(
  session: DebugSession,
  shown: string,
  selection: Selection | null,
  message: number | null,
): string | null {
  if (selection?.kind === 'bytes') return selection.region;
  if (message === null) return null;
  const history = packetHistoryOf(session.table);
  if (hasMessage(history.region(shown), message)) return null;
  return session.regions.find((r) => hasMessage(history.region(r.name), message))?.name ?? null;
}

const DEFAULT_OPEN: ReadonlySet<string> = new Set(['handshake', 'data']);

export function RingInspector() {
  const session = useAppStore((s) => s.session);
  const frame = useAppStore((s) => s.frame);
  // A libipc scenario without ICMsg rings: its area is the Ports panel's, which takes the space.
  if (session?.regions.length === 0 && (session.scenario.libipc || session.scenario.channels)) return null;
  if (!session || !frame || session.regions.length === 0) {
    return (
      <section className="panel ring-inspector" aria-label="Ring inspector">
        <header className="panel-head">
          <h2>Ring inspector</h2>
        </header>
        <p className="empty">
          {session ? 'This scenario has no shared-memory regions.' : 'No run: open a scenario to inspect its rings.'}
        </p>
      </section>
    );
  }
  return <RegionInspector session={session} frame={frame} />;
}

function RegionInspector({ session, frame }: { readonly session: DebugSession; readonly frame: DebugFrame }) {
  const selection = useAppStore((s) => s.selection);
  const hover = useAppStore((s) => s.hover);
  const select = useAppStore((s) => s.select);
  const setHover = useAppStore((s) => s.setHover);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const viewport = useAppStore((s) => s.viewport);

  const [chosen, setChosen] = useState<string | null>(null);
  const [focus, setFocus] = useState<LocalFocus | null>(null);
  const [hoverField, setHoverField] = useState<string | null>(null);
  const [hoverByte, setHoverByte] = useState<number | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(DEFAULT_OPEN);
  const [followed, setFollowed] = useState<Selection | null>(selection);
  const [openedFor, setOpenedFor] = useState('');

  const regionName = (session.regions.find((r) => r.name === chosen) ?? session.regions[0])?.name ?? null;
  const view = useMemo(() => {
    const r = session.regions.find((x) => x.name === regionName);
    return r ? buildRegionView(r, session.memory(), packetHistoryOf(session.table).region(r.name), frame.cursor) : null;
    // `frame` changes whenever the trace or the cursor does: the memory is re-read then.
  }, [session, regionName, frame]);
  const region = view?.region;
  const message = selectedMessage(selection, session.table);
  // A selection made in another view may point into another region: follow it there.
  if (selection !== followed) {
    setFollowed(selection);
    const target = region ? regionOfSelection(session, region.name, selection, message) : null;
    if (target !== null && target !== region?.name) setChosen(target);
  }

  const path = view ? focusedPath(view, selection, message, focus) : [];
  const focused = path.at(-1) ?? null;
  // Open the tree down to a field focused from anywhere (a click here, a selection elsewhere).
  const pathKey = path.map((f) => f.id).join(' ');
  if (pathKey !== openedFor) {
    setOpenedFor(pathKey);
    // The focused field itself opens too when it has children (a packet shows its header and payload).
    const opening = path.filter((f, i) => i < path.length - 1 || f.children.length > 0).map((f) => f.id);
    if (opening.length > 0) setExpanded((open) => new Set([...open, ...opening]));
  }

  const publishHover = useCallback(
    (next: Selection | null) => {
      if (!sameSelection(appStore.getState().hover, next)) setHover(next);
    },
    [setHover],
  );

  if (!region || !view) return null;

  const focusField = (field: PbufField) => {
    const made = selectionForField(view, field);
    setFocus({ fieldId: field.id, made });
    select(made);
  };
  const hoverOn = (field: PbufField | null) => {
    setHoverField(field?.id ?? null);
    const packet = field ? packetAt(view, field.packet) : null;
    const id = packet ? msgIdOf(view, packet) : null;
    publishHover(id === null ? null : { kind: 'message', msgId: id });
  };
  const packetField = (headerIdx: number) => fieldPathById(view.tree.fields, `pk@${headerIdx}`).at(-1) ?? null;

  const hoveredMessage = selectedMessage(hover, session.table);
  const hoveredPacket = hoveredMessage === null ? null : packetOfMessage(view, hoveredMessage);
  const hoverRanges =
    (hoverField === null ? null : fieldPathById(view.tree.fields, hoverField).at(-1)?.ranges) ??
    (hoveredPacket ? packetRanges(view, hoveredPacket.headerIdx) : []);
  const focusPacket = packetAt(view, focused?.packet ?? null);
  const problems = view.tree.inspection.problems;

  return (
    <section className="panel ring-inspector" aria-label="Ring inspector">
      <header className="panel-head ri-head">
        <h2>Ring inspector</h2>
        <div className="ri-regions" role="group" aria-label="Region">
          {session.regions.map((r) => (
            <button
              key={r.name}
              type="button"
              aria-pressed={r.name === region.name}
              className={r.name === region.name ? 'on' : ''}
              onClick={() => setChosen(r.name)}
            >
              {regionTitle(r)}
            </button>
          ))}
        </div>
      </header>
      <p className="ri-layout">
        {`${hex32(region.address)} · ${region.size} B · `}
        rd_idx +{view.cfg.rdIdxLoc}
        {view.cfg.handshakeLoc !== null && ` · handshake +${view.cfg.handshakeLoc}`} · wr_idx +{view.cfg.wrIdxLoc} ·
        data[{view.cfg.len}] +{view.cfg.dataLoc}
        {region.doorbell !== null && ` · doorbell ${region.doorbell}`}
      </p>
      {problems.length > 0 && (
        <div className="ri-problems" role="alert">
          <strong>This ring's memory is inconsistent.</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={p.kind + String(i)}>
                {p.message}{' '}
                <button
                  type="button"
                  className="ri-link"
                  onClick={() => {
                    const f = fieldPathById(view.tree.fields, `problem/${i}`).at(-1);
                    if (f) focusField(f);
                  }}
                >
                  show bytes
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {region.backend === 'icbmsg' && <BlockMap session={session} region={region} />}
      <InspectorStrip
        view={view}
        selected={focusPacket?.seq ?? null}
        hovered={hoveredPacket?.seq ?? null}
        onHover={(seq) => {
          const p = seq === null ? null : view.tree.inspection.packets[seq];
          hoverOn(p ? packetField(p.headerIdx) : null);
        }}
        onSelect={(seq) => {
          const p = view.tree.inspection.packets[seq];
          const f = p ? packetField(p.headerIdx) : null;
          if (f) focusField(f);
        }}
      />
      <PacketBar
        session={session}
        view={view}
        message={message}
        focusedHeader={focusPacket?.headerIdx ?? null}
        seekEvent={seekEvent}
      />
      <div className="ri-body">
        <FieldTree
          regionName={region.name}
          fields={view.tree.fields}
          expanded={expanded}
          onToggle={(id) =>
            setExpanded((open) => {
              const next = new Set(open);
              if (!next.delete(id)) next.add(id);
              return next;
            })
          }
          focusedId={focused?.id ?? null}
          hoveredId={hoverField}
          onFocusField={focusField}
          onHoverField={hoverOn}
          packetLabel={(f) => {
            const p = packetAt(view, f.packet);
            if (!p) return null;
            const id = msgIdOf(view, p);
            return { name: packetName(view, p), msgId: id };
          }}
        />
        <RegionHex
          view={view}
          packetRanges={packetRanges(view, focusPacket?.headerIdx ?? null)}
          fieldRanges={focused?.ranges ?? []}
          hoverRanges={hoverRanges}
          hoverByte={hoverByte}
          scrollTo={focused?.ranges[0]?.offset ?? null}
          onHoverByte={(offset) => {
            setHoverByte(offset);
            hoverOn(offset === null ? null : (fieldPathAt(view.tree.fields, offset).at(-1) ?? null));
          }}
          onClickByte={(offset) => {
            const f = fieldPathAt(view.tree.fields, offset).at(-1);
            if (f) focusField(f);
          }}
        />
      </div>
      <OccupancyTrack
        region={region}
        capacity={Math.max(0, view.cfg.len - 4)}
        session={session}
        frame={frame}
        viewport={viewport}
        onSeek={seekEvent}
      />
    </section>
  );
}

/** The focused packet's story (Tracealyzer's "Goto sending / receiving event"), or why none is shown. */
function PacketBar({
  session,
  view,
  message,
  focusedHeader,
  seekEvent,
}: {
  readonly session: DebugSession;
  readonly view: RegionView;
  readonly message: number | null;
  readonly focusedHeader: number | null;
  readonly seekEvent: (index: number) => void;
}) {
  const packet = packetAt(view, focusedHeader);
  if (!packet) {
    if (message === null) return null;
    return (
      <p className="ri-packetbar muted" role="status">
        Message #{message} is not in {view.region.name} at the cursor.
      </p>
    );
  }
  const origin = view.origins.get(packet.headerIdx);
  const id = origin?.msgId ?? null;
  const written = origin && origin.writtenAt >= 0 ? session.table.event(origin.writtenAt) : undefined;
  const readAt =
    !origin || origin.writtenAt < 0
      ? -1
      : readOf(packetHistoryOf(session.table).region(view.region.name), origin.writtenAt, packet.headerIdx);
  return (
    <div className="ri-packetbar" role="status">
      <span className="ri-swatch" style={{ background: packetColour(view, packet) }} />
      <strong>{id === null ? `packet ${packet.seq}` : `message #${id}`}</strong>
      <span>
        {packet.len} B at data[{packet.headerIdx}]{packet.wraps ? ', wraps' : ''}
        {written ? ` · written ${formatNs(written.t)} by ${written.domain}` : ' · not in the trace'}
      </span>
      <button
        type="button"
        disabled={!origin || origin.writtenAt < 0}
        onClick={() => origin && seekEvent(origin.writtenAt)}
      >
        Go to write
      </button>
      <button type="button" disabled={readAt < 0} onClick={() => seekEvent(readAt)}>
        Go to read
      </button>
    </div>
  );
}
