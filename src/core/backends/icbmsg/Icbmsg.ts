/**
 * The legacy ICBMsg backend (Zephyr 3.6 → v4.4, `backends/ipc_icbmsg.c`): several endpoints per
 * instance over one ICMsg link (unbound = disable) that carries only 3-byte control messages, the
 * data itself in blocks of shared memory (layout.ts).
 *
 *   INITIATOR (its RX blocks at the lower address)          FOLLOWER
 *   register "ep" → addr = index, CONFIGURED
 *   ICMsg bound → work: CONFIGURED → BOUNDING,
 *     name in TX blocks, MSG_BOUND(addr, blk) ───────────▶  waiting_bound[addr] = blk → work:
 *                                                            a CONFIGURED endpoint of that name?
 *                                                            → addr, READY, bound(),
 *   ◀──────────────────────────────────────────────────────  MSG_RELEASE_BOUND(addr, blk)
 *   frees the name blocks; BOUNDING → READY, bound()
 *   (a MSG_DATA arriving while BOUNDING completes the bind first)
 *
 *   send: blocks (first fit) ← header.size + data; MSG_DATA(addr, blk) ─▶ validate, received(),
 *         ◀──────────────────────────────────────── MSG_RELEASE_DATA(0, blk) unless held
 *
 * Kept as Zephyr has it, on purpose: data for an endpoint that is deregistered (or not READY) is
 * refused and its blocks are never released (the sender leaks them); deregistering tells the
 * peer nothing; registering the same configuration again only calls `bound()` locally.
 *
 * Waiting: Zephyr blocks the bound work on K_FOREVER when there is no block for a name; here the
 * endpoint stays CONFIGURED and the work runs again when blocks are released.
 *
 * Over 400 lines on purpose: the backend operations, the control-message handlers and the bound
 * work share the instance's state as they do in `ipc_icbmsg.c`; the blocks area (blockArea.ts),
 * the TX bitmap (txBlocks.ts) and the endpoint table (endpointTable.ts) live in modules of their own.
 */
import { type Errno, isErrno, type Result } from '../../errno';
import type { EndpointConfig, IpcBackend, Timeout, TxBufferGrant } from '../../ipc/types';
import { fail, ok, type Outcome } from '../../outcome';
import type { Region, VirtualAddress } from '../../shm/MemoryMap';
import type { PbufMode } from '../../shm/pbuf';
import type { Kernel } from '../../sim/Simulation';
import type { BlockUse } from '../../trace/events';
import { encodeUtf8 } from '../../utf8';
import { Icmsg } from '../icmsg/Icmsg';
import { BlockArea } from './blockArea';
import type { BlockAllocator } from './blocks';
import { type ControlType, decodeControl, encodeControl } from './control';
import { EndpointTable, type EptData, WAITING_BOUND_MSG_EMPTY } from './endpointTable';
import { type IcbmsgInstanceEvent, type IcbmsgInstanceState, instanceTransition } from './icbmsgInstanceMachine';
import { BLOCK_HEADER_SIZE, type IcbmsgLayout, icbmsgLayout } from './layout';
import { type BlockOwner, TxBlocks, type TxBlocksSnapshot } from './txBlocks';

export type { BlockOwner } from './txBlocks';
export type { EptData } from './endpointTable';

/** `CONFIG_IPC_SERVICE_BACKEND_ICBMSG_NUM_EP` default. */
export const DEFAULT_NUM_EPT = 4;

export type { EptReboundState, EptState } from './icbmsgEptMachine';

export interface IcbmsgConfig {
  /** The devicetree node name. */
  readonly name: string;
  readonly txRegion: Region;
  readonly rxRegion: Region;
  /** `dcache-alignment`, 0 when absent. */
  readonly dcacheAlignment: number;
  readonly txBlocks: number;
  readonly rxBlocks: number;
  readonly mboxTx: string;
  readonly mboxRx: string;
  readonly numEpt?: number;
  readonly pbufMode?: PbufMode;
  /**
   * `faithful` (default) keeps Zephyr's leak: data refused for an endpoint that is not ready is
   * never released. `hardened` releases it, so the sender gets its blocks back.
   */
  readonly mode?: 'faithful' | 'hardened';
}

