/**
 * The decoded field tree (Wireshark's packet details) as an ARIA tree: one treeitem per visible
 * field, named "label: value", with a roving tab stop. Keys: ↑/↓ move, → opens or goes to the first
 * child, ← closes or goes to the parent, Home/End, Enter/Space focuses the field (selects it
 * everywhere). Errors carry an error mark, packets their message's colour.
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { PbufField } from '../../../core';
import { messageColour } from '../../theme/colours';
import { UNKNOWN_MESSAGE_COLOUR } from './regionView';

interface Row {
  readonly field: PbufField;
  readonly depth: number;
  readonly parent: string | null;
  readonly open: boolean;
}

/** Children shown under one node; the rest are summarised (a 64 KiB ring may hold thousands). */
const MAX_CHILDREN = 200;

interface Props {
  readonly regionName: string;
  readonly fields: readonly PbufField[];
  readonly expanded: ReadonlySet<string>;
  readonly onToggle: (id: string) => void;
  readonly focusedId: string | null;
  readonly hoveredId: string | null;
  readonly onFocusField: (field: PbufField) => void;
  readonly onHoverField: (field: PbufField | null) => void;
  /** For a packet node: its name (#msgId or p<n>) and message. */
  readonly packetLabel: (field: PbufField) => { readonly name: string; readonly msgId: number | null } | null;
}

/**
 * The rows to draw: open nodes' children, at most MAX_CHILDREN of them plus the focused one, and
 * for each node cut short the number of children left out (keyed by the node's id).
 */
function visibleRows(
  fields: readonly PbufField[],
  expanded: ReadonlySet<string>,
  focusedId: string | null,
): { rows: Row[]; hidden: Map<string, number> } {
  const rows: Row[] = [];
  const hidden = new Map<string, number>();
  const onFocusPath = (f: PbufField): boolean =>
    focusedId !== null && (focusedId === f.id || focusedId.startsWith(`${f.id}/`));
  const walk = (level: readonly PbufField[], depth: number, parent: string | null): void => {
    level.forEach((field, i) => {
      if (i >= MAX_CHILDREN && !onFocusPath(field)) return;
      const open = field.children.length > 0 && expanded.has(field.id);
      rows.push({ field, depth, parent, open });
      if (open) walk(field.children, depth + 1, field.id);
    });
    if (parent !== null && level.length > MAX_CHILDREN) hidden.set(parent, level.length - MAX_CHILDREN);
  };
  walk(fields, 0, null);
  return { rows, hidden };
}

export function FieldTree(props: Props) {
  const { fields, expanded, onToggle, focusedId, hoveredId, onFocusField, onHoverField, packetLabel } = props;
  const { rows, hidden } = visibleRows(fields, expanded, focusedId);
  const [cursorId, setCursorId] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLDivElement>());
  const wantFocus = useRef(false);
  // The tab stop: the row the keyboard is on, else the focused field, else the first row.
  const stop =
    [cursorId, focusedId].find((id) => id !== null && rows.some((r) => r.field.id === id)) ?? rows[0]?.field.id;

  useEffect(() => {
    if (!wantFocus.current || stop === undefined) return;
    wantFocus.current = false;
    items.current.get(stop)?.focus();
  }, [stop]);

  const moveTo = (id: string | null | undefined) => {
    if (id === null || id === undefined) return;
    wantFocus.current = true;
    setCursorId(id);
  };

  const onKeyDown = (e: KeyboardEvent, row: Row, index: number) => {
    const { field } = row;
    const hasChildren = field.children.length > 0;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(rows[index + 1]?.field.id);
        break;
      case 'ArrowUp':
        moveTo(rows[index - 1]?.field.id);
        break;
      case 'Home':
        moveTo(rows[0]?.field.id);
        break;
      case 'End':
        moveTo(rows[rows.length - 1]?.field.id);
        break;
      case 'ArrowRight':
        if (hasChildren && !row.open) onToggle(field.id);
        else if (row.open) moveTo(field.children[0]?.id);
        break;
      case 'ArrowLeft':
        if (row.open) onToggle(field.id);
        else moveTo(row.parent);
        break;
      case 'Enter':
      case ' ':
        onFocusField(field);
        break;
      default:
        return;
    }
    // Handled here: not a global shortcut (Space would otherwise run the simulation).
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      className="ri-tree"
      role="tree"
      aria-label={`Fields of ${props.regionName}`}
      onMouseLeave={() => onHoverField(null)}
    >
      {rows.map((row, index) => {
        const { field } = row;
        const pk = field.kind === 'packet' ? packetLabel(field) : null;
        const label = pk ? `${pk.name} · ${field.label}` : field.label;
        const classes = [
          'ri-row',
          field.error ? 'error' : '',
          field.id === focusedId ? 'focused' : '',
          field.id === hoveredId ? 'hovered' : '',
        ].join(' ');
        return (
          <div
            key={field.id}
            ref={(el) => {
              if (el) items.current.set(field.id, el);
              else items.current.delete(field.id);
            }}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-expanded={field.children.length > 0 ? row.open : undefined}
            aria-selected={field.id === focusedId}
            aria-label={`${label}: ${field.value}${field.error ? ' (error)' : ''}`}
            tabIndex={field.id === stop ? 0 : -1}
            className={classes}
            style={{ paddingLeft: 4 + row.depth * 14 }}
            title={field.note || undefined}
            onClick={() => {
              setCursorId(field.id);
              onFocusField(field);
            }}
            onMouseEnter={() => onHoverField(field)}
            onKeyDown={(e) => onKeyDown(e, row, index)}
          >
            <span
              className="ri-twisty"
              aria-hidden="true"
              onClick={(e) => {
                if (field.children.length === 0) return;
                e.stopPropagation();
                onToggle(field.id);
              }}
            >
              {field.children.length === 0 ? '' : row.open ? '▾' : '▸'}
            </span>
            {pk && (
              <span
                className="ri-swatch"
                aria-hidden="true"
                style={{ background: pk.msgId === null ? UNKNOWN_MESSAGE_COLOUR : messageColour(pk.msgId) }}
              />
            )}
            {field.error && (
              <span className="ri-err" aria-hidden="true">
                ⚠
              </span>
            )}
            <span className="ri-label">{label}</span>
            <span className="ri-value">
              {field.value}
              {row.open && hidden.has(field.id) && ` · ${hidden.get(field.id)} not listed: click their bytes`}
            </span>
          </div>
        );
      })}
    </div>
  );
}
