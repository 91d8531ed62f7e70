/**
 * A fault in one line each: what it hits (`sram_app_to_rad.rd_idx`, `app_to_rad`, `cpurad`), its
 * kind's parameters (`50 µs late`, `-EIO`, `bit 3`) and when it acts (`from 120 µs · at most 2×`,
 * or `now`), as the fault list shows them.
 */
import type { Fault } from '../../../core';

const hex = (n: number) => `0x${n.toString(16)}`;

/** What a fault hits, in one short phrase. */
export function describeTarget(f: Fault): string {
  const t = f.target;
  switch (f.kind) {
    case 'doorbell-drop':
    case 'doorbell-delay':
    case 'doorbell-duplicate':
    case 'mbox-send-fail':
      return t.channel ?? 'every channel';
    case 'corrupt-byte':
    case 'flip-bit':
    case 'poke32':
      return memoryTarget(t);
    case 'stall':
    case 'warm-reset':
    case 'cold-reset':
    case 'kill':
    case 'missing-flush':
    case 'stale-line':
      return t.domain ?? '?';
    case 'exhaust-blocks':
    case 'misconfigure':
      return `${t.domain ?? '?'}/${t.instance ?? '?'}`;
    case 'port-drop':
    case 'port-delay':
    case 'port-duplicate':
      return t.port ?? 'every port';
    case 'port-corrupt':
      return `${t.port ?? '?'}${t.member === undefined ? '' : `.${t.member}`}`;
    case 'task-stall':
    case 'task-fault':
      return t.task ?? '?';
    case 'pool-exhaust':
      return 'mempool';
  }
}

function memoryTarget(t: Fault['target']): string {
  const region = t.region ?? '?';
  const k = t.offset ?? 0;
  const field = t.field ?? 'offset';
  switch (field) {
    case 'offset':
      return `${region} +${hex(k)}`;
    case 'payload':
    case 'control':
      return `${region} ${field}[${k}]`;
    case 'length':
      return `${region} length${k > 0 ? '[1]' : ''}`;
    case 'block-header':
      return `${region} block ${t.block ?? 0} header${k > 0 ? `[${k}]` : ''}`;
    case 'rd_idx':
    case 'wr_idx':
    case 'handshake':
      return `${region}.${field}`;
  }
}

/** The kind's parameters that matter, or '' when none. */
export function describeParams(f: Fault): string {
  switch (f.kind) {
    case 'doorbell-delay':
      return `${f.delayUs} µs late`;
    case 'doorbell-duplicate':
      return `again after ${f.delayUs} µs`;
    case 'mbox-send-fail':
      return `-${f.error}`;
    case 'corrupt-byte':
      return f.value === undefined ? 'random XOR' : `write ${hex(f.value & 0xff)}`;
    case 'flip-bit':
      return f.bit === undefined ? 'a random bit' : `bit ${f.bit}`;
    case 'poke32':
      return `write ${hex(f.value ?? 0)}`;
    case 'stall':
    case 'exhaust-blocks':
    case 'task-stall':
    case 'pool-exhaust':
      return f.durationUs === undefined ? 'for good' : `for ${f.durationUs} µs`;
    case 'task-fault':
      return f.durationUs === undefined ? 'held faulted' : `restarted after ${f.durationUs} µs`;
    case 'port-delay':
      return `${f.delayUs} µs late`;
    case 'port-duplicate':
      return 'twice';
    case 'port-corrupt':
      return f.value === undefined ? 'random XOR' : `write ${hex(f.value & 0xff)}`;
    case 'missing-flush':
      return `its next ${f.value ?? 1} flush${(f.value ?? 1) === 1 ? '' : 'es'}`;
    case 'stale-line':
      return `its next ${f.value ?? 1} invalidate${(f.value ?? 1) === 1 ? '' : 's'}`;
    case 'misconfigure':
      return Object.entries(f.set ?? {})
        .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' ');
    case 'doorbell-drop':
    case 'port-drop':
    case 'warm-reset':
    case 'cold-reset':
    case 'kill':
      return '';
  }
}

/** When a fault acts, in one line ("now" when its schedule is empty). */
export function describeSchedule(s: Fault['schedule']): string {
  const parts: string[] = [];
  if (s.atUs !== undefined) parts.push(`from ${s.atUs} µs`);
  if (s.atStep !== undefined) parts.push(`from decision ${s.atStep}`);
  if (s.afterMessages !== undefined) parts.push(`after ${s.afterMessages} msgs`);
  if (s.whenState) parts.push(`once ${s.whenState.machine} is ${s.whenState.state}`);
  if (s.flipFlop) parts.push(`on ${s.flipFlop.onUs} / off ${s.flipFlop.offUs} µs`);
  if (s.count !== undefined) parts.push(`at most ${s.count}×`);
  return parts.length === 0 ? 'now' : parts.join(' · ');
}
