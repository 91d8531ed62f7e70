/** The scenario panel (demo, runtime, trace health) and the run figures (domains, endpoints). */
import { Segmented } from '../../components/Segmented';
import { DEMO_GROUPS, SCENARIOS } from '../../debug/demos';
import { FileControls } from '../../share/FileControls';
import { useAppStore } from '../../store/appStore';
import type { RuntimeMode, TraceView } from '../../run/RunController';
import type { Tracing } from '../../store/runSlice';

const MODES: readonly { mode: RuntimeMode; label: string; hint: string }[] = [
  { mode: 'inline', label: 'Inline', hint: 'every core on this thread, seeded and replayable' },
  { mode: 'workers', label: 'Workers', hint: 'a Web Worker per core over one SharedArrayBuffer' },
];

const TRACING: readonly { tracing: Tracing; label: string }[] = [
  { tracing: 'full', label: 'full: every event' },
  { tracing: 'sampled', label: 'sampled: one message in N' },
  { tracing: 'counters', label: 'counters only' },
];

const fmt = (n: number | null, digits = 0): string => (n === null ? '—' : n.toFixed(digits));

/**
 * The scenario being debugged: which demo, on which runtime (recorded in the scenario), what the
 * worker runtime traces, and what the trace kept and lost.
 */
export function ScenarioPanel() {
  const scenario = useAppStore((s) => s.scenario);
  const view = useAppStore((s) => s.runView);
  const problems = useAppStore((s) => s.runProblems);
  const shared = useAppStore((s) => s.sharedMemory);
  const setMode = useAppStore((s) => s.setRuntimeMode);
  const setTracing = useAppStore((s) => s.setTracing);
  const openScenario = useAppStore((s) => s.openScenario);
  const mode: RuntimeMode = scenario.runtime?.mode === 'workers' ? 'workers' : 'inline';
  const workersAvailable = shared !== 'probing' && shared.kind === 'shared';
  const tracing: Tracing = scenario.runtime?.tracing ?? 'full';
  const demo = SCENARIOS.find((d) => d.scenario.name === scenario.name);

  return (
    <section className="panel run-panel" aria-label="Scenario">
      <header className="panel-head">
        <h2>Scenario</h2>
      </header>
      <label className="scenario-pick">
        <span className="sr-only">Scenario</span>
        <select
          aria-label="Scenario"
          value={demo?.id ?? ''}
          onChange={(e) => {
            const next = SCENARIOS.find((d) => d.id === e.target.value);
            if (next) openScenario({ ...next.scenario, runtime: { ...next.scenario.runtime, mode } });
          }}
        >
          {!demo && <option value="">{scenario.name}</option>}
          {DEMO_GROUPS.map((group) => (
            <optgroup key={group} label={group}>
              {SCENARIOS.filter((d) => d.group === group).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.scenario.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {demo && <p className="note story">{demo.story}</p>}
      <div className="row">
        <Segmented
          label="Runtime"
          value={mode}
          options={MODES.map((m) => ({
            value: m.mode,
            label: m.label,
            hint: m.hint,
            disabled: m.mode === 'workers' && !workersAvailable,
          }))}
          onChange={setMode}
        />
        {mode === 'workers' && (
          <label title="What the worker threads record; the inline runtime records every event">
            Trace{' '}
            <select value={tracing} onChange={(e) => setTracing(e.target.value as Tracing)}>
              {TRACING.map((t) => (
                <option key={t.tracing} value={t.tracing}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!workersAvailable && shared !== 'probing' && (
        <p className="note">
          The worker runtime needs SharedArrayBuffer, which this tab does not have (see the banner above).
        </p>
      )}
      <p className="note">
        Recorded in the scenario:{' '}
        <code data-testid="scenario-runtime">{`"runtime": ${JSON.stringify(scenario.runtime ?? {})}`}</code>
      </p>
      {view && <TraceLine trace={view.trace} />}
      {problems.map((p) => (
        <p key={`${p.path}:${p.message}`} className="form-error" role="alert">
          {p.path}: {p.message}
        </p>
      ))}
      <FileControls />
    </section>
  );
}

/** Each domain's state and each endpoint's figures, as the runtime reports them. */
export function FiguresPanel() {
  const view = useAppStore((s) => s.runView);
  if (!view) return null;
  return (
    <section className="panel figures-panel" aria-label="Figures">
      <div className="run-tables">
        <table aria-label="Domains">
          <thead>
            <tr>
              <th>Domain</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {view.domains.map((d) => (
              <tr key={d.name} data-domain={d.name}>
                <td>{d.name}</td>
                <td title={d.error}>
                  {d.status}
                  {d.error ? ` — ${d.error}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {/* A scenario without IPC service endpoints (libipc ports, channels) has no such figures. */}
        {view.endpoints.length > 0 && (
          <table aria-label="Endpoints">
            <thead>
              <tr>
                <th>Endpoint</th>
                <th>Behaviour</th>
                <th>State</th>
                <th>Sent</th>
                <th>Received</th>
                <th>In order</th>
                <th>Gaps</th>
                <th>Corrupted</th>
                <th>Round trips</th>
                <th title="Round-trip time of the recent round trips: median, 99th percentile, mean over the run">
                  RTT µs p50 / p99 / mean
                </th>
              </tr>
            </thead>
            <tbody>
              {view.endpoints.map((e) => (
                <tr key={`${e.domain}/${e.instance}/${e.name}`} data-endpoint={`${e.domain}/${e.instance}/${e.name}`}>
                  <td>
                    {e.domain}/{e.instance}/{e.name}
                  </td>
                  <td>{e.behaviour}</td>
                  <td>{e.phase}</td>
                  <td data-field="sent">{e.sent}</td>
                  <td data-field="received">{e.received}</td>
                  <td data-field="inOrder">{e.inOrder}</td>
                  <td data-field="gaps">{e.gaps}</td>
                  <td data-field="corrupted">{e.corrupted}</td>
                  <td data-field="roundTrips">{e.roundTrips}</td>
                  <td data-field="rtt">
                    {fmt(e.rttP50Us, 1)} / {fmt(e.rttP99Us, 1)} / {fmt(e.rttMeanUs, 1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

const count = (n: number): string => n.toLocaleString('en-US');

/** What the trace kept and, loudly, everything it lost. */
function TraceLine({ trace }: { trace: TraceView }) {
  const lost = trace.overwritten + trace.ringDropped + trace.neverArrived + trace.late;
  return (
    <p className={lost > 0 ? 'note warn' : 'note'} data-testid="trace-health">
      Trace ({trace.mode}): {count(trace.kept)} events kept
      {trace.capacity === null ? '' : ` of ${count(trace.capacity)}`}
      {trace.overwritten > 0 && ` · ${count(trace.overwritten)} oldest overwritten (flight recorder full)`}
      {trace.ringDropped > 0 &&
        ` · ${count(trace.ringDropped)} dropped (a trace ring filled before the page drained it)`}
      {trace.neverArrived > 0 && ` · ${count(trace.neverArrived)} never arrived (a core stopped mid-record)`}
      {trace.late > 0 && ` · ${count(trace.late)} came after they were given up (a core was held up)`}
      {trace.sampledOut > 0 && ` · ${count(trace.sampledOut)} message events sampled out`}
    </p>
  );
}