interface IcbmsgState {
  /** RX blocks whose data was refused and never released (the leak, as the receiver saw it). */
  leaked: number[];
  /** The instance machine's state; CONTROL_BOUNDED (Zephyr's flag) lets endpoint binding start. */
  instance: IcbmsgInstanceState;
  /** `rx_hold_bitmap`: the application holds the RX buffer starting at this block. */
  rxHold: Uint8Array;
  /** Tasks blocked in `get_tx_buffer` until blocks are freed or `deadline` (ns; -1 = forever). */
  txWaiters: { readonly task: string; readonly deadline: number }[];
}

/** When a wait of `wait` that starts `now` times out (ns), -1 for K_FOREVER. */
function deadlineOf(wait: Exclude<Timeout, 'no-wait'>, now: number): number {
  return wait === 'forever' ? -1 : now + Math.max(0, Math.round(wait.ms * 1e6));
}

/** One ICBMsg instance of one domain. */
export class Icbmsg implements IpcBackend {
  readonly kind = 'icbmsg';
  readonly config: IcbmsgConfig;
  readonly kernel: Kernel;
  readonly tx: IcbmsgLayout;
  readonly rx: IcbmsgLayout;
  /** My TX blocks (their bitmap and what they hold) and my RX blocks, in shared memory. */
  readonly txPool: TxBlocks;
  readonly txArea: BlockArea;
  readonly rxArea: BlockArea;
  /** `is_initiator`: my RX blocks lie at a lower address than my TX blocks. */
  readonly isInitiator: boolean;
  readonly numEpt: number;
  readonly icmsg: Icmsg;
  readonly table: EndpointTable;
  private state: IcbmsgState;
  private readonly workId: string;

  private constructor(kernel: Kernel, config: IcbmsgConfig, tx: IcbmsgLayout, rx: IcbmsgLayout) {
    this.kernel = kernel;
    this.config = config;
    this.tx = tx;
    this.rx = rx;
    this.numEpt = config.numEpt ?? DEFAULT_NUM_EPT;
    const offsetOf = (region: Region, layout: IcbmsgLayout) => region.offset + (layout.regionBegin - region.address);
    const txBlocks = offsetOf(config.txRegion, tx) + tx.blocksOffset;
    const rxBlocks = offsetOf(config.rxRegion, rx) + rx.blocksOffset;
    this.isInitiator =
      config.rxRegion.address + (rxBlocks - config.rxRegion.offset) <
      config.txRegion.address + (txBlocks - config.txRegion.offset);
    this.txArea = new BlockArea(kernel.domain.mem, txBlocks, tx);
    this.rxArea = new BlockArea(kernel.domain.mem, rxBlocks, rx);
    this.txPool = new TxBlocks(this.txArea);
    this.txPool.onOwn = (first, count, owner) => {
      if (!owner) this.traceBlocks(config.txRegion.name, 'free', first, count);
      else this.traceBlocks(config.txRegion.name, owner.use, first, count, owner.endpoint, owner.msgId);
    };
    const area = (region: Region, layout: IcbmsgLayout): Region => ({
      name: region.name,
      offset: offsetOf(region, layout),
      size: layout.icmsgAreaSize,
      // The layout is computed from the region's own virtual address: its begin is one too.
      address: layout.regionBegin as VirtualAddress,
    });
    this.icmsg = new Icmsg(kernel, {
      name: config.name,
      txRegion: area(config.txRegion, tx),
      rxRegion: area(config.rxRegion, rx),
      dcacheAlignment: tx.alignment,
      unbound: 'DISABLE',
      mboxTx: config.mboxTx,
      mboxRx: config.mboxRx,
      ...(config.pbufMode ? { pbufMode: config.pbufMode } : {}),
    });
    // The control link's own callbacks are traced apart from the endpoints'.
    this.icmsg.endpointName = 'control';
    this.icmsg.machineInstance = `${config.name}/control`;
    this.table = new EndpointTable(this.numEpt, kernel, config.name);
    this.state = {
      instance: 'INITIALIZED',
      leaked: [],
      rxHold: new Uint8Array(rx.blockCount),
      txWaiters: [],
    };
    this.workId = `${config.name}/ep_bound_work`;
    kernel.domain.defineWork(this.workId, () => this.boundProcess());
  }

