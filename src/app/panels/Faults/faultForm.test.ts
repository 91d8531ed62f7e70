import { describe, expect, it } from 'vitest';
import {
  ICBMSG_THREE_ENDPOINTS,
  ICMSG_HELLO,
  LIBIPC_UI_POLLING,
  parseScenario,
  type Scenario,
  type ScenarioInput,
} from '../../../core';
import {
  buildFault,
  EMPTY_DRAFT,
  type FaultDraft,
  fieldsOf,
  nextFaultId,
  paramsOf,
  quickFault,
  resolveDraft,
  targetsOf,
} from './faultForm';
import { describeParams, describeSchedule, describeTarget } from './faultSummary';

function scenario(input: ScenarioInput): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error('the preset does not parse');
  return parsed.value;
}

const hello = targetsOf(scenario(ICMSG_HELLO));
const icbmsg = targetsOf(scenario(ICBMSG_THREE_ENDPOINTS));
const draft = (patch: Partial<FaultDraft>, targets = hello) => resolveDraft({ ...EMPTY_DRAFT, ...patch }, targets);

describe('the fault form', () => {
  it('offers the scenario’s channels, regions, domains and ICBMsg instances as targets', () => {
    expect(hello.channels).toEqual(['app_to_rad', 'rad_to_app']);
    expect(hello.domains).toEqual(['cpuapp', 'cpurad']);
    expect(hello.regions.map((r) => r.name)).toEqual(['sram_app_to_rad', 'sram_rad_to_app']);
    expect(hello.icbmsg).toEqual([]);
    expect(icbmsg.icbmsg.length).toBeGreaterThan(0);
  });

  it('asks only for what a kind reads', () => {
    expect(paramsOf('doorbell-drop')).toEqual(['channel']);
    expect(paramsOf('flip-bit')).toEqual(['memory', 'bit']);
    expect(paramsOf('kill')).toEqual(['domain']);
    expect(paramsOf('exhaust-blocks')).toEqual(['instance', 'durationUs']);
  });

  it('lists the fields of a region as its writer lays it out', () => {
    expect(fieldsOf(hello.regions[0])).toContain('handshake');
    expect(fieldsOf(hello.regions[0])).not.toContain('block-header');
    expect(fieldsOf(icbmsg.regions[0])).toContain('block-header');
  });

  it('offers a libipc scenario’s ports, tasks and struct members, and builds port faults from them', () => {
    const ui = targetsOf(scenario(LIBIPC_UI_POLLING));
    expect(ui.ports).toEqual(['ui_port', 'sysinfo_port']);
    expect(ui.tasks).toEqual(['ui_task', 'auth_task', 'sysinfo_task']);
    expect(ui.members['ui_port']).toEqual(['event', 'sequence', 'payload', 'percent', 'charging', 'millivolts']);
    expect(hello.ports).toEqual([]);
    const corrupt = buildFault(
      draft({ kind: 'port-corrupt', port: 'ui_port', member: 'sequence', value: '0x7f' }, ui),
      ui,
      'f1',
    );
    expect(corrupt).toMatchObject({
      ok: true,
      fault: { kind: 'port-corrupt', target: { port: 'ui_port', member: 'sequence' }, value: 0x7f },
    });
    expect(corrupt.ok && describeTarget(corrupt.fault)).toBe('ui_port.sequence');
    const stall = buildFault(draft({ kind: 'task-stall', task: 'ui_task', durationUs: '5000' }, ui), ui, 'f2');
    expect(stall.ok && `${describeTarget(stall.fault)} ${describeParams(stall.fault)}`).toBe('ui_task for 5000 µs');
    const delay = buildFault(draft({ kind: 'port-delay', port: 'ui_port', delayUs: '300' }, ui), ui, 'f3');
    expect(delay.ok && describeParams(delay.fault)).toBe('300 µs late');
    // A scenario without libipc has nothing to aim a port fault at.
    expect(buildFault(draft({ kind: 'port-drop' }), hello, 'f4')).toEqual({
      ok: false,
      issue: 'target.port: this scenario has no libipc port',
    });
  });

  it('builds a doorbell drop on one channel, or on every channel', () => {
    const one = buildFault(draft({ channel: 'rad_to_app' }), hello, 'f1');
    expect(one).toMatchObject({
      ok: true,
      fault: { id: 'f1', kind: 'doorbell-drop', target: { channel: 'rad_to_app' } },
    });
    const every = buildFault(draft({}), hello, 'f2');
    expect(every.ok && every.fault.target).toEqual({});
    expect(every.ok && describeTarget(every.fault)).toBe('every channel');
  });

  it('builds a memory fault with the field, offset and value typed, in decimal or hex', () => {
    const built = buildFault(
      draft({ kind: 'corrupt-byte', region: 'sram_rad_to_app', field: 'offset', offset: '0x10', value: '255' }),
      hello,
      'f3',
    );
    expect(built).toMatchObject({
      ok: true,
      fault: { kind: 'corrupt-byte', value: 255, target: { region: 'sram_rad_to_app', field: 'offset', offset: 16 } },
    });
    expect(built.ok && describeTarget(built.fault)).toBe('sram_rad_to_app +0x10');
    expect(built.ok && describeParams(built.fault)).toBe('write 0xff');
  });

  it('refuses what the schema refuses, naming the input and why', () => {
    const bad = buildFault(draft({ probability: '2' }), hello, 'f1');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issue).toMatch(/^probability: /);
    const nan = buildFault(draft({ kind: 'flip-bit', bit: 'nine' }), hello, 'f1');
    expect(!nan.ok && nan.issue).toMatch(/^bit: /);
    const big = buildFault(draft({ kind: 'flip-bit', bit: '8' }), hello, 'f1');
    expect(!big.ok && big.issue).toMatch(/^bit: /);
  });

  it('refuses targets the scenario does not have', () => {
    const past = buildFault(draft({ kind: 'flip-bit', field: 'offset', offset: '100000' }), hello, 'f1');
    expect(!past.ok && past.issue).toMatch(/^target\.offset: past the end of sram_app_to_rad/);
    const none = buildFault(draft({ kind: 'exhaust-blocks' }), hello, 'f1');
    expect(!none.ok && none.issue).toBe('target.instance: this scenario has no ICBMsg instance');
  });

  it('names an ICBMsg instance by domain and node', () => {
    const built = buildFault(draft({ kind: 'exhaust-blocks', durationUs: '200' }, icbmsg), icbmsg, 'f1');
    const [domain, node] = (icbmsg.icbmsg[0] ?? '').split('/');
    expect(built).toMatchObject({ ok: true, fault: { target: { domain, instance: node }, durationUs: 200 } });
  });

  it('aims cache faults only at cores that cache shared memory', () => {
    const refused = buildFault(draft({ kind: 'missing-flush' }), hello, 'f1');
    expect(!refused.ok && refused.issue).toMatch(/^target\.domain: no core of this scenario caches shared memory/);
    const cachedScenario = scenario({
      ...ICMSG_HELLO,
      domains: ICMSG_HELLO.domains.map((d) => (d.name === 'cpurad' ? { ...d, dcacheLine: 32 } : d)),
    });
    const cached = targetsOf(cachedScenario);
    expect(cached.cached).toEqual(['cpurad']);
    const built = buildFault(draft({ kind: 'stale-line', value: '2' }, cached), cached, 'f1');
    expect(built).toMatchObject({ ok: true, fault: { kind: 'stale-line', target: { domain: 'cpurad' }, value: 2 } });
    expect(built.ok && describeParams(built.fault)).toBe('its next 2 invalidates');
  });

  it('keeps the schedule typed, and says "now" for an empty one', () => {
    const built = buildFault(draft({ atUs: '120', afterMessages: '3', count: '2', probability: '0.5' }), hello, 'f1');
    expect(built).toMatchObject({
      ok: true,
      fault: { probability: 0.5, schedule: { atUs: 120, afterMessages: 3, count: 2 } },
    });
    expect(built.ok && describeSchedule(built.fault.schedule)).toBe('from 120 µs · after 3 msgs · at most 2×');
    expect(describeSchedule({})).toBe('now');
  });

  it('points stale selects at what the scenario has', () => {
    const resolved = resolveDraft({ ...EMPTY_DRAFT, region: 'gone', channel: 'gone', domain: 'gone' }, hello);
    expect(resolved).toMatchObject({ region: 'sram_app_to_rad', channel: 'app_to_rad', domain: 'cpuapp' });
  });

  it('numbers new faults after the highest id taken', () => {
    expect(nextFaultId([])).toBe('f1');
    expect(nextFaultId(['f1', 'f2', 'boot-stall'])).toBe('f3');
    expect(nextFaultId(['f7', 'f2'])).toBe('f8');
  });

  it('makes the quick actions act now', () => {
    expect(quickFault('stall', 'cpurad', 'f4')).toEqual({
      id: 'f4',
      kind: 'stall',
      target: { domain: 'cpurad' },
      schedule: {},
      durationUs: 100,
    });
    expect(quickFault('kill', 'cpuapp', 'f5')).toEqual({
      id: 'f5',
      kind: 'kill',
      target: { domain: 'cpuapp' },
      schedule: {},
    });
  });
});
