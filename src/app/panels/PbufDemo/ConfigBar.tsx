import { useState } from 'react';
import type { PbufMode } from '../../../core';
import { useAppStore } from '../../store/appStore';
import { DCACHE_CHOICES, type DemoConfig } from './session';

/** The region's devicetree-like settings; applying them resets both cores over fresh memory. */
export function ConfigBar() {
  const config = useAppStore((s) => s.demoConfig);
  const problems = useAppStore((s) => s.demoConfigProblems);
  const reset = useAppStore((s) => s.demoReset);
  const [draft, setDraft] = useState<DemoConfig>(config);
  const [fillText, setFillText] = useState(config.fill.toString(16).padStart(2, '0'));
  const [fillError, setFillError] = useState<string | null>(null);

  const apply = () => {
    const fill = /^[0-9a-fA-F]{1,2}$/.test(fillText) ? parseInt(fillText, 16) : NaN;
    if (Number.isNaN(fill)) {
      setFillError(`"${fillText}" is not a byte in hex (00-ff)`);
      return;
    }
    setFillError(null);
    reset({ ...draft, fill });
  };

  return (
    <form
      className="config-bar"
      aria-label="Region configuration"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        Region size
        <input
          type="number"
          min={4}
          step={4}
          value={Number.isNaN(draft.regionSize) ? '' : draft.regionSize}
          onChange={(e) => setDraft({ ...draft, regionSize: e.target.valueAsNumber })}
        />
        <span className="unit">bytes</span>
      </label>
      <label>
        dcache-alignment
        <select
          value={draft.dcacheAlignment}
          onChange={(e) => setDraft({ ...draft, dcacheAlignment: Number(e.target.value) })}
        >
          {DCACHE_CHOICES.map((d) => (
            <option key={d} value={d}>
              {d === 0 ? '0 (absent)' : d}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.useHandshake}
          onChange={(e) => setDraft({ ...draft, useHandshake: e.target.checked })}
        />
        handshake word (ICMsg 1.1)
      </label>
      <label>
        Peer indices
        <select value={draft.mode} onChange={(e) => setDraft({ ...draft, mode: e.target.value as PbufMode })}>
          <option value="faithful">faithful (as Zephyr)</option>
          <option value="hardened">hardened (range-checked)</option>
        </select>
      </label>
      <label>
        Stale fill
        <span className="hex-prefix">0x</span>
        <input
          className="narrow"
          value={fillText}
          onChange={(e) => setFillText(e.target.value)}
          aria-label="Stale fill byte"
        />
      </label>
      <button type="submit">Reset region</button>
      {[...problems, ...(fillError ? [fillError] : [])].map((p) => (
        <p key={p} className="form-error" role="alert">
          {p}
        </p>
      ))}
    </form>
  );
}