  /** The instance, or the build assert Zephyr would fail on for either region. */
  static create(kernel: Kernel, config: IcbmsgConfig): Outcome<Icbmsg, string> {
    const layout = (region: Region, local: number, remote: number, which: string) => {
      const l = icbmsgLayout({
        regAddr: region.address,
        regSize: region.size,
        dcacheAlignment: config.dcacheAlignment,
        localBlocks: local,
        remoteBlocks: remote,
      });
      return l.ok ? l : fail(`${which}: ${l.error.reason}`);
    };
    const tx = layout(config.txRegion, config.txBlocks, config.rxBlocks, 'tx-region');
    if (!tx.ok) return tx;
    const rx = layout(config.rxRegion, config.rxBlocks, config.txBlocks, 'rx-region');
    if (!rx.ok) return rx;
    return ok(new Icbmsg(kernel, config, tx.value, rx.value));
  }

  /** Offset of my TX block 0 in shared memory. */
  get txBlocks(): number {
    return this.txArea.at;
  }

  /** Zephyr's TX bitmap (`tx_usage_bitmap`). */
  get allocator(): BlockAllocator {
    return this.txPool.allocator;
  }

  /** The id of the control message (MSG_DATA) the last send published, for tracing. */
  get lastSentMsgId(): number | null {
    return this.icmsg.lastSentMsgId;
  }

  /** The endpoints, for inspection. */
  get endpoints(): readonly Readonly<EptData>[] {
    return this.table.all;
  }

  // ---- the backend's operations -------------------------------------------------------------

  /** `open()`: opens the ICMsg control link; endpoint binding starts when it is bound. */
  openInstance(): Result {
    const first = this.state.instance === 'INITIALIZED';
    if (first) this.moveInstance({ type: 'OPEN' });
    const r = this.icmsg.open({
      bound: () => {
        this.moveInstance({ type: 'CONTROL_BOUND' });
        this.schedule();
      },
      received: (data) => this.controlReceived(data),
    });
    if (first && isErrno(r)) this.moveInstance({ type: 'OPEN_FAILED' });
    return r;
  }

  /** The instance machine's state. */
  get instanceState(): IcbmsgInstanceState {
    return this.state.instance;
  }

  private moveInstance(event: IcbmsgInstanceEvent): void {
    const from = this.state.instance;
    const to = instanceTransition(from, event);
    if (to === null) return;
    this.state.instance = to;
    this.kernel.emit({
      kind: 'transition',
      machine: 'icbmsg',
      instance: this.config.name,
      from,
      to,
      event: event.type,
    });
  }

  registerEndpoint(cfg: EndpointConfig): { result: Result; token: unknown } {
    const t = this.table;
    const again = t.indexOfConfig(cfg);
    if (again >= 0) {
      const ept = t.eptOf(again);
      if (!ept || !t.move(ept, { type: 'REGISTER_AGAIN' })) return { result: 'EINVAL', token: null };
      this.schedule();
      return { result: 0, token: again };
    }
    const index = t.reserve();
    const ept = t.eptOf(index);
    if (!ept) {
      this.kernel.assertFailed(`icbmsg ${this.config.name}`, 'Too many endpoints');
      return { result: 'ENOMEM', token: null };
    }
    ept.cfg = cfg;
    if (this.isInitiator) t.assign(index, index);
    t.move(ept, { type: 'REGISTER' });
    this.schedule();
    return { result: 0, token: index };
  }

