/**
 * Presets that reproduce field failures of the catalogue (reference `zephyr-ipc.md` §12), each with
 * the run that shows the failure and, where one exists, the configuration that avoids it. Tests
 * assert on each the outcome real firmware has.
 */
import type { FaultInput } from '../../faults/schema';
import type { ScenarioInput } from '../schema';
import { icbmsgScenario } from './icbmsg';
import { icmsgScenario, type IcmsgScenarioOptions } from './icmsg';

export interface FaultPreset {
  /** The catalogue's number (`F6`). */
  readonly id: string;
  readonly title: string;
  /** What happens, in a few sentences a firmware engineer would write in a bug report. */
  readonly story: string;
  /** The run that fails as the field failure did. */
  readonly scenario: ScenarioInput;
  /** The same run configured the way that avoids it, when there is one. */
  readonly fixed?: { readonly label: string; readonly scenario: ScenarioInput };
}

type Endpoint = ScenarioInput['endpoints'][number];

/** Two cores over ICMsg: a ping on the application core, an echo on the radio core. */
function icmsg(o: Partial<IcmsgScenarioOptions> & { readonly name: string }): ScenarioInput {
  return icmsgScenario({
    unbound: 'enable',
    dcacheAlignment: 32,
    app: { kind: 'ping', periodUs: 100, size: 16, count: 10 },
    rad: { kind: 'echo' },
    radBootAtUs: 120,
    runtime: { mode: 'inline' },
    ...o,
  });
}

/** Both cores cache shared memory in 32-byte lines (the ICMsg nodes keep dcache-alignment = 32). */
const cachedCores = (s: ScenarioInput): ScenarioInput => ({
  ...s,
  domains: s.domains.map((d) => ({ ...d, dcacheLine: 32 })),
});

const withFaults = (s: ScenarioInput, faults: readonly FaultInput[]): ScenarioInput => ({ ...s, faults: [...faults] });

const patchEndpoints = (s: ScenarioInput, patch: (e: Endpoint) => Endpoint): ScenarioInput => ({
  ...s,
  endpoints: s.endpoints.map(patch),
});

/** The radio core deregisters (ICMsg: closes) 600 µs after it boots, while the application core pings. */
const radioCloses = (name: string): ScenarioInput =>
  patchEndpoints(icmsg({ name, app: { kind: 'ping', periodUs: 50, size: 16, count: 30 } }), (e) =>
    e.domain === 'cpurad' ? { ...e, deregisterAtUs: 600, onUnbound: 'stay' } : e,
  );

/**
 * 300-byte pings over 256-byte regions (data[] holds 220 bytes): every send is -ENOMEM, until a
 * bogus rd_idx makes the writer believe there is room. The RX read buffer is raised so the
 * receiver's own limit (F3) does not hide what the writer does.
 */
const bigMessages = (name: string, pbuf: 'faithful' | 'hardened'): ScenarioInput => {
  const s = icmsg({
    name,
    regionSize: 256,
    app: { kind: 'ping', periodUs: 100, size: 300, count: 10 },
    runtime: { mode: 'inline', pbuf },
  });
  return {
    ...s,
    instances: s.instances.map((n) =>
      n.compatible === 'zephyr,ipc-icmsg' ? { ...n, kconfig: { ...n.kconfig, PBUF_RX_READ_BUF_SIZE: 512 } } : n,
    ),
  };
};

const rdIdx1000: FaultInput = {
  id: 'rd-idx-1000',
  kind: 'poke32',
  target: { region: 'sram_app_to_rad', field: 'rd_idx' },
  value: 1000,
  schedule: { atUs: 500 },
};

const dropFirstRadDoorbell: FaultInput = {
  id: 'lost-bind-doorbell',
  kind: 'doorbell-drop',
  target: { channel: 'rad_to_app' },
  schedule: { count: 1 },
};

const warmResetRadio: FaultInput = {
  id: 'radio-warm-reset',
  kind: 'warm-reset',
  target: { domain: 'cpurad' },
  schedule: { atUs: 800 },
};

const icbmsgLeak = (mode: 'faithful' | 'hardened'): ScenarioInput =>
  patchEndpoints(
    icbmsgScenario({
      name: `ICBMsg: data for a deregistered endpoint (${mode})`,
      appToRadBlocks: 8,
      radToAppBlocks: 8,
      endpoints: [{ name: 'log', app: { kind: 'stream', size: 60, count: 12, retryUs: 40 }, rad: { kind: 'sink' } }],
      runtime: { mode: 'inline', icbmsg: mode },
    }),
    (e) => (e.domain === 'cpurad' ? { ...e, deregisterAtUs: 150, onUnbound: 'stay' } : e),
  );

