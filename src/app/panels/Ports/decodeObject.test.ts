import { describe, expect, it } from 'vitest';
import { LIBIPC_BY_REFERENCE, LIBIPC_PROTO_STALE, LIBIPC_UI_POLLING } from '../../../core';
import { derivedAt } from '../../debug/useDerived';
import { decodeObject, objectStatus, statusNote } from './decodeObject';
import { portsPlanOf } from './plan';
import { portHistoryOf } from './portHistory';
import { ranSession, seek } from './testing/ranSession';

const fieldsOf = (d: ReturnType<typeof decodeObject>): Record<string, unknown> =>
  d.kind === 'struct' ? Object.fromEntries(d.fields.map((f) => [f.name, f.value])) : {};

describe('decoding the object an ipc_ref_t points at', () => {
  it('UI polling, queue full: every item decodes from memory at the cursor; auth_task’s ui_event_t has event 7 and sequence counting up', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    // The send that fills the queue to its depth.
    const full = ui?.messages.find((m) => m.sendIndex === ui.fill.index[ui.fill.fill.indexOf(10)]);
    if (!ui || !full) throw new Error('the queue never filled');
    seek(s, full.sendIndex);
    const plan = portsPlanOf(s.scenario);
    if (!plan?.ok) throw new Error('no plan');
    const items = derivedAt(s).ports.get('ui_port')?.items ?? [];
    expect(items).toHaveLength(10);
    const mem = s.memory();
    const decoded = items.map((i) => ({
      item: i,
      d: decodeObject(plan.value, mem, s.scenario.memory.base, { port: 'ui_port', ...i }),
    }));
    const events = decoded.filter((x) => x.item.task === 'auth_task');
    expect(events.length).toBeGreaterThan(5);
    for (const { d } of events) {
      expect(d).toMatchObject({ kind: 'struct', struct: 'ui_event_t', tagName: 'IPC_UI_EVENT', lengthMismatch: false });
      expect(fieldsOf(d)['event']).toBe(7);
    }
    expect(events.map(({ d }) => fieldsOf(d)['sequence'])).toEqual(events.map((_, i) => i + 1));
    const battery = decoded.find((x) => x.item.task === 'sysinfo_task');
    expect(battery && fieldsOf(battery.d)).toEqual({ percent: 81, charging: true, millivolts: 3950 });
    // While queued, the bytes are the message's.
    const m = ui.messages.find((x) => x.msgId === items[0]?.msgId);
    expect(m && objectStatus(m, ui.writes, s.cursor)).toEqual({ kind: 'queued' });
  });

  it('after the receiver frees a mempool copy, the status says the bytes are what memory holds now (zeroed)', () => {
    const s = ranSession(LIBIPC_UI_POLLING);
    const ui = portHistoryOf(s.table).port('ui_port');
    const first = ui?.messages[0];
    if (!ui || !first) throw new Error('no messages');
    const status = objectStatus(first, ui.writes, s.table.length);
    expect(status).toEqual({ kind: 'freed', index: first.freeIndex });
    expect(statusNote(status, true)).toMatch(/freed.*what memory holds now/);
    expect(objectStatus(first, ui.writes, first.sendIndex)).toEqual({ kind: 'future' });
    expect(objectStatus(first, ui.writes, first.recvIndex + 1)).toEqual({ kind: 'received' });
  });

  it('by reference: a static object rewritten while an earlier item still points at it is flagged, with the newer sequence in memory', () => {
    const s = ranSession(LIBIPC_BY_REFERENCE);
    const ui = portHistoryOf(s.table).port('ui_port');
    if (!ui) throw new Error('no ui_port');
    const plan = portsPlanOf(s.scenario);
    if (!plan?.ok) throw new Error('no plan');
    const victim = ui.messages.find((m) => objectStatus(m, ui.writes, m.recvIndex).kind === 'rewritten');
    if (!victim) throw new Error('no rewritten message');
    expect(victim.owned).toBe(false);
    seek(s, victim.recvIndex);
    const status = objectStatus(victim, ui.writes, s.cursor);
    expect(status.kind).toBe('rewritten');
    expect(statusNote(status, false)).toMatch(/rewrote this object/);
    const d = decodeObject(plan.value, s.memory(), s.scenario.memory.base, victim);
    const sequence = fieldsOf(d)['sequence'];
    expect(typeof sequence).toBe('number');
    // Its own sequence number is its place among the sender's messages; memory holds a later one.
    const own = ui.messages.indexOf(victim) + 1;
    expect(sequence).toBeGreaterThan(own);
  });

  it('a routed proto shows its bytes; a tag the port does not have, NULL and a wild pointer say why nothing decodes', () => {
    const s = ranSession(LIBIPC_PROTO_STALE);
    const plan = portsPlanOf(s.scenario);
    if (!plan?.ok) throw new Error('no plan');
    const base = s.scenario.memory.base;
    const mem = s.memory();
    const proto = portHistoryOf(s.table)
      .port('key_manager_port')
      ?.messages.find((m) => m.tagName === 'IPC_PROTO_SIGN_DIGEST_CMD');
    if (!proto) throw new Error('no proto message');
    expect(decodeObject(plan.value, mem, base, proto)).toMatchObject({
      kind: 'proto',
      proto: 'fwpb_sign_digest_cmd',
    });
    const ref = { port: 'key_manager_port', tag: 0, length: 4, object: proto.object };
    expect(decodeObject(plan.value, mem, base, { ...ref, tag: 9 })).toMatchObject({ kind: 'none', reason: /tag 9/ });
    expect(decodeObject(plan.value, mem, base, { ...ref, object: 0 })).toMatchObject({ kind: 'none', reason: /NULL/ });
    expect(decodeObject(plan.value, mem, base, { ...ref, object: 0x1000 })).toMatchObject({
      kind: 'none',
      reason: /outside shared memory/,
    });
    expect(decodeObject(plan.value, mem, base, { ...ref, port: 'nope' })).toMatchObject({ kind: 'none' });
  });
});