  deregisterEndpoint(token: unknown): Result {
    const ept = this.table.eptOf(token);
    if (!ept || !this.table.move(ept, { type: 'DEREGISTER' })) return 'EINVAL';
    return 0;
  }

  send(token: unknown, data: Uint8Array, len: number): Result {
    const ept = this.table.eptOf(token);
    if (!ept) return 'EINVAL';
    const grant = this.txPool.alloc(len);
    if (isErrno(grant)) return grant;
    // Taken as soon as allocated (so a failed send frees blocks the trace has seen taken).
    this.txPool.own(grant.index, grant.blocks, 'data', ept.cfg?.name ?? '?', null);
    this.kernel.domain.mem.write(this.txArea.data(grant.index), data, 0, len);
    const r = this.sendBlock('MSG_DATA', ept.addr, grant.index, len, ept.cfg?.name);
    return isErrno(r) ? r : len;
  }

  getTxBufferSize(): Result {
    return this.tx.maxAlloc;
  }

  /**
   * `alloc_tx_buffer` for `get_tx_buffer`: no room and K_NO_WAIT is -ENOMEM at once; with a
   * timeout the calling task blocks until blocks are freed (it is woken and asks again) or the
   * timeout passes (-EAGAIN, as `k_sem_take` answers).
   */
  getTxBuffer(token: unknown, size: number, wait: Timeout): TxBufferGrant {
    // More than every block together can never fit: sys_bitarray_alloc's -EINVAL, which
    // alloc_tx_buffer answers as -ENOMEM at once, whatever the timeout.
    if (size > this.tx.maxAlloc) return { result: 'ENOMEM', size: this.tx.maxAlloc };
    // K_MSEC(0) is K_NO_WAIT.
    if (wait !== 'no-wait' && wait !== 'forever' && wait.ms <= 0) wait = 'no-wait';
    const task = this.kernel.domain.currentTask;
    const waiting = this.state.txWaiters.findIndex((w) => w.task === task);
    const grant = this.txPool.alloc(size);
    if (isErrno(grant)) {
      if (wait === 'no-wait' || task === null) return { result: grant, size: this.tx.maxAlloc };
      const now = this.kernel.now();
      const deadline = waiting >= 0 ? (this.state.txWaiters[waiting]?.deadline ?? -1) : deadlineOf(wait, now);
      if (deadline >= 0 && now >= deadline) {
        if (waiting >= 0) this.state.txWaiters.splice(waiting, 1);
        return { result: 'EAGAIN', size: this.tx.maxAlloc };
      }
      if (waiting < 0) this.state.txWaiters.push({ task, deadline });
      return { result: 'EAGAIN', size: this.tx.maxAlloc, blockedUntil: deadline };
    }
    if (waiting >= 0) this.state.txWaiters.splice(waiting, 1);
    this.txPool.own(grant.index, grant.blocks, 'granted', this.table.eptOf(token)?.cfg?.name ?? '?', null);
    const at = this.txArea.data(grant.index);
    return { result: 0, buffer: this.kernel.domain.mem.view(at, grant.size), size: grant.size };
  }

  dropTxBuffer(_token: unknown, buffer: Uint8Array): Result {
    const r = this.releaseTxBuffer(buffer, -1);
    return isErrno(r) ? r : 0;
  }

  sendNocopy(token: unknown, buffer: Uint8Array, len: number): Result {
    const ept = this.table.eptOf(token);
    if (!ept) return 'EINVAL';
    const r = this.releaseTxBuffer(buffer, len);
    if (isErrno(r)) {
      this.releaseTxBuffer(buffer, -1);
      return r;
    }
    return this.sendBlock('MSG_DATA', ept.addr, r, len, ept.cfg?.name);
  }

  holdRxBuffer(_token: unknown, buffer: Uint8Array): Result {
    const index = this.rxArea.indexOf(buffer);
    if (index === null) {
      this.kernel.assertFailed(`icbmsg ${this.config.name}`, 'hold_rx_buffer: not an RX buffer');
      return 'EINVAL';
    }
    this.state.rxHold[index] = 1;
    this.traceBlocks(this.config.rxRegion.name, 'held', index, this.rxBlocksAt(index));
    return 0;
  }

