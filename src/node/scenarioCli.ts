/**
 * `npm run scenario -- <file.json | link> [options]`: runs a scenario headless and says what
 * happened, so IPC scenarios can be kept as regression tests in CI.
 *
 *   --runtime inline|workers   where it runs (the scenario's runtime.mode by default)
 *   --seed N                   the scheduler's seed (inline)
 *   --until idle|<n>us|<n>ms   inline: until nothing can run (default) or that much simulated time;
 *                              workers: that much real time (default 2000ms)
 *   --max-steps N              inline: at most this many scheduling decisions (default 2,000,000)
 *   --trace out.json           the trace as JSON (one object per event)
 *   --perfetto out.json        the trace in the Chrome/Perfetto trace-event format
 *
 * Prints the endpoints (bound, sent, received, errors), the faults that acted and every
 * invariant violation. Exit code: 0 when no invariant is violated (warnings are printed), 1 when
 * one is (severity error), 2 when the input or the options are wrong.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  buildWorld,
  checkTrace,
  decodeShareLink,
  InvariantChecker,
  parseScenario,
  type Scenario,
  applyUserAction,
  Timeline,
  toPerfetto,
  type TraceEvent,
  type UserAction,
  type Violation,
} from '../core';
import { WorkerRuntime } from '../runtime/workers/WorkerRuntime';
import { nodeWorkerFactory } from './nodeWorkers';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
}

export const nodeIo: CliIo = {
  out: (line) => console.log(line),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, text) => writeFileSync(path, text),
};

interface Options {
  readonly source: string;
  readonly runtime?: 'inline' | 'workers';
  readonly seed?: number;
  readonly until: { readonly kind: 'idle' } | { readonly kind: 'time'; readonly ns: number };
  readonly maxSteps: number;
  readonly trace?: string;
  readonly perfetto?: string;
}

const USAGE =
  'usage: npm run scenario -- <file.json | link> [--runtime inline|workers] [--seed N] [--until idle|<n>us|<n>ms] [--max-steps N] [--trace out.json] [--perfetto out.json]';

function parseArgs(argv: readonly string[]): Options | string {
  let source: string | undefined;
  const o: { -readonly [K in keyof Options]?: Options[K] } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string | undefined => argv[++i];
    switch (arg) {
      case '--runtime': {
        const v = value();
        if (v !== 'inline' && v !== 'workers') return `--runtime takes inline or workers, not ${v ?? 'nothing'}`;
        o.runtime = v;
        break;
      }
      case '--seed': {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) return '--seed takes an integer from 0 to 4294967295';
        o.seed = v;
        break;
      }
      case '--until': {
        const v = value() ?? '';
        const m = /^(\d+(?:\.\d+)?)(us|ms)$/.exec(v);
        if (v === 'idle') o.until = { kind: 'idle' };
        else if (m) o.until = { kind: 'time', ns: Number(m[1]) * (m[2] === 'ms' ? 1e6 : 1e3) };
        else return `--until takes idle, <n>us or <n>ms, not ${v || 'nothing'}`;
        break;
      }
      case '--max-steps': {
        const v = Number(value());
        if (!Number.isInteger(v) || v <= 0) return '--max-steps takes a positive integer';
        o.maxSteps = v;
        break;
      }
      case '--trace':
      case '--perfetto': {
        const v = value();
        if (!v) return `${arg} takes a file name`;
        if (arg === '--trace') o.trace = v;
        else o.perfetto = v;
        break;
      }
      default:
        if (arg.startsWith('--')) return `unknown option ${arg}`;
        if (source !== undefined) return `one scenario at a time (got ${source} and ${arg})`;
        source = arg;
    }
  }
  if (source === undefined) return 'which scenario? give a file or a share link';
  return { source, until: { kind: 'idle' }, maxSteps: 2_000_000, ...o };
}

/** The scenario a file or a share link holds, or why not. */
function load(source: string, io: CliIo): { scenario: Scenario } | string {
  const hash = source.includes('#s=') ? source.slice(source.indexOf('#s=')) : source.startsWith('s=') ? source : null;
  if (hash !== null) {
    const decoded = decodeShareLink(hash, 'cli');
    return decoded.ok ? { scenario: decoded.value.scenario } : decoded.error;
  }
  let text: string;
  try {
    text = io.readFile(source);
  } catch (error) {
    return `cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) return `${source}: ${parsed.error.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
  return { scenario: parsed.value };
}

interface EndpointLine {
  readonly key: string;
  readonly bound: boolean;
  readonly sent: number;
  readonly received: number;
  readonly errors: string;
}

interface RunResult {
  readonly events: readonly TraceEvent[];
  readonly endpoints: readonly EndpointLine[];
  readonly violations: readonly Violation[];
  readonly how: string;
}

function runInline(scenario: Scenario, o: Options): RunResult | string {
  const built = buildWorld(scenario);
  if (!built.ok) return built.error.map((e) => `${e.path}: ${e.message}`).join('; ');
  const w = built.value;
  // Through a timeline, as the app runs it: the scenario's actions taken by hand and forced
  // decisions (a share link's) happen at their decisions.
  const timeline = new Timeline<UserAction>(w.sim, {
    apply: (action) => applyUserAction(w, action),
    actions: scenario.actions.map((a) => ({ step: a.step, action: a.action })),
    decisions: scenario.decisions,
  });
  const outcome = timeline.run({
    maxSteps: o.maxSteps,
    ...(o.until.kind === 'time' ? { maxTimeNs: o.until.ns } : {}),
  });
  const events = w.sim.trace.events;
  // At quiescence every invariant is checked; stopped early, only those of the run so far.
  const violations =
    outcome === 'idle'
      ? checkTrace(scenario, events, w.sim.map.bytes)
      : (() => {
          const checker = new InvariantChecker(scenario);
          return events.flatMap((e) => checker.feed(e));
        })();
  const endpoints = [...w.endpoints].map(([key, r]) => ({
    key,
    bound: r.phase === 'bound' || r.phase === 'done',
    sent: r.stats.sent,
    received: r.stats.received,
    errors: Object.entries(r.stats.sendErrors)
      .map(([e, n]) => `-${e} ×${n}`)
      .concat(r.stats.errors)
      .join(', '),
  }));
  const limit =
    o.until.kind === 'time' && outcome === 'limit' && w.sim.steps < o.maxSteps
      ? `stopped at --until ${(o.until.ns / 1e6).toFixed(3)} ms`
      : `stopped after --max-steps ${o.maxSteps}`;
  const how = `${w.sim.steps} decisions, ${(w.sim.now / 1e6).toFixed(3)} ms simulated, ${outcome === 'idle' ? 'quiescent' : limit}`;
  return { events, endpoints, violations, how };
}

async function runWorkers(scenario: Scenario, o: Options): Promise<RunResult | string> {
  const created = WorkerRuntime.create(scenario, { factory: nodeWorkerFactory, trace: 'full' });
  if (!created.ok) return created.error.map((e) => `${e.path}: ${e.message}`).join('; ');
  const rt = created.value;
  try {
    const ms = o.until.kind === 'time' ? o.until.ns / 1e6 : 2000;
    rt.start();
    // The time counts from when every thread is up.
    if (!(await rt.whenReady())) return 'the worker threads did not start';
    await new Promise((resolve) => setTimeout(resolve, ms));
    rt.pause();
    rt.drain(true);
    const events = Array.from({ length: rt.store.length }, (_, i) => rt.store.get(i)).filter(
      (e): e is TraceEvent => e !== undefined,
    );
    const checker = new InvariantChecker(scenario);
    const violations = events.flatMap((e) => checker.feed(e));
    const endpoints = scenario.domains.flatMap((d) =>
      scenario.endpoints
        .filter((e) => e.domain === d.name)
        .map((spec, i) => {
          const f = rt.endpoint(d.name, i);
          return {
            key: `${spec.domain}/${spec.instance}/${spec.name}`,
            bound: f.bound > 0,
            sent: f.sent,
            received: f.received,
            errors: f.sendErrors > 0 ? `${f.sendErrors} send errors` : '',
          };
        }),
    );
    return { events, endpoints, violations, how: `${ms} ms of real time on ${scenario.domains.length} threads` };
  } finally {
    rt.dispose();
  }
}

/** Runs the CLI; resolves with the exit code. */
export async function runScenarioCli(argv: readonly string[], io: CliIo): Promise<number> {
  const o = parseArgs(argv);
  if (typeof o === 'string') {
    io.out(`error: ${o}`);
    io.out(USAGE);
    return 2;
  }
  const loaded = load(o.source, io);
  if (typeof loaded === 'string') {
    io.out(`error: ${loaded}`);
    return 2;
  }
  const runtime = o.runtime ?? loaded.scenario.runtime.mode;
  const scenario: Scenario = {
    ...loaded.scenario,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    runtime: { ...loaded.scenario.runtime, mode: runtime },
  };
  const result = runtime === 'inline' ? runInline(scenario, o) : await runWorkers(scenario, o);
  if (typeof result === 'string') {
    io.out(`error: ${result}`);
    return 2;
  }
  io.out(`${scenario.name} · seed ${scenario.seed} · ${runtime}`);
  io.out(`ran: ${result.how}; ${result.events.length} trace events`);
  if (result.endpoints.length > 0 || (!scenario.libipc && !scenario.channels)) {
    io.out('endpoints:');
    for (const e of result.endpoints) {
      io.out(
        `  ${e.key.padEnd(28)} ${e.bound ? 'bound  ' : 'UNBOUND'}  sent ${String(e.sent).padStart(6)}  received ${String(e.received).padStart(6)}${e.errors ? `  ${e.errors}` : ''}`,
      );
    }
  }
  if (scenario.libipc) {
    io.out('ports:');
    for (const line of portLines(result.events)) io.out(`  ${line}`);
  }
  if (scenario.channels) {
    io.out('tasks (as humility tasks):');
    for (const line of channelTaskLines(scenario, result.events)) io.out(`  ${line}`);
    io.out('channels:');
    for (const line of channelLines(result.events)) io.out(`  ${line}`);
  }
  const faults = new Map<string, number>();
  for (const e of result.events) if (e.kind === 'fault') faults.set(e.fault, (faults.get(e.fault) ?? 0) + 1);
  if (faults.size > 0) io.out(`faults acted: ${[...faults].map(([id, n]) => `${id} ×${n}`).join(', ')}`);
  const errors = result.violations.filter((v) => v.severity === 'error');
  io.out(`invariants: ${errors.length} violated, ${result.violations.length - errors.length} warnings`);
  for (const v of result.violations.slice(0, 50)) {
    io.out(
      `  ${v.severity.padEnd(7)} ${v.rule}: ${v.message} [${v.where}${v.firstSeq === undefined ? '' : `, from event #${v.firstSeq}`}]`,
    );
  }
  if (result.violations.length > 50) io.out(`  … and ${result.violations.length - 50} more`);
  const files: [string | undefined, () => string][] = [
    [o.trace, () => JSON.stringify(result.events)],
    [o.perfetto, () => JSON.stringify(toPerfetto(result.events, { title: scenario.name }))],
  ];
  for (const [path, text] of files) {
    if (path === undefined) continue;
    try {
      io.writeFile(path, text());
    } catch (error) {
      io.out(`error: cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }
  return errors.length > 0 ? 1 : 0;
}

/** Per libipc port: items sent and received, the peak fill, and what failed (timeouts, stale responses…). */
function portLines(events: readonly TraceEvent[]): string[] {
  const ports = new Map<
    string,
    { sent: number; received: number; peak: number; depth: number; failed: Map<string, number> }
  >();
  for (const e of events) {
    if (e.kind !== 'port') continue;
    let p = ports.get(e.port);
    if (!p) {
      p = { sent: 0, received: 0, peak: 0, depth: 0, failed: new Map() };
      ports.set(e.port, p);
    }
    if (e.depth !== undefined) p.depth = e.depth;
    if (e.op === 'send') {
      p.sent += 1;
      p.peak = Math.max(p.peak, e.fill ?? 0);
    } else if (e.op === 'recv') p.received += 1;
    else if (['send-timeout', 'send-failed', 'proto-timeout', 'proto-stale', 'proto-mismatch', 'reset'].includes(e.op))
      p.failed.set(e.op, (p.failed.get(e.op) ?? 0) + 1);
  }
  return [...ports].map(([name, p]) => {
    const failed = [...p.failed].map(([op, n]) => `${op} ×${n}`).join(', ');
    return `${name.padEnd(28)} sent ${String(p.sent).padStart(6)}  received ${String(p.received).padStart(6)}  peak ${p.peak}/${p.depth}${failed ? `  ${failed}` : ''}`;
  });
}

type ChannelEvent = Extract<TraceEvent, { kind: 'channel' }>;

/** Each channel task at the end of the run: ID, name, generation, priority, state and partner. */
function channelTaskLines(scenario: Scenario, events: readonly TraceEvent[]): string[] {
  const last = new Map<string, ChannelEvent>();
  const gen = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'channel') continue;
    gen.set(e.task, e.generation);
    if (e.op === 'state') last.set(e.task, e);
  }
  const tasks = scenario.channels?.tasks ?? [];
  const width = Math.max(4, ...tasks.map((t) => t.name.length));
  const lines = [`ID ${'TASK'.padEnd(width)} GEN PRI STATE`];
  tasks.forEach((t, id) => {
    const e = last.get(t.name);
    const state = e ? `${e.state ?? ''}${e.peer === undefined ? '' : ` ${e.peer}`}` : 'not started';
    const why = e?.state === 'FAULTED' && e.detail !== undefined ? ` (${e.detail})` : '';
    lines.push(
      `${String(id).padStart(2)} ${t.name.padEnd(width)} ${String(gen.get(t.name) ?? 0).padStart(3)} ${String(t.priority).padStart(3)} ${state}${why}`,
    );
  });
  return lines;
}

/** Per channel: messages by path, replies, and what went wrong (dead codes, timeouts, lost senders). */
function channelLines(events: readonly TraceEvent[]): string[] {
  const channels = new Map<
    string,
    { paths: Map<string, number>; calls: number; replies: number; problems: Map<string, number> }
  >();
  const of = (name: string) => {
    let c = channels.get(name);
    if (!c) channels.set(name, (c = { paths: new Map(), calls: 0, replies: 0, problems: new Map() }));
    return c;
  };
  /** The channel each task last sent on or received from, for the replies and problems it meets. */
  const on = new Map<string, string>();
  for (const e of events) {
    if (e.kind !== 'channel') continue;
    if (e.op === 'create' && e.channel !== undefined && e.detail?.startsWith('-') !== true) of(e.channel);
    if (e.op === 'send' && e.channel !== undefined) {
      const c = of(e.channel);
      const path = e.path ?? '?';
      c.paths.set(path, (c.paths.get(path) ?? 0) + 1);
      on.set(e.task, e.channel);
      if (e.peer !== undefined) on.set(e.peer, e.channel);
    }
    const channel = e.channel ?? on.get(e.task);
    if (channel === undefined) continue;
    if (e.op === 'reply' && e.msgId !== undefined) of(channel).replies += 1;
    if (e.op === 'dead' || e.op === 'timeout' || e.op === 'lost') {
      const p = of(channel).problems;
      p.set(e.op, (p.get(e.op) ?? 0) + 1);
    }
  }
  return [...channels].map(([name, c]) => {
    const sent = [...c.paths.values()].reduce((a, b) => a + b, 0);
    const paths = [...c.paths].map(([p, n]) => `${n} ${p}`).join(', ');
    const problems = [...c.problems].map(([op, n]) => `${op} ×${n}`).join(', ');
    return `${name.padEnd(20)} messages ${String(sent).padStart(5)}${paths ? ` (${paths})` : ''}  replies ${String(c.replies).padStart(5)}${problems ? `  ${problems}` : ''}`;
  });
}
