/**
 * The "Add fault" form: a kind from the catalogue, then only the inputs that kind reads (its
 * target and parameters), then when it acts. Numbers are typed as text (decimal, or hex with 0x)
 * so that anything typed reaches the schema, which says what is wrong with it; nothing is acted
 * until the whole fault parses.
 */
import { useState } from 'react';
import {
  DOMAIN_FAULTS,
  DOORBELL_FAULTS,
  type Fault,
  type FaultKind,
  MEMORY_FAULTS,
  PORT_FAULTS,
  CHANNEL_FAULTS,
  PORT_SEND_FAULTS,
} from '../../../core';
import {
  buildFault,
  domainsFor,
  EMPTY_DRAFT,
  FIELD_LABELS,
  type FaultDraft,
  type FaultTargets,
  fieldOffset,
  fieldsOf,
  KIND_LABELS,
  MBOX_ERRORS,
  type MboxError,
  paramsOf,
  resolveDraft,
  tasksFor,
  usesOffset,
} from './faultForm';

const GROUPS: readonly { label: string; kinds: readonly FaultKind[] }[] = [
  { label: 'Doorbells (mailbox)', kinds: DOORBELL_FAULTS },
  { label: 'Shared memory', kinds: MEMORY_FAULTS },
  { label: 'Cores', kinds: DOMAIN_FAULTS },
  { label: 'Data cache', kinds: ['missing-flush', 'stale-line'] },
  { label: 'ICBMsg', kinds: ['exhaust-blocks'] },
  { label: 'libipc ports', kinds: [...PORT_SEND_FAULTS, ...PORT_FAULTS] },
  { label: 'Synchronous channels', kinds: CHANNEL_FAULTS },
];

interface Props {
  readonly targets: FaultTargets;
  /** The id the next fault gets. */
  readonly nextId: string;
  /** Acts the fault (the panel says if the run refused it). */
  readonly onAdd: (fault: Fault) => void;
  readonly onProblem: (problem: string) => void;
  /** An input changed: a problem shown for the last try no longer applies. */
  readonly onEdit: () => void;
}