  releaseRxBuffer(_token: unknown, buffer: Uint8Array): Result {
    const r = this.sendRelease(buffer, 'MSG_RELEASE_DATA', 0);
    return isErrno(r) ? r : 0;
  }

  // ---- blocks -------------------------------------------------------------------------------

  /** The block map's event (message-level tracing only, like packets). */
  private traceBlocks(
    region: string,
    use: BlockUse,
    first: number,
    count: number,
    endpoint?: string,
    msgId?: number | null,
  ): void {
    if (!this.kernel.traceMessages) return;
    this.kernel.emit({
      kind: 'blocks',
      instance: this.config.name,
      region,
      use,
      first,
      count,
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(msgId !== undefined && msgId !== null ? { msgId } : {}),
    });
  }

  /** How many of my RX blocks the buffer starting at `index` spans, by its header. */
  private rxBlocksAt(index: number): number {
    const size = this.rxArea.validatedSize(index, false);
    return size === null ? 1 : Math.ceil((size + BLOCK_HEADER_SIZE) / this.rx.blockSize);
  }

  /** What each TX block holds, by index (null: free). */
  get blockOwners(): readonly (BlockOwner | null)[] {
    return this.txPool.blockOwners;
  }

  /**
   * A fault takes every free TX block (as a runaway sender would): each free run becomes one
   * buffer granted to `owner`. Returns the first block of each run, for `giveBackBlocks`.
   */
  takeAllFreeBlocks(owner: string): number[] {
    const firsts: number[] = [];
    for (;;) {
      const grant = this.txPool.alloc(0);
      if (isErrno(grant)) return firsts;
      this.txPool.own(grant.index, grant.blocks, 'granted', owner, null);
      firsts.push(grant.index);
    }
  }

  /** Frees a buffer `takeAllFreeBlocks` took (waking whoever waits for blocks). */
  giveBackBlocks(first: number): void {
    const size = this.txArea.validatedSize(first, false);
    if (size !== null) this.releaseTxBlocks(first, size, -1);
  }

  /** RX blocks the application holds (`hold_rx_buffer`), by index. */
  get heldRxBlocks(): readonly number[] {
    const out: number[] = [];
    this.state.rxHold.forEach((bit, i) => {
      if (bit === 1) out.push(i);
    });
    return out;
  }

  /** RX blocks whose data was refused and not released: the sender's leaked blocks. */
  get leakedRxBlocks(): readonly number[] {
    return this.state.leaked;
  }

  /** `send_block`: header.size = size, flush, the control message; the blocks freed if it fails. */
  private sendBlock(type: ControlType, eptAddr: number, index: number, size: number, endpoint = '?'): Result {
    const mem = this.kernel.domain.mem;
    mem.store32(this.txArea.header(index), size);
    mem.flush(this.txArea.header(index), size + BLOCK_HEADER_SIZE);
    const r = this.icmsg.send(encodeControl({ type, eptAddr, blockIndex: index }));
    if (isErrno(r)) {
      this.releaseTxBlocks(index, size, -1);
      return r;
    }
    const use = type === 'MSG_BOUND' ? 'name' : 'data';
    this.txPool.own(index, this.allocator.blocksFor(size), use, endpoint, this.icmsg.lastSentMsgId);
    return r;
  }

  /** `release_tx_blocks`, then `k_sem_give(block_wait_sem)` when anything was freed. */
  private releaseTxBlocks(index: number, size: number, newSize: number): number | 'EINVAL' {
    const r = this.txPool.release(index, size, newSize);
    if (r === 'EINVAL') return r;
    if (r.freed) {
      // `k_sem_give(block_wait_sem)`: every task blocked in get_tx_buffer asks again (one that
      // gets its blocks gives the semaphore on, so in Zephyr they all get their turn too).
      for (const w of this.state.txWaiters) this.kernel.domain.wake(w.task);
      this.schedule(); // a name waiting for blocks (K_FOREVER in Zephyr) tries again
    }
    return r.index;
  }

