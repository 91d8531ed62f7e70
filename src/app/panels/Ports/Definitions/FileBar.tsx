/**
 * The definition files as tabs (each with its issue count), and adding, renaming and deleting
 * files. A name must be one libipc's generator reads (`*ipc.yaml`) and not taken.
 */
import { useState } from 'react';
import { type DraftCheck, fileNameProblem, issuesOf } from './definitionsModel';

export function FileBar(props: {
  readonly files: readonly string[];
  readonly selected: string;
  readonly check: DraftCheck;
  readonly onSelect: (file: string) => void;
  readonly onAdd: () => void;
  readonly onRename: (from: string, to: string) => void;
  readonly onDelete: (file: string) => void;
}) {
  const { files, selected, check, onSelect, onAdd, onRename, onDelete } = props;
  /** The rename being typed (for the selected file), or null when not renaming. */
  const [renaming, setRenaming] = useState<string | null>(null);
  const problem =
    renaming === null
      ? null
      : fileNameProblem(
          renaming,
          files.filter((f) => f !== selected),
        );
  const commit = () => {
    if (renaming === null || problem !== null) return;
    if (renaming !== selected) onRename(selected, renaming);
    setRenaming(null);
  };

  return (
    <div className="defs-files">
      <div className="defs-file-tabs" role="tablist" aria-label="Definition files">
        {files.map((f) => {
          const n = issuesOf(check, f).length;
          return (
            <button
              key={f}
              type="button"
              role="tab"
              aria-selected={f === selected}
              className={f === selected ? 'on' : ''}
              onClick={() => {
                setRenaming(null);
                onSelect(f);
              }}
            >
              {f}
              {n > 0 && (
                <span className="defs-count" aria-label={`${n} ${n === 1 ? 'problem' : 'problems'}`}>
                  {n}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <button type="button" className="defs-add" onClick={onAdd} title="A new definition file (a new port)">
        + Add file
      </button>
      <div className="defs-file-actions">
        {renaming === null ? (
          <>
            <button type="button" onClick={() => setRenaming(selected)}>
              Rename
            </button>
            <button
              type="button"
              disabled={files.length <= 1}
              title={files.length <= 1 ? 'A libipc section needs one definition file at least' : `Delete ${selected}`}
              onClick={() => onDelete(selected)}
            >
              Delete
            </button>
          </>
        ) : (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              commit();
            }}
          >
            <input
              aria-label="File name"
              aria-invalid={problem !== null}
              value={renaming}
              spellCheck={false}
              autoFocus
              onChange={(e) => setRenaming(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
            />
            <button type="submit" disabled={problem !== null}>
              Rename
            </button>
            <button type="button" onClick={() => setRenaming(null)}>
              Cancel
            </button>
            {problem && (
              <p className="form-error" role="alert">
                {problem}
              </p>
            )}
          </form>
        )}
      </div>
    </div>
  );
}
