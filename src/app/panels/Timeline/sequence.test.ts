import { describe, expect, it } from 'vitest';
import { LIBIPC_PROTO_STALE, LIBIPC_UI_POLLING, type TraceBody } from '../../../core';
import { runPreset } from '../../testing/presetTrace';
import { ColumnTrace } from '../../trace/TraceTable';
import { buildSequence, lifelinesOf } from './sequence';

const lifelines = lifelinesOf({
  endpoints: [
    { domain: 'cpuapp', instance: 'ipc0', name: 'ep0' },
    { domain: 'cpurad', instance: 'ipc0', name: 'ep0' },
  ],
});

const send = (msgId: number): TraceBody => ({
  kind: 'api',
  call: 'ipc_service_send',
  instance: 'ipc0',
  endpoint: 'ep0',
  result: 16,
  msgId,
  length: 16,
});
const written = (msgId: number): TraceBody => ({ kind: 'packet-written', region: 'tx', offset: 0, length: 16, msgId });
const received = (msgId: number): TraceBody => ({
  kind: 'callback',
  instance: 'ipc0',
  endpoint: 'ep0',
  callback: 'received',
  length: 16,
  msgId,
});

function tableOf(events: readonly [string, TraceBody][]): ColumnTrace {
  const table = new ColumnTrace();
  events.forEach(([domain, body], i) => table.append({ ...body, seq: i, t: i * 100, domain }));
  return table;
}