  private releaseTxBuffer(buffer: Uint8Array, newSize: number): number | 'EINVAL' {
    const index = this.txArea.indexOf(buffer);
    if (index === null) return 'EINVAL';
    const size = this.txArea.validatedSize(index, false);
    if (size === null) return 'EINVAL';
    return this.releaseTxBlocks(index, size, newSize);
  }

  /** `send_release`: tells the peer it may free the RX buffer's blocks. */
  private sendRelease(buffer: Uint8Array, type: ControlType, eptAddr: number): Result {
    const index = this.rxArea.indexOf(buffer);
    if (index === null) return 'EINVAL';
    return this.icmsg.send(encodeControl({ type, eptAddr, blockIndex: index }));
  }

  // ---- control messages ---------------------------------------------------------------------

  private controlReceived(data: Uint8Array): void {
    const message = decodeControl(data, this.numEpt);
    let r: Result = 0;
    if (message !== null && !isErrno(message)) {
      switch (message.type) {
        case 'MSG_RELEASE_DATA':
          r = this.receivedReleaseData(message.blockIndex);
          break;
        case 'MSG_RELEASE_BOUND':
          r = this.receivedReleaseData(message.blockIndex);
          if (!isErrno(r) && !this.table.validateRx(message.eptAddr)) r = 'EINVAL';
          break;
        case 'MSG_BOUND':
          r = this.receivedBound(message.blockIndex, message.eptAddr);
          break;
        case 'MSG_DATA':
          r = this.receivedData(message.blockIndex, message.eptAddr);
          break;
      }
    } else if (isErrno(message)) {
      r = message;
    }
    if (isErrno(r)) {
      this.kernel.emit({
        kind: 'anomaly',
        where: `icbmsg ${this.config.name}`,
        message: `Failed to receive, err -${r}`,
      });
    }
  }

  private receivedReleaseData(index: number): Result {
    const size = this.txArea.validatedSize(index, false);
    if (size === null) return 'EINVAL';
    const r = this.releaseTxBlocks(index, size, -1);
    return isErrno(r) ? r : 0;
  }

  private receivedBound(index: number, eptAddr: number): Result {
    if (this.rxArea.validatedSize(index, true) === null) return 'EINVAL';
    this.table.setWaiting(eptAddr, index);
    this.schedule();
    return 0;
  }

  private receivedData(index: number, eptAddr: number): Result {
    const size = this.rxArea.validatedSize(index, true);
    const ept = this.table.validateRx(eptAddr);
    if (size !== null && !ept) this.refusedData(index, eptAddr, size);
    if (size === null || !ept) return 'EINVAL';
    this.state.rxHold[index] = 0;
    const buffer = this.rxArea.view(index, size);
    if (this.kernel.traceMessages) {
      this.kernel.emit({
        kind: 'callback',
        instance: this.config.name,
        endpoint: ept.cfg?.name ?? '?',
        callback: 'received',
        length: size,
        msgId: this.icmsg.receivedMsgId,
      });
    }
    ept.cfg?.cb.received?.(buffer);
    if (this.state.rxHold[index] === 0) this.sendRelease(buffer, 'MSG_RELEASE_DATA', 0);
    return 0;
  }

  /**
   * Data for an endpoint that cannot take it (not bound, deregistered, rebounding): Zephyr drops
   * it without a release, so the sender's blocks leak; the hardened mode releases them.
   */
  private refusedData(index: number, eptAddr: number, size: number): void {
    const blocks = Math.ceil((size + BLOCK_HEADER_SIZE) / this.rx.blockSize);
    if (this.config.mode === 'hardened') {
      this.icmsg.send(encodeControl({ type: 'MSG_RELEASE_DATA', eptAddr: 0, blockIndex: index }));
      this.kernel.emit({
        kind: 'note',
        text: `icbmsg ${this.config.name}: data for endpoint address ${eptAddr} refused; hardened: released block ${index}`,
      });
      return;
    }
    if (!this.state.leaked.includes(index)) this.state.leaked.push(index);
    this.traceBlocks(this.config.rxRegion.name, 'leaked', index, blocks);
    this.kernel.emit({
      kind: 'anomaly',
      where: `icbmsg ${this.config.name}`,
      message: `data for endpoint address ${eptAddr} refused and never released: the sender's ${blocks} block(s) from ${index} leak (as in Zephyr)`,
    });
  }

