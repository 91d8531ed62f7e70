/**
 * The synchronous-channel tasks and channels inside the topology's SVG (placed by
 * channelLayout.ts, modelled by channelTopology.ts): each task a node with its name (and
 * generation, Humility's `name/genN`), priority (`pri 1→3` while it inherits one), role and state
 * at the time cursor, tinted with the state's colour (channelStateColour); each channel a
 * hexagon with its server. Edges: client → channel → receiving task, notifier → task.
 *
 * At the cursor the waits show on the edges: a SEND-BLOCKED task's edge to its channel amber, a
 * RECEIVE-BLOCKED task's edge from its channel blue, a REPLY-BLOCKED client's wait as a dashed
 * purple edge back from its server, a NOTIFICATION-WAIT task's incoming posts teal; a wait-for
 * cycle (a deadlock) in the problem colour on its edges and tasks. Tasks are clickable and
 * keyboard-activatable, and join the shared selection as `{ kind: 'task' }`.
 */
import { onActivate } from './activate';
import type { Selection } from '../../store/selectionSlice';
import { channelStateColour, PROBLEM_COLOUR, SELECTION_COLOUR } from '../../theme/colours';
import { LABEL_CHAR, placeLabels } from './channelLabels';
import { type ChannelSection, CH_SECTION_HEAD, type RouteRequest, routeChannelEdges } from './channelLayout';
import {
  type ChanChannel,
  type ChannelTopology,
  type ChanTask,
  type EdgeStatus,
  type LiveChannels,
  type LiveTask,
  nodeName,
  stateKey,
  taskId,
} from './channelTopology';
import { fitText } from './PortsLayer';

/** Edge colours by what waits on them; `idle` nothing does. */
type Tone = EdgeStatus | 'reply' | 'idle';

const TONES: Record<Tone, string> = {
  idle: '#6b7d93',
  'send-blocked': channelStateColour('SEND_BLOCKED'),
  'receive-blocked': channelStateColour('RECEIVE_BLOCKED'),
  'notification-wait': channelStateColour('NOTIFICATION_WAIT'),
  reply: channelStateColour('REPLY_BLOCKED'),
  deadlock: PROBLEM_COLOUR,
};

const arrowOf = (tone: Tone) => `url(#topo-ch-arrow-${tone})`;

/** 10 px monospace, as fitText measures. */
const CHAR = 6.1;
const fits9 = (text: string, width: number) => text.length * LABEL_CHAR <= width;

/**
 * One line of text in `room` units, `char` a character: as it is when it fits, narrowed by up to
 * a fifth (SVG `textLength`) when a little too long, else cut with an ellipsis.
 */
function Fit({
  x,
  y,
  room,
  char = LABEL_CHAR,
  text,
  className,
  anchor,
  fill,
}: {
  x: number;
  y: number;
  room: number;
  char?: number;
  text: string;
  className: string;
  anchor?: 'start' | 'middle' | 'end';
  fill?: string | undefined;
}) {
  const natural = text.length * char;
  const narrow = natural > room && natural <= room * 1.2;
  return (
    <text
      x={x}
      y={y}
      className={className}
      textAnchor={anchor}
      fill={fill}
      {...(narrow ? { textLength: room, lengthAdjust: 'spacingAndGlyphs' } : {})}
    >
      {narrow ? text : fitText(text, (room * 6.1) / char)}
    </text>
  );
}

const ROLE: Record<ChanTask['role'], string> = {
  server: 'server',
  client: 'client',
  receiver: 'receiver',
  waiter: 'waiter',
  hog: 'hog',
  notifier: 'notifier',
};

