/** The headless CLI: a summary, exit codes CI can use, trace and Perfetto files. */
import { describe, expect, it } from 'vitest';
import {
  encodeShareLink,
  FAULT_PRESETS,
  CHANNELS_DEADLOCK,
  CHANNELS_SERVER_RESTART,
  ICMSG_HELLO,
  LIBIPC_BY_REFERENCE,
  LIBIPC_PROTO_STALE,
  type PerfettoTrace,
} from '../core';
import { type CliIo, runScenarioCli } from './scenarioCli';

function io(files: Record<string, string> = {}) {
  const lines: string[] = [];
  const written: Record<string, string> = {};
  const value: CliIo = {
    out: (line) => lines.push(line),
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    writeFile: (path, text) => {
      written[path] = text;
    },
  };
  return { io: value, lines, written };
}

const preset = (id: string) => {
  const p = FAULT_PRESETS.find((x) => x.id === id);
  if (!p?.fixed) throw new Error(id);
  return p;
};

describe('npm run scenario', () => {
  it('runs a healthy scenario from a file, prints the summary and exits 0', async () => {
    const t = io({ 'hello.json': JSON.stringify(ICMSG_HELLO) });
    expect(await runScenarioCli(['hello.json'], t.io)).toBe(0);
    const text = t.lines.join('\n');
    expect(text).toMatch(/cpuapp\/ipc0\/ep0\s+bound\s+sent\s+3\s+received\s+3/);
    expect(text).toMatch(/quiescent/);
    expect(text).toMatch(/invariants: 0 violated, 0 warnings/);
  });

  it('exits 1 when an invariant is violated (F16: leaked blocks), 0 for the hardened build', async () => {
    const f16 = preset('F16');
    const bad = io({ 'f16.json': JSON.stringify(f16.scenario) });
    expect(await runScenarioCli(['f16.json'], bad.io)).toBe(1);
    expect(bad.lines.join('\n')).toMatch(/error\s+blocks-leaked: block \d+ of sram_app_to_rad leaked/);
    const ok = io({ 'ok.json': JSON.stringify({ ...f16.fixed?.scenario, endpoints: f16.fixed?.scenario.endpoints }) });
    const code = await runScenarioCli(['ok.json'], ok.io);
    expect(ok.lines.join('\n')).not.toMatch(/blocks-leaked/);
    expect([0, 1]).toContain(code);
  });

  it('summarises libipc ports, and exits 1 on a by-reference object rewritten too early', async () => {
    const t = io({ 'proto.json': JSON.stringify(LIBIPC_PROTO_STALE) });
    expect(await runScenarioCli(['proto.json'], t.io)).toBe(0);
    expect(t.lines.join('\n')).toMatch(
      /key_manager_port\s+sent\s+5\s+received\s+5\s+peak 3\/4\s+proto-timeout ×1, proto-stale ×1/,
    );
    const bad = io({ 'byref.json': JSON.stringify(LIBIPC_BY_REFERENCE) });
    expect(await runScenarioCli(['byref.json'], bad.io)).toBe(1);
    expect(bad.lines.join('\n')).toMatch(/error\s+reference-overwritten: sensor_task rewrote/);
  });

  it('lists channel tasks as humility does and counts each channel; exits 1 on a deadlock', async () => {
    const restart = io({ 'restart.json': JSON.stringify(CHANNELS_SERVER_RESTART) });
    expect(await runScenarioCli(['restart.json'], restart.io)).toBe(0);
    const text = restart.lines.join('\n');
    expect(text).not.toMatch(/endpoints:/);
    expect(text).toMatch(/ID TASK\s+GEN PRI STATE\n\s+0 kv\s+1\s+2 RECEIVE_BLOCKED kv/);
    // 12 calls answered, and the one kv took before it panicked (its caller got the dead code).
    expect(text).toMatch(/kv\s+messages\s+13 \(13 register\)\s+replies\s+12\s+dead ×2/);
    const deadlock = io({ 'deadlock.json': JSON.stringify(CHANNELS_DEADLOCK) });
    expect(await runScenarioCli(['deadlock.json'], deadlock.io)).toBe(1);
    const d = deadlock.lines.join('\n');
    expect(d).toMatch(/\s+0 a\s+0\s+2 SEND_BLOCKED chan_b/);
    expect(d).toMatch(/error\s+deadlock: a cycle of blocked tasks/);
  });

  it('reads a share link, and writes the trace and a Perfetto file', async () => {
    const link = `https://example.org/ipc-scope/#${encodeShareLink(ICMSG_HELLO, '0.1.0')}`;
    const t = io();
    expect(await runScenarioCli([link, '--trace', 't.json', '--perfetto', 'p.json'], t.io)).toBe(0);
    const trace = JSON.parse(t.written['t.json'] ?? '[]') as unknown[];
    expect(trace.length).toBeGreaterThan(50);
    const perfetto = JSON.parse(t.written['p.json'] ?? '{}') as PerfettoTrace;
    const names = perfetto.traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'process_name')
      .map((e) => e.args?.name);
    expect(names).toEqual(['cpuapp', 'cpurad']);
    const flows = perfetto.traceEvents.filter((e) => e.ph === 's' || e.ph === 'f');
    expect(flows.filter((e) => e.ph === 's').length).toBe(flows.filter((e) => e.ph === 'f').length);
    expect(flows.length).toBeGreaterThan(0);
  });

  it('stops at --until and checks only what the run showed so far', async () => {
    const t = io({ 'f6.json': JSON.stringify(preset('F6').scenario) });
    await runScenarioCli(['f6.json', '--until', '300us'], t.io);
    expect(t.lines.join('\n')).toMatch(/ms simulated, stopped at --until 0\.300 ms/);
  });

  it('says what is wrong with bad input and exits 2', async () => {
    const cases: [string[], RegExp][] = [
      [[], /which scenario\?/],
      [['missing.json'], /cannot read missing\.json/],
      [['x.json', '--until', 'soon'], /--until takes idle/],
      [['x.json', '--runtime', 'gpu'], /--runtime takes inline or workers/],
      [['#s=1.broken'], /the link is damaged/],
      [['bad.json'], /bad\.json: seed: /],
    ];
    for (const [argv, message] of cases) {
      const t = io({ 'bad.json': JSON.stringify({ ...ICMSG_HELLO, seed: -1 }) });
      expect(await runScenarioCli(argv, t.io), argv.join(' ')).toBe(2);
      expect(t.lines[0], argv.join(' ')).toMatch(message);
    }
  });

  it('runs on the worker runtime too', async () => {
    const t = io({ 'hello.json': JSON.stringify(ICMSG_HELLO) });
    expect(await runScenarioCli(['hello.json', '--runtime', 'workers', '--until', '1000ms'], t.io)).toBe(0);
    expect(t.lines.join('\n')).toMatch(/cpuapp\/ipc0\/ep0\s+bound\s+sent\s+3\s+received\s+3/);
  });

  it('replays a link’s actions taken by hand, and says when an output file cannot be written', async () => {
    const withFault = {
      ...ICMSG_HELLO,
      actions: [
        {
          step: 5,
          action: {
            kind: 'fault' as const,
            fault: {
              id: 'poke',
              kind: 'corrupt-byte' as const,
              target: { region: 'sram_app_to_rad', field: 'offset' as const, offset: 200 },
              value: 0x5a,
            },
          },
        },
      ],
    };
    const t = io({ 'f.json': JSON.stringify(withFault) });
    await runScenarioCli(['f.json'], t.io);
    expect(t.lines.join('\n')).toMatch(/faults acted: poke ×1/);
    const bad: CliIo = {
      ...t.io,
      writeFile: () => {
        throw new Error('ENOENT: no such directory');
      },
    };
    expect(await runScenarioCli(['f.json', '--trace', 'nowhere/t.json'], bad)).toBe(2);
  });
});