function Text(props: {
  readonly label: string;
  readonly value: string;
  readonly placeholder?: string;
  readonly onChange: (value: string) => void;
}) {
  return (
    <label className="fp-field">
      <span>{props.label}</span>
      <input
        type="text"
        inputMode="decimal"
        spellCheck={false}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

function Choice(props: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly onChange: (value: string) => void;
  readonly wide?: boolean;
}) {
  return (
    <label className={props.wide === true ? 'fp-field wide' : 'fp-field'}>
      <span>{props.label}</span>
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        disabled={props.options.length === 0}
      >
        {props.options.length === 0 && <option value="">none in this scenario</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const plain = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

export function AddFaultForm({ targets, nextId, onAdd, onProblem, onEdit }: Props) {
  const [typed, setTyped] = useState<FaultDraft>(EMPTY_DRAFT);
  const draft = resolveDraft(typed, targets);
  const set = (patch: Partial<FaultDraft>) => {
    setTyped({ ...draft, ...patch });
    onEdit();
  };
  const params = paramsOf(draft.kind);
  const has = (p: (typeof params)[number]) => params.includes(p);
  const region = targets.regions.find((r) => r.name === draft.region);
  const fixedAt = region ? fieldOffset(region, draft.field) : null;
  const doorbell = has('channel');

  return (
    <form
      className="fp-form"
      aria-label="Add fault"
      onSubmit={(e) => {
        e.preventDefault();
        const built = buildFault(draft, targets, nextId);
        if (!built.ok) onProblem(built.issue);
        else onAdd(built.fault);
      }}
    >
      <label className="fp-field wide">
        <span>Kind</span>
        <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as FaultKind })}>
          {GROUPS.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.kinds.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {doorbell && (
        <Choice
          wide
          label="Channel"
          value={draft.channel}
          options={[{ value: '', label: 'every channel' }, ...plain(targets.channels)]}
          onChange={(channel) => set({ channel })}
        />
      )}
      {has('memory') && (
        <>
          <Choice
            label="Region"
            value={draft.region}
            options={plain(targets.regions.map((r) => r.name))}
            onChange={(r) => set({ region: r })}
          />
          <Choice
            label="Field"
            value={draft.field}
            options={fieldsOf(region).map((f) => ({ value: f, label: FIELD_LABELS[f] }))}
            onChange={(f) => set({ field: f as FaultDraft['field'] })}
          />
          {usesOffset(draft.field) && (
            <Text
              label={draft.field === 'offset' ? 'Offset' : 'Byte in field'}
              value={draft.offset}
              placeholder={draft.field === 'offset' && region ? `0–${region.size - 1}` : '0'}
              onChange={(offset) => set({ offset })}
            />
          )}
          {draft.field === 'block-header' && (
            <Text
              label="Block"
              value={draft.block}
              placeholder={`0–${Math.max(0, (region?.blocks?.blockCount ?? 1) - 1)}`}
              onChange={(block) => set({ block })}
            />
          )}
          {fixedAt !== null && (
            <p className="fp-hint wide">
              {draft.field} is at +0x{fixedAt.toString(16)} in {draft.region}; a word is hit in its low byte
            </p>
          )}
        </>
      )}
      {has('domain') && (
        <Choice
          label="Domain"
          value={draft.domain}
          options={plain(domainsFor(draft.kind, targets))}
          onChange={(d) => set({ domain: d })}
        />
      )}
      {has('instance') && (
        <Choice
          wide
          label="ICBMsg node"
          value={draft.instance}
          options={plain(targets.icbmsg)}
          onChange={(instance) => set({ instance })}
        />
      )}
      {has('port') && (
        <Choice label="Port" value={draft.port} options={plain(targets.ports)} onChange={(port) => set({ port })} />
      )}
      {has('member') && (
        <Choice
          label="Member"
          value={draft.member}
          options={[{ value: '', label: 'first byte' }, ...plain(targets.members[draft.port] ?? [])]}
          onChange={(member) => set({ member })}
        />
      )}
      {has('task') && (
        <Choice
          label="Task"
          value={draft.task}
          options={plain(tasksFor(draft.kind, targets))}
          onChange={(task) => set({ task })}
        />
      )}
      {has('value') && (
        <Text
          label="Value"
          value={draft.value}
          placeholder={draft.kind === 'poke32' ? '0x00000000' : 'random'}
          onChange={(value) => set({ value })}
        />
      )}
      {has('skips') && <Text label="Skips" value={draft.value} placeholder="1" onChange={(value) => set({ value })} />}
      {has('bit') && <Text label="Bit" value={draft.bit} placeholder="random" onChange={(bit) => set({ bit })} />}
      {has('delayUs') && <Text label="Delay µs" value={draft.delayUs} onChange={(delayUs) => set({ delayUs })} />}
      {has('durationUs') && (
        <Text
          label={draft.kind === 'task-fault' ? 'Restart after µs' : 'Duration µs'}
          value={draft.durationUs}
          placeholder={draft.kind === 'task-fault' ? 'never (held)' : 'for good'}
          onChange={(durationUs) => set({ durationUs })}
        />
      )}
      {has('error') && (
        <Choice
          label="Error"
          value={draft.error}
          options={MBOX_ERRORS.map((e) => ({ value: e, label: `-${e}` }))}
          onChange={(error) => set({ error: error as MboxError })}
        />
      )}
      <fieldset className="fp-schedule wide">
        <legend>When</legend>
        <Text label="At µs" value={draft.atUs} placeholder="now" onChange={(atUs) => set({ atUs })} />
        <Text
          label="After msgs"
          value={draft.afterMessages}
          placeholder="0"
          onChange={(afterMessages) => set({ afterMessages })}
        />
        <Text
          label="Count"
          value={draft.count}
          placeholder={doorbell ? '∞' : '1'}
          onChange={(count) => set({ count })}
        />
        <Text label="Probability" value={draft.probability} onChange={(probability) => set({ probability })} />
      </fieldset>
      <button type="submit" className="fp-add wide">
        Add fault {nextId}
      </button>
    </form>
  );
}