/** The state as the canonical table writes it, with its partner (§3.4). */
export function waitText(live: LiveTask | undefined): string {
  if (!live) return 'READY';
  const peer = live.peer ?? '';
  switch (live.state) {
    case 'SEND_BLOCKED':
      return `SEND-BLOCKED → ${peer}`;
    case 'REPLY_BLOCKED':
      return `REPLY-BLOCKED ← ${peer}`;
    case 'RECEIVE_BLOCKED':
      return peer.includes(' from ') ? `RECEIVE-BLOCKED (closed) on ${peer}` : `RECEIVE-BLOCKED on ${peer}`;
    default:
      return live.label;
  }
}

/** A channel drawn as a hexagon: a pipe between tasks, not a task. */
function hexagon(x: number, y: number, w: number, h: number): string {
  const k = 8;
  return `M${x + k},${y} L${x + w - k},${y} L${x + w},${y + h / 2} L${x + w - k},${y + h} L${x + k},${y + h} L${x},${y + h / 2} Z`;
}

/** What a channel's third line says at the cursor: who waits on it. */
function channelNow(ch: ChanChannel, topology: ChannelTopology, live: LiveChannels | null) {
  if (!live) return { text: '', tone: 'idle' as Tone };
  const on = (state: string) =>
    topology.tasks.filter((t) => {
      const l = live.tasks.get(t.name);
      return l?.state === state && (l.peer ?? '').split(' from ')[0] === ch.name;
    });
  const senders = on('SEND_BLOCKED');
  if (senders.length > 0) return { text: `${senders.length} send-blocked`, tone: 'send-blocked' as Tone };
  const receivers = on('RECEIVE_BLOCKED');
  if (receivers.length > 0)
    return { text: `${receivers.map((t) => t.name).join(', ')} receiving`, tone: 'receive-blocked' as Tone };
  return { text: '', tone: 'idle' as Tone };
}

export interface ChannelsLayerProps {
  readonly topology: ChannelTopology;
  readonly sections: readonly ChannelSection[];
  /** The state at the cursor; null before a run. */
  readonly live: LiveChannels | null;
  readonly selection: Selection | null;
  readonly select: (selection: Selection) => void;
}

