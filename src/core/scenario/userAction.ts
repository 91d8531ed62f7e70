/**
 * What a user can do to a running inline world by hand, as data so a run with actions replays
 * (the timeline records each at the decision it was taken) and, later, a scenario can carry them.
 *
 * An action takes effect the way firmware would see it: a send by hand is a command queued to the
 * endpoint's application task, which calls `ipc_service_send()` when the scheduler next runs it.
 */
import { toHex } from '../hex';
import type { z } from 'zod';
import { faultSchema } from '../faults/schema';
import type { World } from './build';
import type { userActionSchema } from './schema';

/**
 * `send`: `ipc_service_send()` of `data` from an endpoint (`domain/instance/name`);
 * `deregister` / `register`: `ipc_service_deregister_endpoint()` / `register_endpoint()` again;
 * `fault`: adds (or replaces, by id) a fault, armed from this decision on; `arm`: arms or disarms
 * a fault by id. The shape is the scenario schema's (`userActionSchema`), so a scenario carries
 * the actions of a run.
 */
export type UserAction = z.input<typeof userActionSchema>;

/** Applies a user action to the world and traces it (a note on the endpoint's domain). */
export function applyUserAction(world: World, action: UserAction): void {
  if (action.kind === 'fault' || action.kind === 'arm') {
    applyFaultAction(world, action);
    return;
  }
  const runner = world.endpoints.get(action.endpoint);
  const domain = action.endpoint.split('/')[0] ?? '?';
  const emit = (text: string) => world.sim.trace.emit(domain, world.sim.now, { kind: 'note', text });
  if (!runner) {
    emit(`user: ${action.kind} on ${action.endpoint}: no such endpoint`);
    return;
  }
  switch (action.kind) {
    case 'send': {
      const data = Uint8Array.from(action.data, (b) => b & 0xff);
      emit(`user: send ${data.length} bytes from ${action.endpoint}: ${toHex(data.subarray(0, 32))}`);
      runner.command({ kind: 'send', data });
      break;
    }
    case 'deregister':
    case 'register':
      emit(`user: ${action.kind} ${action.endpoint}`);
      runner.command({ kind: action.kind });
      break;
  }
}

function applyFaultAction(
  world: World,
  action: Extract<UserAction, { readonly kind: 'fault' } | { readonly kind: 'arm' }>,
): void {
  const domain = world.scenario.domains[0]?.name ?? '?';
  const emit = (text: string) => world.sim.trace.emit(domain, world.sim.now, { kind: 'note', text });
  if (action.kind === 'arm') {
    const found = world.faults.arm(action.id, action.armed);
    emit(found ? `user: ${action.armed ? 'armed' : 'disarmed'} fault ${action.id}` : `user: no fault ${action.id}`);
    return;
  }
  const parsed = faultSchema.safeParse(action.fault);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    emit(`user: fault refused: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    return;
  }
  world.faults.add(parsed.data);
  emit(`user: fault ${parsed.data.id} (${parsed.data.kind}) added`);
}
