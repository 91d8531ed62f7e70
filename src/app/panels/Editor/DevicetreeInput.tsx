/**
 * Devicetree input: both cores' overlays pasted side by side become a scenario in the editor, or
 * a list of what the two sides disagree on, as it would bite on hardware.
 */
import { useState } from 'react';
import { type ConfigIssue, type ScenarioInput, scenarioFromDevicetree } from '../../../core';

export function DevicetreeInput({ onScenario }: { readonly onScenario: (scenario: ScenarioInput) => void }) {
  const [a, setA] = useState({ domain: 'cpuapp', dts: '' });
  const [b, setB] = useState({ domain: 'cpurad', dts: '' });
  const [issues, setIssues] = useState<readonly ConfigIssue[] | null>(null);
  const side = (s: typeof a, set: (s: typeof a) => void, which: string) => (
    <div className="dt-side">
      <label>
        Core {which}{' '}
        <input
          aria-label={`Core ${which} name`}
          value={s.domain}
          onChange={(e) => set({ ...s, domain: e.target.value.trim() })}
        />
      </label>
      <textarea
        aria-label={`Core ${which} overlay`}
        spellCheck={false}
        placeholder={'reserved-memory { … };\nipc { ipc0: ipc0 { compatible = "zephyr,ipc-icmsg"; … }; };'}
        value={s.dts}
        onChange={(e) => set({ ...s, dts: e.target.value })}
      />
    </div>
  );
  return (
    <details className="devicetree" open>
      <summary>From devicetree</summary>
      <p className="note">
        Paste the reserved-memory and ipc nodes of both cores’ overlays: regions are matched by address, and what the
        two sides disagree on is reported.
      </p>
      <div className="dt-sides">
        {side(a, setA, 'A')}
        {side(b, setB, 'B')}
      </div>
      <button
        type="button"
        onClick={() => {
          const made = scenarioFromDevicetree(a, b);
          if (made.ok) {
            setIssues([]);
            onScenario(made.value);
          } else setIssues(made.error);
        }}
      >
        Make a scenario
      </button>
      {issues !== null && issues.length > 0 && (
        <div role="alert">
          <ul className="editor-issues" aria-label="Devicetree problems">
            {issues.map((issue, i) => (
              <li key={`${issue.path}:${i}`}>
                <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {issues !== null && issues.length === 0 && (
        <p className="note" role="status">
          Made a scenario: it is in the editor.
        </p>
      )}
    </details>
  );
}