export function ChannelsLayer({ topology, sections, live, selection, select }: ChannelsLayerProps) {
  const tasks = new Map(topology.tasks.map((t) => [t.name, t]));
  const channels = new Map(topology.channels.map((c) => [c.name, c]));
  const isSelected = (name: string) => selection !== null && selection.kind === 'task' && selection.name === name;
  const deadlocked = (live?.cycles.length ?? 0) > 0;

  return (
    <g className="topo-channels">
      <defs>
        {(Object.keys(TONES) as Tone[]).map((tone) => (
          <marker
            key={tone}
            id={`topo-ch-arrow-${tone}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={TONES[tone]} />
          </marker>
        ))}
      </defs>
      {sections.map((section) => {
        const ids = new Set(section.nodes.map((n) => n.id));
        const statics = topology.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
        const replies = (live?.replies ?? []).filter((r) => ids.has(taskId(r.server)) && ids.has(taskId(r.client)));
        const requests: RouteRequest[] = [
          ...statics,
          ...replies.map((r) => ({ id: r.id, from: taskId(r.server), to: taskId(r.client) })),
        ];
        const routed = routeChannelEdges(section, requests);
        const toneOf = new Map<string, Tone>([
          ...statics.map((e): [string, Tone] => [e.id, live?.edges.get(e.id) ?? 'idle']),
          ...replies.map((r): [string, Tone] => [r.id, r.deadlock ? 'deadlock' : 'reply']),
        ]);
        const texts = new Map<string, string>();
        for (const e of statics) {
          const tone = toneOf.get(e.id) ?? 'idle';
          // A receive-blocked edge goes unlabelled (its task says RECEIVE-BLOCKED, its channel who
          // receives), and a cycle's edges (they cross each other; the section's head names it).
          if (e.kind === 'post') texts.set(e.id, `post ${e.detail ?? ''}`);
          else if (tone === 'send-blocked') texts.set(e.id, tone);
        }
        for (const r of replies) texts.set(r.id, 'awaits reply');
        const labels = placeLabels(section, routed, texts);
        const first = section.nodes[0];
        const top = (first?.y ?? 0) - CH_SECTION_HEAD;
        return (
          <g key={`channels:${section.left},${top}`} className="topo-ch-section">
            <text x={section.left} y={top + 11} className="topo-dim">
              channels · {topology.mode === 'anckor' ? 'Anckor' : 'Hubris'}
            </text>
            {deadlocked && section.nodes.some((n) => n.kind === 'task' && live?.tasks.get(n.name)?.inCycle) && (
              <text
                x={section.left + section.width}
                y={top + 11}
                textAnchor="end"
                className="topo-ch-deadlock"
                fill={PROBLEM_COLOUR}
              >
                ⟳ deadlock
              </text>
            )}
            {routed.map((r) => {
              const tone = toneOf.get(r.id) ?? 'idle';
              const edge = statics.find((e) => e.id === r.id);
              const reply = replies.find((x) => x.id === r.id);
              const label = labels.get(r.id);
              const text = texts.get(r.id);
              const name = edge
                ? `${nodeName(edge.from)} → ${nodeName(edge.to)}`
                : reply
                  ? `${reply.server} ⇢ ${reply.client}`
                  : r.id;
              return (
                <g
                  key={r.id}
                  className={`topo-ch-edge ${edge?.kind ?? 'reply'} ${tone}`}
                  data-edge={name}
                  data-kind={edge?.kind ?? 'reply'}
                  data-status={tone}
                >
                  <title>{`${name}: ${edge?.kind ?? 'waits for the reply'}${tone === 'idle' ? '' : ` · ${tone}`}`}</title>
                  <path
                    d={r.d}
                    stroke={TONES[tone]}
                    strokeWidth={tone === 'idle' ? 1.2 : tone === 'deadlock' ? 2.2 : 1.8}
                    strokeDasharray={reply || edge?.kind === 'post' ? '4 3' : undefined}
                    fill="none"
                    markerEnd={arrowOf(tone)}
                  />
                  {label && text !== undefined && (
                    <text
                      x={label.x}
                      y={label.y}
                      textAnchor={label.anchor}
                      className="topo-ch-label"
                      fill={TONES[tone]}
                    >
                      {text}
                    </text>
                  )}
                </g>
              );
            })}
            {section.nodes.map((node) => {
              if (node.kind === 'channel') {
                const ch = channels.get(node.name);
                if (!ch) return null;
                const serves = ch.creator !== null && ch.receivers.includes(ch.creator);
                const who = serves
                  ? `served by ${ch.creator ?? ''}`
                  : ch.creator !== null
                    ? `created by ${ch.creator}`
                    : 'created by nobody';
                const now = channelNow(ch, topology, live);
                const inCycle = routed.some(
                  (r) => toneOf.get(r.id) === 'deadlock' && statics.some((e) => e.id === r.id && e.channel === ch.name),
                );
                const cx = node.x + node.w / 2;
                return (
                  <g
                    key={node.id}
                    className={`topo-ch-channel${inCycle ? ' deadlock' : ''}`}
                    role="img"
                    aria-label={`Channel ${ch.name}: ${who}${ch.receivers.length > 0 && !serves ? `, received by ${ch.receivers.join(', ')}` : ''}${now.text ? `, ${now.text}` : ''}${inCycle ? ', in a deadlock' : ''}`}
                    data-channel={ch.name}
                  >
                    <title>{`channel ${ch.name} · ${who}${ch.receivers.length > 0 ? ` · received by ${ch.receivers.join(', ')}` : ''}`}</title>
                    <path
                      d={hexagon(node.x, node.y, node.w, node.h)}
                      className="topo-ch-hex"
                      stroke={inCycle ? PROBLEM_COLOUR : undefined}
                    />
                    <Fit
                      x={cx}
                      y={node.y + 13}
                      room={node.w - 18}
                      char={CHAR}
                      text={ch.name}
                      className="topo-ch-name"
                      anchor="middle"
                    />
                    <Fit x={cx} y={node.y + 24} room={node.w - 14} text={who} className="topo-ch-sub" anchor="middle" />
                    {now.text && (
                      <Fit
                        x={cx}
                        y={node.y + 35}
                        room={node.w - 14}
                        text={now.text}
                        className="topo-ch-sub"
                        anchor="middle"
                        fill={TONES[now.tone]}
                      />
                    )}
                  </g>
                );
              }
              const t = tasks.get(node.name);
              if (!t) return null;
              const l = live?.tasks.get(t.name);
              const state = l?.state ?? 'READY';
              const colour = channelStateColour(stateKey(state));
              const selected = isSelected(t.name);
              const gen = l && l.generation > 0 ? `/gen${l.generation}` : '';
              const priority = l?.priority ?? `pri ${t.priority}`;
              const wait = waitText(l);
              const room = node.w - 12;
              const lost = l?.lostTo ? `, lost: ${l.lostTo} took its slot, never woken` : '';
              return (
                <g
                  key={node.id}
                  className={`topo-ch-task state-${stateKey(state).toLowerCase()}${l?.inCycle || lost ? ' deadlock' : ''}${selected ? ' selected' : ''}`}
                  role="button"
                  tabIndex={0}
                  aria-label={`Task ${t.name}${gen ? ` generation ${l?.generation ?? 0}` : ''}, ${priority.replace('pri', 'priority')}, ${ROLE[t.role]}: ${wait}${l?.inCycle ? ', in a deadlock' : ''}${lost}`}
                  data-task={t.name}
                  data-state={state}
                  data-deadlock={l?.inCycle ? 'true' : undefined}
                  onClick={() => select({ kind: 'task', name: t.name })}
                  onKeyDown={onActivate(() => select({ kind: 'task', name: t.name }))}
                >
                  <title>{`${t.name}${gen} · ${priority} · ${ROLE[t.role]} · ${wait}${l?.inCycle ? ' · deadlock' : ''}${lost}`}</title>
                  <rect
                    x={node.x}
                    y={node.y}
                    width={node.w}
                    height={node.h}
                    rx={6}
                    className="topo-ch-box"
                    fill={colour}
                    fillOpacity={state === 'READY' ? 0.08 : 0.16}
                    stroke={selected ? SELECTION_COLOUR : l?.inCycle ? PROBLEM_COLOUR : colour}
                    strokeWidth={selected || l?.inCycle ? 2 : 1.2}
                  />
                  <text x={node.x + 6} y={node.y + 13} className="topo-ch-name">
                    {fitText(t.name, room - gen.length * CHAR)}
                    {gen && <tspan className="topo-ch-gen">{gen}</tspan>}
                  </text>
                  <text
                    x={node.x + 6}
                    y={node.y + 24}
                    className={`topo-ch-sub${l?.inherited ? ' topo-ch-inherited' : ''}`}
                  >
                    {priority}
                  </text>
                  <Fit
                    x={node.x + node.w - 6}
                    y={node.y + 24}
                    room={room - (priority.length + 1) * LABEL_CHAR}
                    text={ROLE[t.role]}
                    className="topo-ch-sub"
                    anchor="end"
                  />
                  <Fit
                    x={node.x + 6}
                    y={node.y + 35}
                    room={room}
                    // With its partner when that fits, else the state alone.
                    text={fits9(wait, room) ? wait : (l?.label ?? 'READY')}
                    className="topo-ch-state"
                    // STOPPED's colour is a dark grey meant for bars: its text stays readable.
                    fill={stateKey(state) === 'STOPPED' ? undefined : colour}
                  />
                </g>
              );
            })}
          </g>
        );
      })}
    </g>
  );
}
