/**
 * The scenario editor and the gallery: the open scenario as JSON, checked as you type (a JSON
 * error with its line and column, or every issue by path and rule), opened in the debugger when
 * valid; beside it every preset with its one-line story, to open or to start editing from.
 */
import { useState } from 'react';
import type { ScenarioInput } from '../../../core';
import { type Demo, DEMO_GROUPS, SCENARIOS } from '../../debug/demos';
import { useAppStore } from '../../store/appStore';
import { DevicetreeInput } from './DevicetreeInput';
import { checkScenarioText, scenarioText } from './editorModel';
import './editor.css';

export function ScenarioEditor() {
  const open = useAppStore((s) => s.scenario);
  const openScenario = useAppStore((s) => s.openScenario);
  const setTab = useAppStore((s) => s.setTab);
  const [text, setText] = useState(() => scenarioText(open));
  const check = checkScenarioText(text);
  const load = (scenario: ScenarioInput) => setText(scenarioText(scenario));
  const run = (scenario: ScenarioInput) => {
    openScenario(scenario);
    setTab('debugger');
  };

  return (
    <div className="editor-page">
      <section className="panel editor" aria-label="Scenario editor">
        <header className="panel-head">
          <h2>Scenario editor</h2>
          <span className={`editor-state ${check.kind}`} role="status">
            {check.kind === 'ok'
              ? 'valid'
              : check.kind === 'json'
                ? 'not JSON'
                : `${check.issues.length} ${check.issues.length === 1 ? 'problem' : 'problems'}`}
          </span>
        </header>
        <textarea
          aria-label="Scenario JSON"
          className="editor-text"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {check.kind === 'json' && (
          <p className="editor-issue" role="alert">
            {check.message}
          </p>
        )}
        {check.kind === 'invalid' && (
          <div role="alert">
            <ul className="editor-issues" aria-label="Problems">
              {check.issues.slice(0, 50).map((issue, i) => (
                <li key={`${issue.path}:${i}`}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="editor-actions">
          <button
            type="button"
            disabled={check.kind !== 'ok'}
            onClick={() => check.kind === 'ok' && run(check.scenario)}
          >
            Open in the debugger
          </button>
          <button type="button" onClick={() => load(open)}>
            Back to the open scenario
          </button>
        </div>
      </section>
      <section className="panel gallery" aria-label="Gallery">
        <header className="panel-head">
          <h2>Gallery</h2>
        </header>
        <DevicetreeInput onScenario={load} />
        {DEMO_GROUPS.map((group) => (
          <div key={group} className="gallery-group">
            <h3>{group}</h3>
            <ul className="gallery-cards">
              {SCENARIOS.filter((d) => d.group === group).map((d) => (
                <GalleryCard key={d.id} demo={d} onOpen={() => run(d.scenario)} onEdit={() => load(d.scenario)} />
              ))}
            </ul>
          </div>
        ))}
      </section>
    </div>
  );
}

function GalleryCard({ demo, onOpen, onEdit }: { demo: Demo; onOpen: () => void; onEdit: () => void }) {
  return (
    <li className="gallery-card" data-scenario={demo.id}>
      <strong>{demo.scenario.name}</strong>
      <p>{demo.story}</p>
      <div>
        <button type="button" onClick={onOpen} aria-label={`Open ${demo.scenario.name}`}>
          Open
        </button>
        <button type="button" onClick={onEdit} aria-label={`Edit ${demo.scenario.name}`}>
          Edit
        </button>
      </div>
    </li>
  );
}
