/**
 * A plain YAML text editor: a textarea (no wrapping, so a text line is a screen row) with line
 * numbers beside it and the lines that have issues marked, in the gutter and behind the text.
 * The parent asks for the caret on a line with `caret`; the editor says when it has put it there.
 */
import { useEffect, useRef, useState } from 'react';
import type { DefinitionIssue } from '../../../../core';
import { lineOffset } from './definitionsModel';

/** Pixels per line and the textarea's top padding: the gutter and the marks follow them. */
const LINE = 18;
const PAD = 6;

export interface CaretRequest {
  readonly file: string;
  readonly line: number;
}

export function YamlEditor(props: {
  readonly file: string;
  readonly text: string;
  readonly issues: readonly DefinitionIssue[];
  readonly caret: CaretRequest | null;
  readonly onCaretDone: () => void;
  readonly onChange: (text: string) => void;
}) {
  const { file, text, issues, caret, onCaretDone, onChange } = props;
  const area = useRef<HTMLTextAreaElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const lines = text.split('\n').length;
  const byLine = new Map<number, string[]>();
  for (const i of issues) byLine.set(i.line, [...(byLine.get(i.line) ?? []), i.message]);

  useEffect(() => {
    const ta = area.current;
    if (!caret || caret.file !== file || !ta) return;
    const at = lineOffset(ta.value, caret.line);
    ta.focus();
    ta.setSelectionRange(at, at);
    ta.scrollTop = Math.max(0, (caret.line - 1) * LINE - ta.clientHeight / 3);
    setScrollTop(ta.scrollTop);
    onCaretDone();
  }, [caret, file, onCaretDone]);

  return (
    <div className="yaml-editor">
      <div className="yaml-gutter" aria-hidden="true">
        <div style={{ transform: `translateY(${PAD - scrollTop}px)` }}>
          {Array.from({ length: lines }, (_, i) => {
            const messages = byLine.get(i + 1);
            return (
              <div key={i} className={messages ? 'bad' : undefined} title={messages?.join('\n')}>
                {i + 1}
              </div>
            );
          })}
        </div>
      </div>
      <div className="yaml-body">
        <div className="yaml-marks" aria-hidden="true" style={{ transform: `translateY(${-scrollTop}px)` }}>
          {[...byLine.keys()].map((line) => (
            <div key={line} className="yaml-mark" style={{ top: PAD + (line - 1) * LINE }} />
          ))}
        </div>
        <textarea
          ref={area}
          aria-label={`${file} YAML`}
          aria-invalid={issues.length > 0}
          className="yaml-text"
          spellCheck={false}
          wrap="off"
          autoCapitalize="off"
          autoComplete="off"
          value={text}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        />
      </div>
    </div>
  );
}