const aliasedIcbmsg = (aliasOffset: number): ScenarioInput =>
  withFaults(
    icbmsgScenario({
      name:
        aliasOffset === 0
          ? 'ICBMsg: both cores see the same addresses'
          : 'ICBMsg: the radio core sees the regions aliased',
      endpoints: [{ name: 'hci', app: { kind: 'pingpong', size: 40, count: 3, pauseUs: 20 }, rad: { kind: 'echo' } }],
      radBootAtUs: 40,
      runtime: { mode: 'inline' },
    }),
    aliasOffset === 0
      ? []
      : [
          {
            id: 'aliased-addresses',
            kind: 'misconfigure',
            target: { domain: 'cpurad', instance: 'ipc0' },
            set: { alias: { region: 'sram_app_to_rad', offset: aliasOffset } },
          },
        ],
  );

export const FAULT_PRESETS: readonly FaultPreset[] = [
  {
    id: 'F1',
    title: 'Lost bind doorbell',
    story:
      'The radio core answers the handshake and rings; the doorbell is lost. Zephyr 4.1+ ICMsg sends no periodic retry, so both cores wait in INITIALIZING for good. The 3.6–4.0 code rings its bind doorbell again and again, and binds.',
    scenario: withFaults(icmsg({ name: 'F1: a lost bind doorbell (ICMsg 4.1+)' }), [dropFirstRadDoorbell]),
    fixed: {
      label: 'Zephyr 3.6 ICMsg (repeated bind doorbell)',
      scenario: withFaults(icmsg({ name: 'F1: a lost bind doorbell (ICMsg 3.6)', zephyr: '3.6', unbound: 'disable' }), [
        dropFirstRadDoorbell,
      ]),
    },
  },
  {
    id: 'F3',
    title: 'Message larger than the RX read buffer',
    story:
      'A 200-byte message over ICMsg with CONFIG_PBUF_RX_READ_BUF_SIZE = 128: icmsg.c asserts. With asserts off the packet is never consumed and the link stalls; with CONFIG_ASSERT=y the radio core halts.',
    scenario: icmsg({
      name: 'F3: a 200-byte message, 128-byte RX buffer',
      app: { kind: 'pingpong', size: 200, count: 3, pauseUs: 30 },
    }),
    fixed: {
      label: 'messages of at most 128 bytes',
      scenario: icmsg({ name: 'F3: 128-byte messages', app: { kind: 'pingpong', size: 128, count: 3, pauseUs: 30 } }),
    },
  },
  {
    id: 'F6',
    title: 'Warm reset with stale shared memory',
    story:
      'The radio core warm-resets mid-stream; shared memory keeps the old session. With unbound = disable its open finds the old magic in the ring and "binds" on it, re-reads messages already consumed, and the application core never learns: it gets no unbound() and its later replies are lost. With unbound = enable the new session id is seen, the application core gets unbound() then bound(), and the link recovers.',
    scenario: withFaults(
      icmsg({
        name: 'F6: warm reset, unbound = disable',
        unbound: 'disable',
        app: { kind: 'ping', periodUs: 100, size: 16, count: 20 },
      }),
      [warmResetRadio],
    ),
    fixed: {
      label: 'unbound = enable',
      scenario: withFaults(
        icmsg({ name: 'F6: warm reset, unbound = enable', app: { kind: 'ping', periodUs: 100, size: 16, count: 20 } }),
        [warmResetRadio],
      ),
    },
  },
  {
    id: 'F8',
    title: 'A closed peer is noticed only at a doorbell',
    story:
      'The radio core closes its endpoint (deregistering closes ICMsg) while the application core keeps pinging. ICMsg sees a session change only when it processes a doorbell: the doorbell of the close is lost, so the application core is never told, keeps sending into the closed session, and every message is lost.',
    scenario: withFaults(radioCloses('F8: the radio core closes, its doorbell is lost'), [
      {
        id: 'lost-close-doorbell',
        kind: 'doorbell-drop',
        target: { channel: 'rad_to_app' },
        schedule: { atUs: 710, count: 1 },
      },
    ]),
    fixed: { label: 'the close’s doorbell arrives', scenario: radioCloses('F8: the radio core closes') },
  },
  {
    id: 'F9',
    title: 'Handshake with dcache-alignment below 8',
    story:
      'unbound = enable needs the handshake word, and pbuf refuses a handshake with dcache-alignment < 8. IPC Scope refuses such a scenario outright; here both firmware images were built with dcache-alignment = 0 anyway (nothing in the build checks it): ICMsg open fails with -EINVAL ("Incorrect Rx configuration") on both cores.',
    scenario: withFaults(
      icmsg({ name: 'F9: unbound = enable, built with dcache-alignment = 0' }),
      ['cpuapp', 'cpurad'].map((domain): FaultInput => ({
        id: `dcache-0-${domain}`,
        kind: 'misconfigure',
        target: { domain, instance: 'ipc0' },
        set: { 'dcache-alignment': 0 },
      })),
    ),
    fixed: { label: 'dcache-alignment = 32', scenario: icmsg({ name: 'F9: dcache-alignment = 32' }) },
  },
  {
    id: 'F10',
    title: 'Cache maintenance that misses lines',
    story:
      'Both cores cache shared memory (32-byte lines). A dcache-alignment that does not match the line makes flushes miss what they should cover; here the application core’s flushes of one packet’s header and payload do nothing while its flush of wr_idx goes out. The radio core sees wr_idx move, reads a header that never reached memory (a zero length), takes the ring for empty, and every later message queues behind it. Nothing reports an error: the invariant checker finds the lost messages.',
    scenario: withFaults(cachedCores(icmsg({ name: 'F10: two flushes missed on a cached core' })), [
      { id: 'missed-flushes', kind: 'missing-flush', target: { domain: 'cpuapp' }, value: 2, schedule: { atUs: 500 } },
    ]),
    fixed: { label: 'every flush done', scenario: cachedCores(icmsg({ name: 'F10: cached cores, every flush done' })) },
  },
  {
    id: 'F11',
    title: 'Out-of-range peer index',
    story:
      'Something writes rd_idx = 1000 into the ring the application core writes. pbuf checks only that the peer’s index is aligned: the writer computes its free space from it, and a 300-byte message that never fitted the 220-byte data area is written, past its end, over the next region (the radio core’s own ring indices). The hardened mode refuses the index with -EINVAL.',
    scenario: withFaults(bigMessages('F11: rd_idx = 1000 (faithful)', 'faithful'), [rdIdx1000]),
    fixed: {
      label: 'hardened pbuf',
      scenario: withFaults(bigMessages('F11: rd_idx = 1000 (hardened)', 'hardened'), [rdIdx1000]),
    },
  },
  {
    id: 'F12',
    title: 'Corrupted packet length',
    story:
      'A packet\'s BE16 length is corrupted before the radio core reads it: pbuf_read returns -EAGAIN ("should never happen"), ICMsg hands received() the error as a huge length, and the packet is never consumed: every later doorbell reads it again.',
    scenario: withFaults(icmsg({ name: 'F12: a corrupted length header' }), [
      {
        id: 'bad-length',
        kind: 'corrupt-byte',
        target: { region: 'sram_app_to_rad', field: 'length', offset: 1 },
        value: 0x50,
        schedule: { atUs: 500 },
      },
    ]),
  },
  {
    id: 'F13',
    title: 'Misaligned peer index',
    story:
      'rd_idx becomes 13. pbuf checks alignment, so every write from the application core fails with -EINVAL from then on: the link is dead and nothing recovers it.',
    scenario: withFaults(icmsg({ name: 'F13: rd_idx = 13' }), [
      {
        id: 'odd-rd-idx',
        kind: 'poke32',
        target: { region: 'sram_app_to_rad', field: 'rd_idx' },
        value: 13,
        schedule: { atUs: 500 },
      },
    ]),
  },
  {
    id: 'F15',
    title: 'ICBMsg initiator chosen by address, with aliased addresses',
    story:
      'Legacy ICBMsg makes the side whose RX blocks lie lower the initiator. The radio core sees the application core’s region through another bus window, 0x10000 higher, so both cores take the same role and no endpoint ever binds.',
    scenario: aliasedIcbmsg(0x10000),
    fixed: { label: 'both cores see the same addresses', scenario: aliasedIcbmsg(0) },
  },
  {
    id: 'F16',
    title: 'ICBMsg leaks blocks sent to a deregistered endpoint',
    story:
      'The radio core deregisters its endpoint while the application core streams to it. Legacy ICBMsg drops the data without releasing the blocks: the sender loses them for good, and the invariant checker reports them leaked. The hardened mode releases them.',
    scenario: icbmsgLeak('faithful'),
    fixed: { label: 'hardened ICBMsg', scenario: icbmsgLeak('hardened') },
  },
  {
    id: 'F26',
    title: 'send() from inside bound() with unbound = disable',
    story:
      'With unbound = disable, ICMsg calls bound() before it sets CONNECTED, so a send from inside bound() returns -EBUSY. With unbound = enable the order is the other way round and the send goes out.',
    scenario: patchEndpoints(icmsg({ name: 'F26: send in bound(), unbound = disable', unbound: 'disable' }), (e) =>
      e.domain === 'cpuapp' ? { ...e, sendInBound: 8 } : e,
    ),
    fixed: {
      label: 'unbound = enable',
      scenario: patchEndpoints(icmsg({ name: 'F26: send in bound(), unbound = enable' }), (e) =>
        e.domain === 'cpuapp' ? { ...e, sendInBound: 8 } : e,
      ),
    },
  },
];
