/**
 * An ICBMsg instance's endpoints (`ept[]`, `ept_map[]`, `waiting_bound[]` of `ipc_icbmsg.c`):
 * each endpoint's binding state, moved only through its XState machine, the address → endpoint
 * map, and the names the peer announced that no endpoint has claimed yet.
 */
import type { EndpointConfig } from '../../ipc/types';
import type { Kernel } from '../../sim/Simulation';
import { type EptReboundState, type EptState, eptTransition, type IcbmsgEptEvent } from './icbmsgEptMachine';

/** `ept_map` entry of an address no endpoint has. */
export const EPT_ADDR_INVALID = 0xff;
/** `waiting_bound` entry of an address with no announced name. */
export const WAITING_BOUND_MSG_EMPTY = 0xffff;

/** One entry of `ept[]` (`struct ept_data`). */
export interface EptData {
  cfg: EndpointConfig | null;
  state: EptState;
  rebound: EptReboundState;
  addr: number;
}

interface TableState {
  ept: EptData[];
  /** Endpoint address → index in `ept`. */
  eptMap: number[];
  /** Endpoint address → RX block holding the name the peer announced (MSG_BOUND). */
  waitingBound: number[];
  /** Endpoints registered so far (the low bits of Zephyr's `flags`). */
  eptCount: number;
}

export class EndpointTable {
  readonly numEpt: number;
  private readonly kernel: Kernel;
  private readonly instance: string;
  private s: TableState;

  constructor(numEpt: number, kernel: Kernel, instance: string) {
    this.numEpt = numEpt;
    this.kernel = kernel;
    this.instance = instance;
    this.s = {
      ept: Array.from({ length: numEpt }, () => ({
        cfg: null,
        state: 'EPT_UNCONFIGURED' as const,
        rebound: 'EPT_NORMAL' as const,
        addr: 0,
      })),
      eptMap: new Array<number>(numEpt).fill(EPT_ADDR_INVALID),
      waitingBound: new Array<number>(numEpt).fill(WAITING_BOUND_MSG_EMPTY),
      eptCount: 0,
    };
  }

  get all(): readonly EptData[] {
    return this.s.ept;
  }

  /** The endpoint a token names (the token is its index). */
  eptOf(token: unknown): EptData | null {
    return typeof token === 'number' ? (this.s.ept[token] ?? null) : null;
  }

  indexOfConfig(cfg: EndpointConfig): number {
    return this.s.ept.findIndex((e) => e.cfg === cfg);
  }

  /** `atomic_inc(&flags)`: the next endpoint index (counted even past NUM_EP, as Zephyr does). */
  reserve(): number {
    const index = this.s.eptCount;
    this.s.eptCount += 1;
    return index;
  }

  /** Gives endpoint `index` the address `addr`. */
  assign(index: number, addr: number): void {
    const ept = this.s.ept[index];
    if (!ept) return;
    ept.addr = addr;
    this.s.eptMap[addr] = index;
  }

  /** The CONFIGURED endpoint registered under `name`, by index, or -1. */
  configuredNamed(name: string): number {
    return this.s.ept.findIndex((e) => e.state === 'EPT_CONFIGURED' && e.cfg?.name === name);
  }

  waiting(addr: number): number {
    return this.s.waitingBound[addr] ?? WAITING_BOUND_MSG_EMPTY;
  }

  setWaiting(addr: number, block: number): void {
    this.s.waitingBound[addr] = block;
  }

  /**
   * Moves an endpoint's binding machine (the CAS Zephyr does on its atomics): false when the event
   * does not apply in its state. Each move is traced; `bound()` is called when the machine says.
   */
  move(ept: EptData, event: IcbmsgEptEvent): boolean {
    const next = eptTransition(ept, event);
    if (!next) return false;
    const bounding = ept.state !== next.to.state;
    const from = bounding ? ept.state : ept.rebound;
    const to = bounding ? next.to.state : next.to.rebound;
    ept.state = next.to.state;
    ept.rebound = next.to.rebound;
    this.kernel.emit({
      kind: 'transition',
      machine: 'icbmsg-ept',
      instance: `${this.instance}/${ept.cfg?.name ?? '?'}`,
      from,
      to,
      event: event.type,
    });
    if (next.bound) {
      this.kernel.emit({
        kind: 'callback',
        instance: this.instance,
        endpoint: ept.cfg?.name ?? '?',
        callback: 'bound',
      });
      ept.cfg?.cb.bound?.();
    }
    return true;
  }

  /** `get_ept_and_rx_validate`: READY and not deregistered, or BOUNDING (then it binds now). */
  validateRx(eptAddr: number): EptData | null {
    const index = this.s.eptMap[eptAddr] ?? EPT_ADDR_INVALID;
    if (eptAddr >= this.numEpt || index >= this.numEpt) return null;
    const ept = this.s.ept[index];
    if (!ept) return null;
    if (ept.state === 'EPT_READY') return ept.rebound === 'EPT_NORMAL' ? ept : null;
    if (ept.state === 'EPT_BOUNDING') {
      this.move(ept, { type: 'PEER_TRAFFIC' });
      return ept;
    }
    return null;
  }

  snapshot(): TableState {
    return copy(this.s);
  }

  restore(saved: TableState): void {
    this.s = copy(saved);
  }
}

const copy = (s: TableState): TableState => ({
  ept: s.ept.map((e) => ({ ...e })),
  eptMap: [...s.eptMap],
  waitingBound: [...s.waitingBound],
  eptCount: s.eptCount,
});
