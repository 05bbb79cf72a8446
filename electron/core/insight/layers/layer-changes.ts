/**
 * What each layer does to the image's filesystem, and what it wastes. Layers are applied bottom first, the
 * way overlay filesystems stack them: a whiteout `.wh.<name>` deletes <name> (and all under it) from the layers
 * below, an opaque whiteout `.wh..wh..opq` hides everything below in its directory, and any other entry adds a
 * path or replaces the one below.
 *
 * Wasted bytes count only superseded copies: a file's copy is wasted when a later layer overwrites or deletes
 * it; the copy that stays visible is not waste, and a file present once wastes nothing. (dive #684 counts every
 * copy of a file that appears in two layers, the surviving one included, so it reports too much.)
 */
import type { EntryKind, LayerListing } from './layer-listing';

/** One character per entry: a added, m modified (replaces a path below), d deleted (whiteout), o opaque. */
export type Change = 'a' | 'm' | 'd' | 'o';

/** One layer's entries with their change; whiteout markers are replaced by the paths they delete. */
export interface LayerChanges {
  paths: string[];
  kinds: EntryKind[];
  changes: Change[];
  /** Bytes added for a and m; for d and o, the bytes of the lower copies they hide. */
  sizes: number[];
  digests: string[];
  /** Bytes this layer adds (what `docker history` reports for it). */
  size: number;
  /** Bytes of this layer that later layers overwrite or delete. */
  wastedBytes: number;
  added: number;
  modified: number;
  deleted: number;
}

export interface WastedPath {
  path: string;
  /** Copies superseded (not counting the one that stays, if one does). */
  copies: number;
  bytes: number;
}

export interface ImageChanges {
  layers: LayerChanges[];
  /** Sum of the layer sizes. */
  size: number;
  wastedBytes: number;
  /** Share of the image's bytes that stay visible: 1 - wasted / size (1 for an empty image). */
  efficiency: number;
  /** The paths that waste the most, biggest first. */
  wasted: WastedPath[];
  /** Entries visible in the final filesystem. */
  files: number;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const TOP_WASTED = 100;

interface Live {
  layer: number;
  size: number;
  kind: EntryKind;
}

const parentOf = (path: string) => {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
};

/** The visible filesystem while layers are applied: each path's current copy, and each directory's children. */
class Filesystem {
  readonly live = new Map<string, Live>();
  private readonly children = new Map<string, Set<string>>();

  set(path: string, copy: Live): void {
    this.live.set(path, copy);
    const parent = parentOf(path);
    let set = this.children.get(parent);
    if (!set) {
      set = new Set();
      this.children.set(parent, set);
    }
    set.add(path);
  }

  /** Removes `path` (unless `keepSelf`) and everything under it; returns the removed copies. */
  removeTree(path: string, keepSelf: boolean, removed: Array<[string, Live]> = []): Array<[string, Live]> {
    const below = this.children.get(path);
    if (below) {
      for (const child of below) this.removeTree(child, false, removed);
      this.children.delete(path);
    }
    if (!keepSelf) {
      const copy = this.live.get(path);
      if (copy) {
        removed.push([path, copy]);
        this.live.delete(path);
        this.children.get(parentOf(path))?.delete(path);
      }
    }
    return removed;
  }
}

/** Applies the layers (bottom first) and says what each one changes and wastes. */
export function layerChanges(listings: readonly LayerListing[]): ImageChanges {
  const fs = new Filesystem();
  const wastedByPath = new Map<string, WastedPath>();
  const layers: LayerChanges[] = listings.map(() => emptyChanges());
  const supersede = (path: string, copy: Live) => {
    if (copy.size === 0) return;
    layers[copy.layer]!.wastedBytes += copy.size;
    const entry = wastedByPath.get(path) ?? { path, copies: 0, bytes: 0 };
    entry.copies += 1;
    entry.bytes += copy.size;
    wastedByPath.set(path, entry);
  };

  listings.forEach((listing, index) => {
    const out = layers[index]!;
    // Whiteouts apply to the layers below only, so they go first, whatever their place in the tar.
    listing.paths.forEach((path, i) => {
      const slash = path.lastIndexOf('/');
      const base = path.slice(slash + 1);
      if (!base.startsWith(WHITEOUT)) return;
      const dir = slash < 0 ? '' : path.slice(0, slash);
      const opaque = base === OPAQUE;
      const target = opaque ? dir : `${dir ? `${dir}/` : ''}${base.slice(WHITEOUT.length)}`;
      const removed = fs.removeTree(target, opaque);
      let hidden = 0;
      for (const [p, copy] of removed) {
        supersede(p, copy);
        hidden += copy.size;
      }
      const self = removed.at(-1);
      const kind: EntryKind = opaque
        ? 'd'
        : self && self[0] === target
          ? self[1].kind
          : (listing.kinds[i] as EntryKind);
      push(out, target, kind, opaque ? 'o' : 'd', hidden, '');
      out.deleted += 1;
    });
    listing.paths.forEach((path, i) => {
      const base = path.slice(path.lastIndexOf('/') + 1);
      if (base.startsWith(WHITEOUT)) return;
      const kind = listing.kinds[i] as EntryKind;
      const size = listing.sizes[i] ?? 0;
      const below = fs.live.get(path);
      if (below) {
        // A directory over a directory merges; anything else replaces the copy (and a directory's contents).
        if (below.kind !== 'd' || kind !== 'd') for (const [p, copy] of fs.removeTree(path, false)) supersede(p, copy);
      }
      fs.set(path, { layer: index, size, kind });
      push(out, path, kind, below ? 'm' : 'a', size, listing.digests[i] ?? '');
      out.size += size;
      if (below) out.modified += 1;
      else out.added += 1;
    });
  });

  const size = layers.reduce((sum, l) => sum + l.size, 0);
  const wastedBytes = layers.reduce((sum, l) => sum + l.wastedBytes, 0);
  const wasted = [...wastedByPath.values()].sort((a, b) => b.bytes - a.bytes).slice(0, TOP_WASTED);
  return {
    layers,
    size,
    wastedBytes,
    efficiency: size > 0 ? 1 - wastedBytes / size : 1,
    wasted,
    files: fs.live.size,
  };
}

function emptyChanges(): LayerChanges {
  return {
    paths: [],
    kinds: [],
    changes: [],
    sizes: [],
    digests: [],
    size: 0,
    wastedBytes: 0,
    added: 0,
    modified: 0,
    deleted: 0,
  };
}

function push(out: LayerChanges, path: string, kind: EntryKind, change: Change, size: number, digest: string): void {
  out.paths.push(path);
  out.kinds.push(kind);
  out.changes.push(change);
  out.sizes.push(size);
  out.digests.push(digest);
}
