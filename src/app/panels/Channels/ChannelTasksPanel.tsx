/**
 * Who waits on whom: the synchronous-channel tasks at the time cursor, one row each, as Hubris'
 * `humility tasks` lists them — index, name, generation, priority (and what it inherited), and
 * the state in the canonical vocabulary with its partner (reference §3.4):
 *
 *   ID TASK     GEN PRI   STATE
 *    0 server     0 1→3  RECEIVE-BLOCKED (open) on svc
 *    1 high       0 3    REPLY-BLOCKED ← server
 *
 * Shown for scenarios with a `channels` section. A row selects its task and goes to the event
 * that put it in its state.
 */
import { useDerived } from '../../debug/useDerived';
import { formatNs } from '../../format';
import { useAppStore } from '../../store/appStore';
import type { ChannelTaskRow } from '../../debug/derive';
import { channelStateColour } from '../../theme/colours';
import './channels.css';

/** What `stateText` reads besides the row: the other tasks and who serves each channel. */
export interface ChannelContext {
  readonly channelTasks: ReadonlyMap<string, ChannelTaskRow>;
  readonly channelServers: ReadonlyMap<string, string>;
  /** Anckor has no generations: tasks are named without `/genN`. */
  readonly anckor?: boolean;
}

/**
 * The state as the reference's canonical table writes it, with its partner and, as humility's
 * `wait: send to ping/gen0`, the task behind it and that task's generation.
 */
export function stateText(row: ChannelTaskRow | undefined, context?: ChannelContext): string {
  if (!row) return 'READY (not started)';
  const base = baseText(row, context);
  return row.lostTo === null ? base : `${base} — lost: ${row.lostTo} took its slot, never woken`;
}

function baseText(row: ChannelTaskRow, context?: ChannelContext): string {
  const peer = row.peer ?? '';
  const gen = (task: string) =>
    context?.anckor === true ? task : `${task}/gen${context?.channelTasks.get(task)?.generation ?? 0}`;
  switch (row.state) {
    case 'SEND_BLOCKED': {
      const server = context?.channelServers.get(peer);
      return server === undefined ? `SEND-BLOCKED → ${peer}` : `SEND-BLOCKED → ${peer} (${gen(server)})`;
    }
    case 'REPLY_BLOCKED':
      return context ? `REPLY-BLOCKED ← ${gen(peer)}` : `REPLY-BLOCKED ← ${peer}`;
    case 'RECEIVE_BLOCKED':
      return peer.includes(' from ') ? `RECEIVE-BLOCKED (closed) on ${peer}` : `RECEIVE-BLOCKED (open) on ${peer}`;
    case 'NOTIFICATION_WAIT':
      return peer === 'timer' ? 'NOTIFICATION-WAIT (timer: asleep)' : 'NOTIFICATION-WAIT';
    case 'RUNNING':
      return 'RUNNING';
    case 'FAULTED':
      // As humility prints it: `FAULT: killed by jefe/gen0 (was: recv)`.
      return row.detail === null ? 'FAULTED' : `FAULTED: ${row.detail}`;
    case 'STOPPED':
      return 'STOPPED';
    default:
      return 'READY';
  }
}

export function ChannelTasksPanel() {
  const session = useAppStore((s) => s.session);
  const select = useAppStore((s) => s.select);
  const seekEvent = useAppStore((s) => s.seekEvent);
  const selection = useAppStore((s) => s.selection);
  useAppStore((s) => s.frame?.revision);
  const derived = useDerived();
  const spec = session?.scenario.channels;
  if (!session || !spec) return null;
  const rows = derived?.channelTasks;
  return (
    <section className="panel channels-panel" aria-label="Channel tasks">
      <header className="panel-head">
        <h2>Tasks</h2>
        <span className="ch-mode">
          {spec.mode === 'anckor' ? 'Anckor (faithful)' : 'Hubris/QNX semantics'}
          {spec.priorityInheritance ? ' · priority inheritance' : ''}
        </span>
      </header>
      <table className="ch-table">
        <thead>
          <tr>
            <th>ID</th>
            <th>TASK</th>
            <th>GEN</th>
            <th>PRI</th>
            <th>STATE</th>
            <th>SINCE</th>
          </tr>
        </thead>
        <tbody>
          {spec.tasks.map((t, id) => {
            const row = rows?.get(t.name);
            const blocked = row !== undefined && row.state.endsWith('BLOCKED');
            const selected = selection?.kind === 'task' && selection.name === t.name;
            const since = row ? session.table.event(row.since) : undefined;
            return (
              <tr
                key={t.name}
                className={`${blocked ? 'blocked' : ''} ${row?.state === 'FAULTED' || (row !== undefined && row.lostTo !== null) ? 'faulted' : ''} ${selected ? 'on' : ''}`}
                onClick={() => {
                  select({ kind: 'task', name: t.name });
                  if (row) seekEvent(row.since);
                }}
              >
                <td>{id}</td>
                <td>{t.name}</td>
                <td>{row?.generation ?? 0}</td>
                <td>
                  {t.priority}
                  {row?.inherited !== null && row?.inherited !== undefined ? `→${row.inherited}` : ''}
                </td>
                <td>
                  <span className="ch-dot" style={{ background: channelStateColour(row?.state ?? 'READY') }} />
                  {stateText(row, derived ? { ...derived, anckor: spec.mode === 'anckor' } : undefined)}
                </td>
                <td>{since ? formatNs(since.t) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="ch-note">
        A larger priority number runs first. Deadlocks and lost wake-ups are listed under Anomalies.
      </p>
    </section>
  );
}
