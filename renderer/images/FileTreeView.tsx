import { useMemo, useRef, useState } from 'react';
import type { LayerTree } from '../../electron/contract';
import { formatBytes } from '../ui/format';
import { buildFileTree, type SortKey, searchTree, sortedChildren, visibleRows } from './file-tree';

/** Row height in px; every row has it, so the window of rows on screen is pure arithmetic. */
export const ROW_HEIGHT = 24;
/** Rows drawn above and below the viewport, so fast scrolling never shows a gap. */
const OVERSCAN = 10;
/** The viewport's height before the browser has measured it (and in tests). */
const DEFAULT_VIEWPORT = 480;

const CHANGE_LABEL: Record<string, string> = { a: 'added', m: 'modified', d: 'deleted', o: 'opaque: hides all below' };

/**
 * A layer's files as a virtualised tree: only the rows in view are in the DOM, so 100,000 entries scroll
 * smoothly. Searchable (matches shown in place with their folders opened), sortable by name or size, and a
 * keyboard tree: arrows move, Right/Left open and close, Home/End, PageUp/PageDown.
 */
export function FileTreeView({ columns, label }: { columns: LayerTree; label: string }) {
  const tree = useMemo(() => buildFileTree(columns), [columns]);
  const [sortKey, setSortKey] = useState<SortKey>('size');
  const children = useMemo(() => sortedChildren(tree, sortKey), [tree, sortKey]);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => searchTree(tree, query), [tree, query]);
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const rows = useMemo(() => visibleRows(children, expanded, shown), [children, expanded, shown]);
  const [active, setActive] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);
  const height = viewport.current?.clientHeight || DEFAULT_VIEWPORT;

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const activeRow = Math.min(active, rows.length - 1);
  const idOf = (node: number) => `${label.replace(/\W+/g, '-')}-node-${node}`;

  const toggle = (node: number, open?: boolean) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (open ?? !next.has(node)) next.add(node);
      else next.delete(node);
      return next;
    });

  const moveTo = (index: number) => {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    setActive(target);
    const el = viewport.current;
    if (!el) return;
    const top = target * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + height) el.scrollTop = top + ROW_HEIGHT - height;
    setScrollTop(el.scrollTop);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const row = rows[activeRow];
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const parentRow = () => (row ? rows.findIndex((r) => r.node === tree.parents[row.node]) : -1);
    switch (event.key) {
      case 'ArrowDown':
        moveTo(activeRow + 1);
        break;
      case 'ArrowUp':
        moveTo(activeRow - 1);
        break;
      case 'PageDown':
        moveTo(activeRow + page);
        break;
      case 'PageUp':
        moveTo(activeRow - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row?.hasChildren && !row.expanded && !shown) toggle(row.node, true);
        else if (row?.expanded) moveTo(activeRow + 1);
        break;
      case 'ArrowLeft':
        if (row?.expanded && !shown) toggle(row.node, false);
        else if (parentRow() >= 0) moveTo(parentRow());
        break;
      case 'Enter':
        if (row?.hasChildren && !shown) toggle(row.node);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div className="file-tree">
      <div className="toolbar">
        <input
          type="search"
          aria-label={`Search ${label}`}
          placeholder="Search paths"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <label>
          Sort by{' '}
          <select value={sortKey} onChange={(e) => setSortKey(e.target.value as SortKey)} aria-label="Sort files by">
            <option value="size">size</option>
            <option value="name">name</option>
          </select>
        </label>
        <span className="muted" data-testid="tree-count">
          {shown ? `${rows.length} rows match` : `${columns.paths.length} entries`}
        </span>
      </div>
      <div
        ref={viewport}
        className="file-tree-viewport"
        role="tree"
        aria-label={label}
        tabIndex={0}
        aria-activedescendant={rows[activeRow] ? idOf(rows[activeRow].node) : undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="file-tree-spacer" style={{ '--rows': rows.length } as React.CSSProperties}>
          {rows.slice(first, last).map((row, offset) => {
            const index = first + offset;
            const node = row.node;
            const change = tree.changes[node]!;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the tree takes the keys and points at the row (aria-activedescendant)
              <div
                key={node}
                id={idOf(node)}
                tabIndex={-1}
                role="treeitem"
                aria-level={row.depth + 1}
                aria-expanded={row.hasChildren ? row.expanded : undefined}
                aria-selected={index === activeRow}
                className={`file-row change-${change.trim() || 'none'}${index === activeRow ? ' active' : ''}`}
                style={{ '--row': index, '--depth': row.depth } as React.CSSProperties}
                onClick={() => {
                  setActive(index);
                  if (row.hasChildren && !shown) toggle(node);
                }}
              >
                <span className="file-twisty" aria-hidden="true">
                  {row.hasChildren ? (row.expanded ? '▾' : '▸') : ''}
                </span>
                <span className="file-name">{tree.names[node]}</span>
                {CHANGE_LABEL[change] && <span className="file-change">{CHANGE_LABEL[change]}</span>}
                <span className="file-size">{formatBytes(tree.totals[node]! || tree.sizes[node]!)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
