/**
 * A layer's flat columns (contract LayerTree) as a tree, built once in O(n): each node's children and its
 * subtree size. Rows for the screen are made lazily from it: only expanded directories are walked, so a
 * collapsed tree of 100,000 files costs a handful of rows. Search walks the paths once and opens the
 * ancestors of each match.
 */
import type { LayerTree } from '../../electron/contract';

export type SortKey = 'name' | 'size';

export interface FileTree {
  /** Node 0 is the root; nodes 1.. are the entries, then directories implied by a path but not listed. */
  names: string[];
  paths: string[];
  kinds: string[];
  changes: string[];
  /** Own size (bytes added, or hidden for d and o). */
  sizes: number[];
  /** Bytes added by the node and every descendant (what deletions hide is not added). */
  totals: number[];
  parents: number[];
  children: number[][];
}

export interface TreeRow {
  node: number;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
}

export function buildFileTree(columns: LayerTree): FileTree {
  const tree: FileTree = {
    names: [''],
    paths: [''],
    kinds: ['d'],
    changes: [' '],
    sizes: [0],
    totals: [0],
    parents: [-1],
    children: [[]],
  };
  const byPath = new Map<string, number>([['', 0]]);
  const nodeOf = (path: string): number => {
    const known = byPath.get(path);
    if (known !== undefined) return known;
    const slash = path.lastIndexOf('/');
    const parent = nodeOf(slash < 0 ? '' : path.slice(0, slash));
    const id = tree.names.length;
    tree.names.push(path.slice(slash + 1));
    tree.paths.push(path);
    tree.kinds.push('d');
    tree.changes.push(' ');
    tree.sizes.push(0);
    tree.totals.push(0);
    tree.parents.push(parent);
    tree.children.push([]);
    tree.children[parent]!.push(id);
    byPath.set(path, id);
    return id;
  };
  columns.paths.forEach((path, i) => {
    const id = nodeOf(path);
    tree.kinds[id] = columns.kinds[i] ?? 'o';
    tree.changes[id] = columns.changes[i] ?? ' ';
    tree.sizes[id] = columns.sizes[i] ?? 0;
  });
  // Children always come after their parent, so one pass from the end adds each subtree into its parent.
  for (let id = tree.names.length - 1; id > 0; id -= 1) {
    const hides = tree.changes[id] === 'd' || tree.changes[id] === 'o';
    tree.totals[id]! += hides ? 0 : tree.sizes[id]!;
    tree.totals[tree.parents[id]!]! += tree.totals[id]!;
  }
  return tree;
}

/** Sorts every directory's children once: by name (directories first), or by subtree size, biggest first. */
export function sortedChildren(tree: FileTree, key: SortKey): number[][] {
  const byName = (a: number, b: number) =>
    Number(tree.kinds[b] === 'd') - Number(tree.kinds[a] === 'd') || (tree.names[a]! < tree.names[b]! ? -1 : 1);
  const compare = key === 'size' ? (a: number, b: number) => tree.totals[b]! - tree.totals[a]! || byName(a, b) : byName;
  return tree.children.map((list) => (list.length > 1 ? [...list].sort(compare) : list));
}

/**
 * The nodes matching `query` (case-insensitive, anywhere in the path) and every ancestor of one, so the
 * tree can show each match in place. Null for an empty query.
 */
export function searchTree(tree: FileTree, query: string): Set<number> | null {
  const needle = query.trim().toLowerCase();
  if (!needle) return null;
  const shown = new Set<number>();
  for (let id = 1; id < tree.paths.length; id += 1) {
    if (!tree.paths[id]!.toLowerCase().includes(needle)) continue;
    for (let n = id; n > 0 && !shown.has(n); n = tree.parents[n]!) shown.add(n);
  }
  return shown;
}

/**
 * The rows on screen: a depth-first walk of the expanded directories (all of them while searching, limited
 * to the matches and their ancestors).
 */
export function visibleRows(children: number[][], expanded: ReadonlySet<number>, shown: Set<number> | null): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (node: number, depth: number) => {
    for (const child of children[node]!) {
      if (shown && !shown.has(child)) continue;
      const kids = children[child]!;
      const hasChildren = shown ? kids.some((k) => shown.has(k)) : kids.length > 0;
      const open = hasChildren && (shown !== null || expanded.has(child));
      rows.push({ node: child, depth, hasChildren, expanded: open });
      if (open) walk(child, depth + 1);
    }
  };
  walk(0, 0);
  return rows;
}