  // ---- binding ------------------------------------------------------------------------------

  private schedule(): void {
    this.kernel.domain.submitWork(this.workId);
  }

  /** `ept_bound_process`, the bound work item. */
  private boundProcess(): void {
    const s = this.state;
    if (s.instance !== 'CONTROL_BOUNDED') return;
    const t = this.table;
    if (this.isInitiator) {
      for (const ept of t.all) {
        if (!t.move(ept, { type: 'SEND_BOUND' })) continue;
        const r = this.sendBoundMessage(ept);
        // No block for the name: Zephyr waits here (K_FOREVER); the work runs again on a release.
        if (r === 'ENOMEM') t.move(ept, { type: 'NO_BLOCKS' });
        else if (isErrno(r)) t.move(ept, { type: 'BOUND_FAILED' });
      }
    } else {
      for (let addr = 0; addr < this.numEpt; addr++) {
        const index = t.waiting(addr);
        if (index === WAITING_BOUND_MSG_EMPTY) continue;
        const r = this.matchBoundMsg(index, addr);
        if (r !== 'waiting') t.setWaiting(addr, WAITING_BOUND_MSG_EMPTY);
      }
    }
    for (const ept of t.all) t.move(ept, { type: 'REBOUND' });
  }

  private sendBoundMessage(ept: EptData): Result {
    const name = encodeUtf8(`${ept.cfg?.name ?? ''}\0`);
    const grant = this.txPool.alloc(name.length);
    if (isErrno(grant)) return grant;
    this.txPool.own(grant.index, grant.blocks, 'name', ept.cfg?.name ?? '?', null);
    this.kernel.domain.mem.write(this.txArea.data(grant.index), name, 0, name.length);
    return this.sendBlock('MSG_BOUND', ept.addr, grant.index, name.length, ept.cfg?.name);
  }

  /** `match_bound_msg`: no endpoint of that name yet (`waiting`), bound (`matched`), or an error. */
  private matchBoundMsg(index: number, eptAddr: number): 'waiting' | 'matched' | Errno {
    const t = this.table;
    const eptIndex = t.configuredNamed(this.rxArea.readName(index));
    const ept = t.eptOf(eptIndex);
    if (!ept) return 'waiting';
    t.assign(eptIndex, eptAddr);
    t.move(ept, { type: 'MATCHED' });
    const r = this.icmsg.send(encodeControl({ type: 'MSG_RELEASE_BOUND', eptAddr, blockIndex: index }));
    return isErrno(r) ? r : 'matched';
  }

  // ---- snapshots ----------------------------------------------------------------------------

  snapshot(): unknown {
    const s = this.state;
    return {
      icmsg: this.icmsg.snapshot(),
      tx: this.txPool.snapshot(),
      table: this.table.snapshot(),
      state: {
        ...s,
        leaked: [...s.leaked],
        rxHold: s.rxHold.slice(),
        txWaiters: [...s.txWaiters],
      },
    };
  }

  restore(saved: unknown): void {
    const { icmsg, tx, table, state } = saved as {
      icmsg: unknown;
      tx: TxBlocksSnapshot;
      table: ReturnType<EndpointTable['snapshot']>;
      state: IcbmsgState;
    };
    this.icmsg.restore(icmsg);
    this.txPool.restore(tx);
    this.table.restore(table);
    this.state = {
      ...state,
      leaked: [...state.leaked],
      rxHold: state.rxHold.slice(),
      txWaiters: [...state.txWaiters],
    };
  }
}
