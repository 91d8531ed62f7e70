/**
 * The inspector for a libipc port or task selected in the topology: a port's queue at the time
 * cursor (fill, counts, who waits) and its tags as libipc numbers them; a task's domain,
 * priority and what its behaviour does, and what it waits for now.
 */
import { Fragment, type ReactNode } from 'react';
import type { DerivedState } from '../../debug/derive';
import type { DebugSession } from '../../debug/DebugSession';
import { portsPlanOf } from '../Ports/plan';
import { stateText } from '../Channels/ChannelTasksPanel';

const timeout = (t: number | 'forever'): string => (t === 'forever' ? 'IPC_TIMEOUT_MAX' : `${t} ms`);

/** What each inspector here reads: the session, the state at the cursor, the name selected. */
interface InspectorProps {
  readonly session: DebugSession;
  readonly derived: DerivedState | null;
  readonly name: string;
}

export function PortInspector({ session, derived, name }: InspectorProps): ReactNode {
  const plan = portsPlanOf(session.scenario);
  const port = plan?.ok ? plan.value.ports.find((p) => p.name === name) : undefined;
  const now = derived?.ports.get(name);
  if (!port) return <p className="insp-title">No libipc port {name} in this scenario.</p>;
  return (
    <>
      <p className="insp-title">
        {name} · ipc_port_t {port.index} · {now?.items.length ?? 0}/{port.depth} queued
      </p>
      <dl className="insp-fields">
        <dt>definition</dt>
        <dd>{port.definition.file}</dd>
        <dt>sent / received</dt>
        <dd>
          {now?.sent ?? 0} / {now?.received ?? 0}
        </dd>
        <dt>failures</dt>
        <dd>{now?.failures ?? 0}</dd>
        <dt>waiting</dt>
        <dd>{[...(now?.waiting ?? [])].map(([task, what]) => `${task} (${what})`).join(', ') || 'nobody'}</dd>
      </dl>
      <p className="insp-note">Tags (per port: structs, then protos, then _END)</p>
      <dl className="insp-fields">
        {port.tags.map((t) => (
          <Fragment key={t.name}>
            <dt>{t.value}</dt>
            <dd>{t.name}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}

export function TaskInspector({ session, derived, name }: InspectorProps): ReactNode {
  const task = session.scenario.libipc?.tasks.find((t) => t.name === name);
  if (!task) return <ChannelTaskInspector session={session} derived={derived} name={name} />;
  const b = task.behaviour;
  const does =
    b.kind === 'sender'
      ? `sends ${b.message} to ${b.port} every ${b.periodUs} µs${b.count === undefined ? '' : `, ${b.count}×`}, ${b.takeOwnership ? 'by copy (ipc_send_cp)' : 'by reference'}, timeout ${timeout(b.timeoutMs)}; on failure: ${b.onFailure}`
      : b.kind === 'receiver'
        ? `receives from ${b.port} with timeout ${timeout(b.timeoutMs)}, handles each message for ${b.handleUs} µs, releases ${b.release}`
        : `routes ${b.proto} every ${b.periodUs} µs and waits ${b.responseTimeoutMs} ms for the response with its seq`;
  const waits = [...(derived?.ports ?? [])].flatMap(([port, p]) => {
    const what = p.waiting.get(name);
    return what ? [`${what} on ${port}`] : [];
  });
  return (
    <>
      <p className="insp-title">
        {name} · {task.domain} · priority {task.priority}
      </p>
      <p className="insp-note">{does}</p>
      <dl className="insp-fields">
        <dt>now</dt>
        <dd>{waits.length > 0 ? `waits: ${waits.join(', ')}` : 'not waiting on a port'}</dd>
      </dl>
    </>
  );
}

/** A synchronous-channel task: what its behaviour does and its state now. */
function ChannelTaskInspector({ session, derived, name }: InspectorProps): ReactNode {
  const task = session.scenario.channels?.tasks.find((t) => t.name === name);
  if (!task) return <p className="insp-title">No task {name} in this scenario.</p>;
  const b = task.behaviour;
  const does =
    b.kind === 'server'
      ? `serves channel ${b.channel}: receives, works ${b.handleUs} µs${b.callWhileHandling ? `, calls ${b.callWhileHandling.channel}` : ''}, replies${b.crashAfter === undefined ? '' : `; faults after ${b.crashAfter} messages`}`
      : b.kind === 'client'
        ? `${b.call ? 'calls' : 'sends one-way on'} ${b.channel} with ${b.size} B (${b.size <= 8 ? 'one register' : 'through shared memory'})${b.timeoutUs === undefined ? '' : `, timeout ${b.timeoutUs} µs`}`
        : b.kind === 'receiver'
          ? `receives on ${b.channel}`
          : b.kind === 'hog'
            ? `runs on the CPU for ${b.durationUs} µs without blocking`
            : b.kind === 'waiter'
              ? `waits for notification bits 0x${b.mask.toString(16)} only`
              : `posts bits 0x${b.bits.toString(16)} to ${b.target} every ${b.periodUs} µs`;
  const row = derived?.channelTasks.get(name);
  return (
    <>
      <p className="insp-title">
        {name} · {task.domain} · priority {task.priority}
        {row?.inherited !== null && row?.inherited !== undefined ? ` (inherited ${row.inherited})` : ''} · generation{' '}
        {row?.generation ?? 0}
      </p>
      <p className="insp-note">{does}</p>
      <dl className="insp-fields">
        <dt>now</dt>
        <dd>
          {stateText(row, derived ? { ...derived, anckor: session.scenario.channels?.mode === 'anckor' } : undefined)}
        </dd>
      </dl>
    </>
  );
}
