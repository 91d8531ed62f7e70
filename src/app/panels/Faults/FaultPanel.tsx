/**
 * The Faults panel (DESIGN.md §3.7): every fault of the run, the scenario's and those added by
 * hand, with what it hits, when, how likely and how often it acted at the time cursor; a toggle
 * to arm or disarm each; quick actions per core (stall, warm and cold reset, kill, acting now);
 * and a form to add any fault of the catalogue.
 *
 * A fault is added or armed at the time cursor as a user action: in the inline runtime it is
 * recorded at the current decision (the future after it is a new branch), so the run replays with
 * it. What the run refuses (the worker runtime, for now) is shown here and in the playback bar.
 */
import { useState } from 'react';
import { useAppStore } from '../../store/appStore';
import { AddFaultForm } from './AddFaultForm';
import { KIND_LABELS, QUICK_ACTIONS, quickFault, targetsOf } from './faultForm';
import { type ActOutcome, actFault, addFault, faultsAt, nextIdAt } from './faultList';
import { describeParams, describeSchedule, describeTarget } from './faultSummary';
import './faults.css';

type Feedback = ActOutcome | { readonly ok: false; readonly text: string } | null;

export function FaultPanel() {
  const session = useAppStore((s) => s.session);
  // The faults and their counts live in the session: draw again whenever the run moves.
  useAppStore((s) => s.frame);
  const [feedback, setFeedback] = useState<Feedback>(null);

  if (!session) {
    return (
      <section className="panel fault-panel" aria-label="Faults">
        <header className="panel-head">
          <h2>Faults</h2>
        </header>
        <p className="empty">No run: open a scenario to inject faults.</p>
      </section>
    );
  }

  const listed = faultsAt(session);
  const fromScenario = new Set(session.scenario.faults.map((f) => f.id));
  const nextId = nextIdAt(session);
  const targets = targetsOf(session.scenario);

  return (
    <section className="panel fault-panel" aria-label="Faults">
      <header className="panel-head">
        <h2>Faults</h2>
        <span className="fp-count">
          {listed.length === 0 ? 'none' : `${listed.length} · ${listed.filter((l) => l.fault.armed).length} armed`}
        </span>
      </header>
      {listed.length > 0 && (
        <ul className="fp-list" aria-label="Fault list">
          {listed.map(({ fault, acted }) => (
            <li
              key={fault.id}
              className={fault.armed ? 'fp-fault' : 'fp-fault off'}
              data-fault={fault.id}
              data-acted={acted ?? ''}
            >
              <div className="fp-line">
                <span className="fp-id">{fault.id}</span>
                <span className="fp-kind">{KIND_LABELS[fault.kind]}</span>
                <button
                  type="button"
                  className={fault.armed ? 'fp-arm on' : 'fp-arm'}
                  aria-label={`${fault.armed ? 'Disarm' : 'Arm'} fault ${fault.id}`}
                  title={fault.armed ? 'Armed: click to disarm from here on' : 'Disarmed: click to arm from here on'}
                  onClick={() =>
                    setFeedback(
                      actFault(
                        session,
                        { kind: 'arm', id: fault.id, armed: !fault.armed },
                        `${fault.armed ? 'Disarmed' : 'Armed'} ${fault.id}`,
                      ),
                    )
                  }
                >
                  {fault.armed ? 'armed' : 'disarmed'}
                </button>
              </div>
              <div className="fp-meta">
                <span className={acted ? 'fp-acted hit' : 'fp-acted'}>
                  {acted === null ? 'acted ?' : `acted ${acted}×`}
                </span>
                <span className="fp-target">{describeTarget(fault)}</span>
                {[
                  describeParams(fault),
                  describeSchedule(fault.schedule),
                  fault.probability < 1 ? `p ${fault.probability}` : '',
                  fromScenario.has(fault.id) ? 'from the scenario' : '',
                ]
                  .filter((s) => s !== '')
                  .map((s) => ` · ${s}`)
                  .join('')}
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="fp-quick" role="group" aria-label="Quick actions on a core">
        {targets.domains.map((domain) => (
          <div key={domain} className="fp-quick-row">
            <span className="fp-quick-domain" title={domain}>
              {domain}
            </span>
            {QUICK_ACTIONS.map((q) => (
              <button
                key={q.kind}
                type="button"
                aria-label={q.label(domain)}
                title={`${q.label(domain)}, now`}
                onClick={() =>
                  setFeedback(addFault(session, quickFault(q.kind, domain, nextId), `${KIND_LABELS[q.kind]} ${domain}`))
                }
              >
                {q.label(domain).replace(` ${domain}`, '')}
              </button>
            ))}
          </div>
        ))}
      </div>
      <details className="fp-add-box" open>
        <summary>Add fault</summary>
        <AddFaultForm
          targets={targets}
          nextId={nextId}
          onAdd={(fault) =>
            setFeedback(addFault(session, fault, `${KIND_LABELS[fault.kind]} on ${describeTarget(fault)}`))
          }
          onProblem={(text) => setFeedback({ ok: false, text })}
          onEdit={() => setFeedback((shown) => (shown?.ok === false ? null : shown))}
        />
      </details>
      {feedback?.ok === false && (
        <p className="fp-problem" role="alert">
          {feedback.text}
        </p>
      )}
      {feedback?.ok === true && (
        <p className="fp-done" role="status">
          {feedback.text}
        </p>
      )}
    </section>
  );
}
