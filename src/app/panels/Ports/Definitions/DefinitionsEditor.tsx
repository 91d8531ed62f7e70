/**
 * The libipc definitions editor: the open scenario's `*_ipc.yaml` files (or a template to play
 * with), checked as they are typed with the core's own checks, the generated code beside them,
 * and the edit applied back to the scenario — which reopens the debugger on it, as the scenario
 * editor's "Open in the debugger" does, only when the whole scenario is still accepted.
 *
 *   ┌ libipc ports: *_ipc.yaml · scenario · status ·························· Revert · Apply ┐
 *   ├ files │ YAML editor (line numbers, marked lines) ─┬ generated: .h | .ts | layout.json ┤
 *   │       │ issues (file:line: message → caret)       │ tags · struct layouts              │
 *   │       │ declared types                            │                                    │
 *   └───────┴───────────────────────────────────────────┴────────────────────────────────────┘
 */
import { useCallback, useEffect, useState } from 'react';
import { type ConfigIssue, type DefinitionIssue, formatIssue, type ScenarioInput } from '../../../../core';
import { LIBIPC_DEMOS } from '../../../debug/demos';
import { appStore, useAppStore } from '../../../store/appStore';
import {
  applyDraft,
  checkDraft,
  type Draft,
  draftChanged,
  draftFromScenario,
  newFileName,
  newFileText,
  portOf,
} from './definitionsModel';
import { FileBar } from './FileBar';
import { GeneratedOutput } from './GeneratedOutput';
import { TypesEditor } from './TypesEditor';
import { type CaretRequest, YamlEditor } from './YamlEditor';
import './definitions.css';

/** How long typing pauses before the files are checked again. */
const CHECK_DELAY_MS = 150;

type ApplyState =
  | { readonly kind: 'applied'; readonly problems: readonly ConfigIssue[] }
  | { readonly kind: 'refused'; readonly issues: readonly ConfigIssue[] };

