// Review 9, batch D: checker after trace gaps, replay with faults, validation of duplicates, UI models on odd data.
import { it } from 'vitest';
import { checkTrace } from '../faults/invariants';
import { parseScenario } from '../scenario/parse';
import { LIBIPC_BY_REFERENCE_FIXED, LIBIPC_POWER_OFF_RESET, LIBIPC_TWO_CORES } from '../scenario/presets/libipc';
import type { TraceEvent } from '../trace/events';
import { portTopology, planOfScenario } from '../../app/panels/Topology/portTopology';
import { layoutPortSection, routeEdges } from '../../app/panels/Topology/portLayout';
import { brief, DEFS, run, rx, scenario, tx, world } from './review9h';

it('D1 a trace gap (lost records) makes the port checker report in-order / leaks that did not happen', () => {
  const r = run(LIBIPC_BY_REFERENCE_FIXED);
  console.log('D1 clean run violations', brief(r.violations));
  // Lose the first recv, its done and its free, as a full worker trace ring would, and say so with a trace-gap.
  const ev = [...r.events];
  const i = ev.findIndex((e) => e.kind === 'port' && e.op === 'recv');
  const first = ev[i] as TraceEvent & { msgId?: number };
  const lost = ev.filter((e, k) => k >= i && ((e.kind === 'port' && (e as { msgId?: number }).msgId === first.msgId && e.op !== 'send') || (e.kind === 'pool' && e.op === 'free' && (e as { msgId?: number }).msgId === first.msgId)));
  const kept = ev.filter((e) => !lost.includes(e));
  kept.splice(i, 0, { kind: 'trace-gap', lost: lost.length, reason: 'ring full', seq: first.seq, t: first.t, domain: 'mcu' } as TraceEvent);
  console.log('D1 after a gap of', lost.length, 'records:', brief(checkTrace(r.w.scenario, kept)));
});

it('D2 replay: snapshots mid-run with port faults pending replay the same events', () => {
  const input = {
    ...LIBIPC_TWO_CORES,
    faults: [
      { id: 'd', kind: 'port-delay', target: { port: 'ui_port' }, delayUs: 300, probability: 0.2 },
      { id: 'u', kind: 'port-duplicate', target: { port: 'ui_port' }, probability: 0.05 },
      { id: 'x', kind: 'pool-exhaust', durationUs: 200, schedule: { atUs: 2_000 } },
      { id: 's', kind: 'task-stall', target: { task: 'ui_task' }, durationUs: 500, schedule: { atUs: 1_000 } },
    ],
    runtime: { assert: 'continue' },
  } as typeof LIBIPC_TWO_CORES;
  const parsed = parseScenario(input);
  if (!parsed.ok) { console.log('D2 parse', parsed.error); return; }
  const w = world(input);
  const diffs: number[] = [];
  for (const at of [50, 300, 900, 1500, 2500]) {
    w.sim.run({ maxSteps: at });
    const snap = w.sim.snapshot();
    const mark = w.sim.trace.length;
    w.sim.run({ maxSteps: 3_000 });
    const a = w.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
    w.sim.restore(snap);
    w.sim.run({ maxSteps: 3_000 });
    const b = w.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
    const k = a.findIndex((x, j) => x !== b[j]);
    diffs.push(k === -1 && a.length === b.length ? -1 : k);
    if (k >= 0) console.log('D2 first diff at', at, a[k], '\n vs', b[k]);
    w.sim.restore(snap);
  }
  console.log('D2 diffs (-1 = identical)', diffs);
});

it('D3 replay across a device reset (boot loop)', () => {
  const w = world(LIBIPC_POWER_OFF_RESET);
  w.sim.run({ maxTimeNs: 200_000_000 });
  const snap = w.sim.snapshot();
  const mark = w.sim.trace.length;
  w.sim.run({ maxTimeNs: 900_000_000, maxSteps: 50_000 });
  const a = w.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
  w.sim.restore(snap);
  w.sim.run({ maxTimeNs: 900_000_000, maxSteps: 50_000 });
  const b = w.sim.trace.events.slice(mark).map((e) => JSON.stringify(e));
  console.log('D3 identical', JSON.stringify(a) === JSON.stringify(b), a.length, b.length);
});

it('D4 validation: a port listed twice, two files declaring one port, a declared type with align 3', () => {
  const base = scenario([rx(), tx()]);
  const lib = base.libipc!;
  const twice = parseScenario({ ...base, libipc: { ...lib, ports: [{ port: 'foo_port', depth: 2 }, { port: 'foo_port', depth: 8 }] } });
  console.log('D4 port twice ok?', twice.ok);
  const two = parseScenario({ ...base, libipc: { ...lib, definitions: [{ file: 'a_ipc.yaml', text: DEFS }, { file: 'b_ipc.yaml', text: DEFS.replace(/foo_msg_t/g, 'foo2_msg_t').replace(/foo_ping_t/g, 'foo2_ping_t') }] } });
  console.log('D4 one port in two files ok?', two.ok, two.ok ? '' : two.error.map((e) => e.message));
  const odd = parseScenario({ ...base, libipc: { ...lib, types: { weird_t: { size: 5, align: 3 } }, definitions: [{ file: 'foo_ipc.yaml', text: DEFS + '    - name: foo_w_t\n      fields:\n        - weird_t w\n        - uint8_t z\n' }] } });
  console.log('D4 align 3 ok?', odd.ok, odd.ok ? '' : odd.error.map((e) => e.message));
});

it('D5 UI models: libipc with no tasks, a port without receiver, an unrouted proto', () => {
  const noTasks = parseScenario(scenario([]));
  if (noTasks.ok) {
    const topo = portTopology(noTasks.value, planOfScenario(noTasks.value));
    console.log('D5 no tasks', JSON.stringify(topo));
    if (topo) console.log('D5 section', JSON.stringify(layoutPortSection(topo, 'mcu', 0, 200, 0)));
  } else console.log('D5 no tasks refused', noTasks.error);
  const noRx = parseScenario(scenario([tx()]));
  if (noRx.ok) {
    const topo = portTopology(noRx.value, planOfScenario(noRx.value));
    const s = topo && layoutPortSection(topo, 'mcu', 0, 200, 0);
    console.log('D5 no receiver', s && s.nodes.length, topo && s && routeEdges(topo, s.nodes, 220).length);
    const r = run(scenario([tx()]));
    console.log('D5 no receiver run', r.outcome, brief(r.violations));
  }
});