describe('buildSequence', () => {
  it('draws a message from the endpoint whose send carried it to the endpoint whose received() got it', () => {
    const table = tableOf([
      ['cpuapp', written(1)],
      ['cpuapp', send(1)],
      ['cpurad', { kind: 'packet-read', region: 'tx', offset: 0, length: 16, msgId: 1 }],
      ['cpurad', received(1)],
    ]);
    const model = buildSequence(table, lifelines, 0, table.length, 300);
    expect(model.messages).toEqual([
      { kind: 'message', msgId: 1, send: 1, receive: 3, from: 0, to: 1, sendRow: 0, receiveRow: 1, length: 16 },
    ]);
    expect(model.rows).toEqual([1, 3]);
  });

  it('puts callbacks, failed sends, state changes and lost doorbells as notes on the lifelines', () => {
    const table = tableOf([
      ['cpurad', { kind: 'doorbell-lost', channel: 'app_to_rad', reason: 'rx-disabled' }],
      ['cpuapp', { kind: 'transition', machine: 'icmsg', instance: 'ipc0', from: 'OFF', to: 'READY', event: 'OPEN' }],
      ['cpuapp', { kind: 'callback', instance: 'ipc0', endpoint: 'ep0', callback: 'bound' }],
      ['cpurad', { kind: 'api', call: 'ipc_service_send', instance: 'ipc0', endpoint: 'ep0', result: 'ENOMEM' }],
    ]);
    const model = buildSequence(table, lifelines, 0, table.length, 300);
    expect(model.notes.map((n) => [n.lifeline, n.tone, n.text])).toEqual([
      [1, 'problem', 'doorbell app_to_rad lost (rx-disabled)'],
      [0, 'state', 'OFF → READY'],
      [0, 'bound', 'bound()'],
      [1, 'problem', 'send failed: -ENOMEM'],
    ]);
    expect(model.messages).toEqual([]);
  });

  it('shows a message received in the window but sent before it as coming from outside', () => {
    const table = tableOf([
      ['cpuapp', send(4)],
      ['cpurad', received(4)],
    ]);
    const model = buildSequence(table, lifelines, 1, table.length, 300);
    expect(model.messages[0]).toMatchObject({ msgId: 4, send: -1, from: -1, receive: 1, to: 1 });
  });

  it('lays out at most `cap` messages, still receiving those shown, and counts all of them', () => {
    const events: [string, TraceBody][] = [];
    for (let id = 1; id <= 5; id++) events.push(['cpuapp', written(id)], ['cpuapp', send(id)]);
    events.push(['cpurad', received(1)], ['cpurad', received(4)]);
    const table = tableOf(events);
    const model = buildSequence(table, lifelines, 0, table.length, 2);
    expect(model.messages.map((m) => [m.msgId, m.receive >= 0])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(model).toMatchObject({ shown: 2, total: 5, truncated: true });
  });

  it('counts only sends as messages: packets written without one (a bonding magic) hide nothing', () => {
    const events: [string, TraceBody][] = [
      ['cpuapp', written(90)],
      ['cpurad', written(91)],
    ];
    for (let id = 1; id <= 3; id++)
      events.push(['cpuapp', written(id)], ['cpuapp', send(id)], ['cpurad', received(id)]);
    const table = tableOf(events);
    expect(buildSequence(table, lifelines, 0, table.length, 300)).toMatchObject({
      shown: 3,
      total: 3,
      truncated: false,
    });
  });

  it('pairs a received() traced before its send call (worker cores trace concurrently) as one message', () => {
    const table = tableOf([
      ['cpuapp', written(7)],
      ['cpurad', received(7)],
      ['cpuapp', send(7)],
    ]);
    const model = buildSequence(table, lifelines, 0, table.length, 300);
    expect(model.messages).toHaveLength(1);
    expect(model.messages[0]).toMatchObject({ msgId: 7, send: 2, from: 0, receive: 1, to: 1 });
  });
});

describe('buildSequence with libipc tasks', () => {
  const { scenario, table } = runPreset(LIBIPC_PROTO_STALE);
  const lines = lifelinesOf(scenario);
  const model = buildSequence(table, lines, 0, table.length, 300);
  const task = (name: string) => lines.findIndex((l) => l.name === name);

  it('gives each task a lifeline after the endpoints', () => {
    expect(lines.map((l) => [l.kind, l.key])).toEqual([
      ['task', 'mcu/libipc:key_manager_task'],
      ['task', 'mcu/libipc:refresh_task'],
      ['task', 'mcu/libipc:nfc_task'],
    ]);
    expect(lifelinesOf({ endpoints: [{ domain: 'a', instance: 'ipc0', name: 'ep0' }] })[0]?.kind).toBe('endpoint');
  });

  it('draws each item from the sending task to the receiving one, labelled with its tag and a command’s seq', () => {
    expect(model.messages.map((m) => [m.msgId, m.from, m.to, m.label, m.receive >= 0])).toEqual([
      [1, task('refresh_task'), task('key_manager_task'), 'IPC_KEY_MANAGER_REFRESH', true],
      [2, task('refresh_task'), task('key_manager_task'), 'IPC_KEY_MANAGER_REFRESH', true],
      [3, task('refresh_task'), task('key_manager_task'), 'IPC_KEY_MANAGER_REFRESH', true],
      [4, task('nfc_task'), task('key_manager_task'), 'IPC_PROTO_SIGN_DIGEST_CMD · seq 1', true],
      [5, task('nfc_task'), task('key_manager_task'), 'IPC_PROTO_SIGN_DIGEST_CMD · seq 2', true],
    ]);
    expect(model).toMatchObject({ shown: 5, total: 5, truncated: false });
  });

  it('replies stale to seq 1 (never reaching nfc_task) and answers seq 2', () => {
    expect(model.replies.map((r) => [r.seq, r.stale, r.from, r.to, r.receive >= 0])).toEqual([
      [1, true, task('key_manager_task'), task('nfc_task'), false],
      [2, false, task('key_manager_task'), task('nfc_task'), true],
    ]);
    const [stale, answered] = model.replies;
    expect(table.event(stale?.send ?? -1)).toMatchObject({ kind: 'port', op: 'proto-stale' });
    expect(table.event(answered?.send ?? -1)).toMatchObject({ kind: 'port', op: 'proto-response' });
    expect(table.event(answered?.receive ?? -1)).toMatchObject({ kind: 'port', op: 'done', task: 'nfc_task' });
    expect(answered?.receiveRow).toBeGreaterThan(answered?.sendRow ?? Infinity);
  });

  it('notes the timeout that retired seq 1 on the client', () => {
    expect(model.notes.map((n) => [n.lifeline, n.tone, n.text])).toEqual([
      [task('nfc_task'), 'problem', 'no response for seq 1: retired'],
    ]);
  });

  it('notes a send blocked on a full queue on the sending task', () => {
    const polling = runPreset(LIBIPC_UI_POLLING);
    const m = buildSequence(polling.table, lifelinesOf(polling.scenario), 0, polling.table.length, 300);
    const waits = m.notes.filter((n) => n.tone === 'wait');
    expect(waits.length).toBeGreaterThan(0);
    expect(new Set(waits.map((n) => m.lifelines[n.lifeline]?.name))).toEqual(new Set(['auth_task', 'sysinfo_task']));
    expect(waits[0]?.text).toBe('blocked: ui_port full');
  });
});