export function DefinitionsEditor() {
  const scenario = useAppStore((s) => s.scenario);
  const openScenario = useAppStore((s) => s.openScenario);
  const setTab = useAppStore((s) => s.setTab);
  const [source, setSource] = useState<ScenarioInput>(scenario);
  const [draft, setDraft] = useState<Draft>(() => draftFromScenario(scenario).draft);
  const [check, setCheck] = useState(() => checkDraft(draft));
  const [selectedName, setSelected] = useState<string>('');
  const [caret, setCaret] = useState<CaretRequest | null>(null);
  const [applied, setApplied] = useState<ApplyState | null>(null);

  // Another scenario was opened (not by Apply here): start again from its files.
  if (source !== scenario) {
    const next = draftFromScenario(scenario).draft;
    setSource(scenario);
    setDraft(next);
    setCheck(checkDraft(next));
    setApplied(null);
    setCaret(null);
  }

  useEffect(() => {
    const id = setTimeout(() => setCheck((previous) => checkDraft(draft, previous)), CHECK_DELAY_MS);
    return () => clearTimeout(id);
  }, [draft]);

  const hasLibipc = scenario.libipc !== undefined;
  const changed = hasLibipc ? draftChanged(draft, scenario) : false;
  const files = draft.files.map((f) => f.file);
  const selected = files.includes(selectedName) ? selectedName : (files[0] ?? '');
  const file = draft.files.find((f) => f.file === selected);
  const allIssues: DefinitionIssue[] = check.files.flatMap((f) => f.issues);
  const onCaretDone = useCallback(() => setCaret(null), []);

  const edit = (next: Draft) => {
    setDraft(next);
    setApplied(null);
  };
  const setText = (text: string) =>
    edit({ ...draft, files: draft.files.map((f) => (f.file === selected ? { ...f, text } : f)) });
  const goTo = (issue: DefinitionIssue) => {
    setSelected(issue.file);
    setCaret({ file: issue.file, line: issue.line });
  };
  const apply = () => {
    const result = applyDraft(scenario, draft);
    if (!result.ok) {
      setApplied({ kind: 'refused', issues: result.issues });
      return;
    }
    // This editor already shows what it applies: keep the edit state when the scenario changes.
    setSource(result.scenario);
    openScenario(result.scenario);
    setApplied({ kind: 'applied', problems: appStore.getState().runProblems });
  };

  return (
    <div className="defs-page">
      <section className="panel defs-head" aria-label="libipc ports">
        <header className="panel-head">
          <h2>
            libipc ports: <code>*_ipc.yaml</code>
          </h2>
          <span className={`defs-state ${check.issueCount === 0 ? 'ok' : 'invalid'}`} role="status">
            {check.issueCount === 0
              ? 'valid'
              : `${check.issueCount} ${check.issueCount === 1 ? 'problem' : 'problems'}`}
          </span>
          <span className="defs-spacer" />
          <label>
            Scenario
            <select
              aria-label="Open a libipc demo"
              value={LIBIPC_DEMOS.find((d) => d.scenario.name === scenario.name)?.id ?? ''}
              onChange={(e) => {
                const demo = LIBIPC_DEMOS.find((d) => d.id === e.target.value);
                if (demo) openScenario(demo.scenario);
              }}
            >
              {!LIBIPC_DEMOS.some((d) => d.scenario.name === scenario.name) && (
                <option value="">{scenario.name}</option>
              )}
              {LIBIPC_DEMOS.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.scenario.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={!changed}
            onClick={() => edit(draftFromScenario(scenario).draft)}
            title="Back to the scenario's definitions"
          >
            Revert
          </button>
          <button
            type="button"
            className="defs-apply"
            disabled={!hasLibipc}
            onClick={apply}
            title={hasLibipc ? 'Write the files and types into the scenario and reopen the debugger on it' : undefined}
          >
            Apply to scenario
          </button>
        </header>
        {!hasLibipc && (
          <p className="note defs-banner">
            “{scenario.name}” has no libipc section: a scenario needs libipc tasks to run ports, so there is nothing to
            apply to. The file below is a playground: the generator still makes its code. Open a libipc demo to edit the
            ports of a running scenario.
          </p>
        )}
        {hasLibipc && changed && applied === null && (
          <p className="note defs-banner">Edited: Apply to run the debugger on these definitions.</p>
        )}
        <ApplyMessage state={applied} onDebugger={() => setTab('debugger')} />
      </section>

      <section className="panel defs-edit" aria-label="Definition files">
        <FileBar
          files={files}
          selected={selected}
          check={check}
          onSelect={setSelected}
          onAdd={() => {
            const name = newFileName(files);
            edit({ ...draft, files: [...draft.files, { file: name, text: newFileText(name) }] });
            setSelected(name);
          }}
          onRename={(from, to) => {
            edit({ ...draft, files: draft.files.map((f) => (f.file === from ? { ...f, file: to } : f)) });
            setSelected(to);
          }}
          onDelete={(name) => edit({ ...draft, files: draft.files.filter((f) => f.file !== name) })}
        />
        {file && (
          <YamlEditor
            key={file.file}
            file={file.file}
            text={file.text}
            issues={check.files.find((f) => f.file === file.file)?.issues ?? []}
            caret={caret}
            onCaretDone={onCaretDone}
            onChange={setText}
          />
        )}
        {allIssues.length > 0 ? (
          <ul className="defs-issues" aria-label="Definition problems">
            {allIssues.map((issue, i) => (
              <li key={`${formatIssue(issue)}:${i}`}>
                <button type="button" className="defs-issue" onClick={() => goTo(issue)} title="Put the caret on it">
                  {formatIssue(issue)}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="note defs-clean">No problems: the generator accepts every file.</p>
        )}
        <TypesEditor
          rows={draft.types}
          issues={check.typeIssues}
          unknown={check.unknownTypes}
          onChange={(types) => edit({ ...draft, types })}
        />
      </section>

      <GeneratedOutput check={check} file={selected} port={portOf(check, selected)} />
    </div>
  );
}

function ApplyMessage(props: { readonly state: ApplyState | null; readonly onDebugger: () => void }) {
  const { state, onDebugger } = props;
  if (state === null) return null;
  if (state.kind === 'refused')
    return (
      <div className="defs-refused" role="alert">
        <p>The scenario refuses these definitions; nothing changed:</p>
        <ul aria-label="Scenario problems">
          {state.issues.slice(0, 20).map((i, n) => (
            <li key={`${i.path}:${n}`}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      </div>
    );
  return (
    <div className="defs-applied" role="status">
      {state.problems.length === 0 ? (
        <span>Applied: the debugger runs the scenario with these definitions.</span>
      ) : (
        <span>
          Applied, but the run could not start: {state.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}
        </span>
      )}
      <button type="button" onClick={onDebugger}>
        Show in the debugger
      </button>
    </div>
  );
}
