/**
 * Model-based tests: `@xstate/graph` finds the shortest path to every reachable state of the
 * ICMsg machine, for each unbound mode; each path is then driven through the *real* backend, with
 * a puppet peer that writes shared memory (handshake words, packets) to produce each observation.
 * After every step the backend must be where the machine says, with the machine's session ids in
 * its handshake word.
 */
import { getShortestPaths } from '@xstate/graph';
import { createActor, createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { MemoryMap } from '../../shm/MemoryMap';
import { MemoryView } from '../../shm/MemoryView';
import { Pbuf, pbufCfgInit } from '../../shm/pbuf';
import { Simulation } from '../../sim/Simulation';
import { Icmsg } from './Icmsg';
import { type IcmsgEvent, icmsgMachine, type IcmsgMachine } from './icmsgMachine';
import { ICMSG_MAGIC, makeRxHandshake, type UnboundMode } from './icmsgWire';

const SIZE = 128;
const PEER_SID = 7;

/** The backend under test (side A) and a puppet peer over the same memory. */
function rig(mode: UnboundMode, machine?: IcmsgMachine) {
  const buffer = new ArrayBuffer(2 * SIZE);
  const created = MemoryMap.create({
    buffer,
    regions: [
      { name: 'A->B', offset: 0, size: SIZE },
      { name: 'B->A', offset: SIZE, size: SIZE },
    ],
  });
  if (!created.ok) throw new Error('map');
  const map = created.value;
  const sim = new Simulation(map, {
    seed: 1,
    mailbox: { latencyNs: 0, jitterNs: 0, coalesce: false, loseWhenDisabled: false },
  });
  sim.defineChannel('A->B', 'A', 'B');
  sim.defineChannel('B->A', 'B', 'A');
  const [aToB, bToA] = [map.region('A->B'), map.region('B->A')];
  if (!aToB || !bToA) throw new Error('regions');
  const calls: string[] = [];
  const icmsg = new Icmsg(
    sim.kernel('A'),
    { name: 'A', txRegion: aToB, rxRegion: bToA, dcacheAlignment: 8, unbound: mode, mboxTx: 'A->B', mboxRx: 'B->A' },
    machine,
  );
  const cb = { bound: () => calls.push('bound'), unbound: () => calls.push('unbound') };
  // The peer writes B->A as a writer, and the handshake word of A->B (it is that region's reader).
  const peerView = new MemoryView(map, 'B');
  const peerTx = new Pbuf(pbufCfgInit(SIZE, SIZE, 8, mode !== 'DISABLE'), peerView);
  const setTxHandshake = (word: number) => peerView.store32(4, word);
  const rxHandshake = () => peerView.load32(SIZE + 4);

  /** Makes the real backend see `event`. */
  const drive = (event: IcmsgEvent): void => {
    switch (event.type) {
      case 'OPEN':
        setTxHandshake(event.sidWord);
        icmsg.open(cb);
        break;
      case 'CLOSE':
        icmsg.close();
        break;
      case 'HANDSHAKE':
        setTxHandshake((event.req | (event.ack << 16)) >>> 0);
        icmsg.process();
        break;
      case 'SESSION_CHANGED':
        setTxHandshake(event.req);
        icmsg.process();
        break;
      case 'PEER_IS_V10':
        peerTx.txInit();
        peerTx.write(ICMSG_MAGIC, ICMSG_MAGIC.length);
        icmsg.process();
        break;
      case 'MAGIC_RECEIVED': {
        // The packet must be the first one A reads now: if a magic A has not read yet is still at
        // the head (left there by detect mode), the peer starts its FIFO over; otherwise it appends.
        const unread = peerView.load32(peerTx.cfg.wrIdxLoc) !== icmsg.rx.data.rdIdx;
        if (peerTx.data.wrIdx === 0 || (unread && icmsg.rx.data.rdIdx === 0)) peerTx.txInit();
        const packet = event.valid ? ICMSG_MAGIC : new TextEncoder().encode('not-the-magic');
        peerTx.write(packet, packet.length);
        icmsg.process();
        break;
      }
      case 'OPEN_FAILED':
        throw new Error('OPEN_FAILED is not generated');
    }
  };
  return { icmsg, drive, rxHandshake, calls, sim };
}

type ModelSnapshot = { value: string; context: { localSid: number; remoteSid: number } };

/**
 * The observations the driver can make in a state (what it reads there), as the puppet peer can
 * produce them: open and close always; the handshake while initializing a session; a first packet
 * while waiting for the magic; a session change while connected with sessions.
 */
function eventsFor(mode: UnboundMode) {
  return (s: ModelSnapshot): IcmsgEvent[] => {
    const events: IcmsgEvent[] = [{ type: 'OPEN', ackWord: 0, sidWord: 0 }, { type: 'CLOSE' }];
    if (s.value === 'INITIALIZING_SID_ENABLED' || s.value === 'INITIALIZING_SID_DETECT') {
      events.push(
        { type: 'HANDSHAKE', req: PEER_SID, ack: 0 },
        { type: 'HANDSHAKE', req: PEER_SID, ack: s.context.localSid },
        { type: 'HANDSHAKE', req: s.context.remoteSid === 0 ? PEER_SID : s.context.remoteSid, ack: s.context.localSid },
        { type: 'HANDSHAKE', req: 0, ack: s.context.localSid },
      );
    }
    if (s.value === 'INITIALIZING_SID_DETECT' && mode === 'DETECT') events.push({ type: 'PEER_IS_V10' });
    if (s.value === 'INITIALIZING_SID_DISABLED') {
      events.push({ type: 'MAGIC_RECEIVED', valid: true }, { type: 'MAGIC_RECEIVED', valid: false });
    }
    if (s.value === 'CONNECTED_SID_ENABLED') events.push({ type: 'SESSION_CHANGED', req: 0 });
    return events;
  };
}

const input = (mode: UnboundMode) => ({ mode, rxValid: true, txValid: true, txHoldsMagic: true });

describe('the ICMsg machine drives the real backend along every shortest path', () => {
  for (const mode of ['DISABLE', 'ENABLE', 'DETECT'] as const) {
    const machine = icmsgMachine.provide({});
    const paths = getShortestPaths(machine, {
      input: input(mode),
      events: eventsFor(mode),
      serializeState: (s) => `${String(s.value)}|${s.context.localSid > 0}|${s.context.remoteSid > 0}`,
    });

    it(`${mode}: reaches every state the machine can reach in this mode`, () => {
      const reached = new Set(paths.map((p) => String(p.state.value)));
      const expected =
        mode === 'DISABLE'
          ? ['OFF', 'INITIALIZING_SID_DISABLED', 'CONNECTED_SID_DISABLED']
          : mode === 'ENABLE'
            ? ['OFF', 'INITIALIZING_SID_ENABLED', 'CONNECTED_SID_ENABLED', 'DISCONNECTED']
            : [
                'OFF',
                'INITIALIZING_SID_DETECT',
                'INITIALIZING_SID_DISABLED',
                'CONNECTED_SID_DISABLED',
                'CONNECTED_SID_ENABLED',
                'DISCONNECTED',
              ];
      expect([...reached].sort()).toEqual([...expected].sort());
    });

    // Every shortest path, and every path extended by one more observable event: every edge.
    const walks = paths.flatMap((path) => {
      const steps = path.steps
        .map((step) => step.event)
        .filter((e): e is IcmsgEvent => (e as { type: string }).type !== 'xstate.init');
      return [steps, ...eventsFor(mode)(path.state).map((next) => [...steps, next])];
    });

    for (const walk of walks) {
      it(`${mode}: ${walk.map((e) => JSON.stringify(e)).join(' → ') || '(start)'}`, () => {
        const { icmsg, drive, rxHandshake } = rig(mode);
        const model = createActor(machine, { input: input(mode) }).start();
        for (const event of walk) {
          drive(event);
          model.send(event);
          const expected = model.getSnapshot();
          expect(icmsg.machineState).toBe(expected.value);
          expect(icmsg.state).toBe(expected.value);
          expect([icmsg.localSid, icmsg.remoteSid]).toEqual([expected.context.localSid, expected.context.remoteSid]);
          if (expected.value === 'INITIALIZING_SID_ENABLED' || expected.value === 'CONNECTED_SID_ENABLED') {
            expect(rxHandshake()).toBe(makeRxHandshake(expected.context.localSid, expected.context.remoteSid));
          }
        }
      });
    }
  }
});

describe('the machine is the control logic, not a drawing beside it', () => {
  function closeAfterBind(machine?: IcmsgMachine) {
    const { icmsg, drive, calls } = rig('ENABLE', machine);
    drive({ type: 'OPEN', ackWord: 0, sidWord: 0 });
    drive({ type: 'HANDSHAKE', req: PEER_SID, ack: icmsg.localSid });
    expect(icmsg.state).toBe('CONNECTED_SID_ENABLED');
    drive({ type: 'SESSION_CHANGED', req: 0 }); // the peer closed its session
    return { icmsg, calls };
  }

  it('with the real machine, a closed peer session means unbound()', () => {
    const { icmsg, calls } = closeAfterBind();
    expect(icmsg.state).toBe('DISCONNECTED');
    expect(calls).toEqual(['bound', 'unbound']);
  });

  it('without the SESSION_CHANGED transition, the same backend never notices the peer left', () => {
    const config = icmsgMachine.config;
    const states = config.states ?? {};
    const deaf = createMachine(
      { ...config, states: { ...states, CONNECTED_SID_ENABLED: { description: 'ignores session changes' } } },
      icmsgMachine.implementations,
    ) as unknown as IcmsgMachine;
    const { icmsg, calls } = closeAfterBind(deaf);
    expect(icmsg.state).toBe('CONNECTED_SID_ENABLED');
    expect(calls).toEqual(['bound']);
  });

  it('a guard changed in the machine changes what the backend accepts as the magic', () => {
    const strict = icmsgMachine.provide({ guards: { magicValid: () => false } });
    const { icmsg, drive, calls } = rig('DISABLE', strict);
    drive({ type: 'OPEN', ackWord: 0, sidWord: 0 });
    drive({ type: 'MAGIC_RECEIVED', valid: true });
    expect(icmsg.state).toBe('INITIALIZING_SID_DISABLED');
    expect(calls).toEqual([]);
  });
});
