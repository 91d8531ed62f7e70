/**
 * A segmented radio group: one of a few options, each a button with role `radio`. As the WAI-ARIA
 * radio group pattern asks, the group is one tab stop (the checked option) and the arrow keys
 * move the choice.
 */
import type { KeyboardEvent } from 'react';

export interface SegmentedOption<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly hint?: string;
  readonly disabled?: boolean;
}

export function Segmented<T extends string>(props: {
  readonly label: string;
  readonly value: T;
  readonly options: readonly SegmentedOption<T>[];
  readonly onChange: (value: T) => void;
}) {
  const enabled = props.options.filter((o) => o.disabled !== true);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0 || enabled.length === 0) return;
    e.preventDefault();
    const at = enabled.findIndex((o) => o.value === props.value);
    const next = enabled[(at + step + enabled.length) % enabled.length];
    if (!next) return;
    props.onChange(next.value);
    const button = e.currentTarget.querySelector<HTMLButtonElement>(`[data-value="${next.value}"]`);
    button?.focus();
  };
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label} onKeyDown={onKeyDown}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          data-value={o.value}
          aria-checked={props.value === o.value}
          tabIndex={props.value === o.value ? 0 : -1}
          className={props.value === o.value ? 'on' : ''}
          title={o.hint}
          disabled={o.disabled}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
