/**
 * The kernel services code running on a domain gets from the simulation: Zephyr's mailbox API
 * (`mbox_send_dt`, callback registration), `__ASSERT`, the trace, message ids and the clock. The
 * domain itself provides the work queue and tasks.
 */
import type { Result } from '../errno';
import type { TraceBody } from '../trace/events';
import type { MessageIds } from '../trace/Tracer';
import type { Domain } from './Domain';
import type { Simulation } from './Simulation';

/** Thrown by an assertion in `halt` mode to stop the domain's current item; never escapes the simulation. */
export class DomainHalted extends Error {
  constructor(readonly domain: string) {
    super(`domain ${domain} halted`);
  }
}

export interface Kernel {
  readonly domain: Domain;
  readonly ids: MessageIds;
  /**
   * Whether per-message events (API calls, packets, doorbells, work items, received callbacks)
   * are recorded. False only when a worker keeps counters alone: then those events are not even
   * built, which keeps the data path at the speed of memory.
   */
  readonly traceMessages: boolean;
  now(): number;
  emit(body: TraceBody): void;
  /** `mbox_send_dt()`: rings the channel's doorbell. */
  mboxSend(channel: string): Result;
  /** `mbox_register_callback_dt()` + `mbox_set_enabled_dt()` for a channel this domain receives. */
  mboxInit(channel: string, handler: () => void): Result;
  /** `mbox_set_enabled_dt(0)` + unregister. */
  mboxDeinit(channel: string): Result;
  /** `__ASSERT` failed: traced as an anomaly; halts the domain in `halt` mode. */
  assertFailed(where: string, message: string): void;
  /**
   * The code resets its own core (`sys_reboot`, Bitkey's `mcu_reset_with_reason`): once the
   * current item returns, the domain starts again from boot; shared memory keeps what it holds.
   */
  reset(reason: string): void;
}

export function createKernel(sim: Simulation, domain: Domain): Kernel {
  const name = domain.name;
  return {
    domain,
    ids: sim.ids,
    traceMessages: true,
    now: () => sim.now,
    emit: (body) => sim.trace.emit(name, sim.now, body),
    mboxSend: (channel) => sim.ringDoorbell(name, channel),
    mboxInit: (channel, handler) => {
      sim.mailbox.setHandler(channel, handler);
      sim.mailbox.setEnabled(channel, true);
      return 0;
    },
    mboxDeinit: (channel) => {
      sim.mailbox.setEnabled(channel, false);
      sim.mailbox.setHandler(channel, null);
      return 0;
    },
    reset: (reason) => sim.requestReset(name, reason),
    assertFailed: (where, message) => {
      const halted = sim.assertMode === 'halt';
      sim.trace.emit(name, sim.now, { kind: 'assert', where, message, halted });
      if (halted) {
        domain.halted = true;
        throw new DomainHalted(name);
      }
    },
  };
}
