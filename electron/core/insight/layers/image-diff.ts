/**
 * Two images compared layer by layer (e.g. two builds of one tag). Layers at the same place with the same diff
 * id are the same; the first difference usually marks the step whose cache missed. For each layer that
 * differs, the files that differ: only in one side, or in both with another content digest, kind or size.
 */
import type { FileDiff, ImageDiff } from '../../../contract';
import type { LayerChanges } from './layer-changes';

export interface DiffableLayer {
  diffId: string;
  instruction: string;
  changes: LayerChanges;
}

export interface DiffableImage {
  imageId: string;
  size: number;
  layers: DiffableLayer[];
}

interface Copy {
  kind: string;
  change: string;
  size: number;
  digest: string;
}

const copiesOf = (layer: LayerChanges | undefined): Map<string, Copy> => {
  const map = new Map<string, Copy>();
  if (!layer) return map;
  layer.paths.forEach((path, i) => {
    map.set(path, {
      kind: layer.kinds[i]!,
      change: layer.changes[i]!,
      size: layer.sizes[i] ?? 0,
      digest: layer.digests[i] ?? '',
    });
  });
  return map;
};

const differs = (a: Copy, b: Copy) =>
  a.kind !== b.kind || a.change !== b.change || a.size !== b.size || a.digest !== b.digest;

/** The files that differ between two layers; directories only when one side lacks them. */
export function diffLayerFiles(from: LayerChanges | undefined, to: LayerChanges | undefined): FileDiff {
  const a = copiesOf(from);
  const b = copiesOf(to);
  const out: FileDiff = { paths: [], changes: '', fromSizes: [], toSizes: [] };
  const add = (path: string, change: 'a' | 'r' | 'm', fromSize: number, toSize: number) => {
    out.paths.push(path);
    out.changes += change;
    out.fromSizes.push(fromSize);
    out.toSizes.push(toSize);
  };
  for (const [path, copy] of a) {
    const other = b.get(path);
    if (!other) add(path, 'r', copy.size, 0);
    else if (copy.kind !== 'd' && differs(copy, other)) add(path, 'm', copy.size, other.size);
  }
  for (const [path, copy] of b) if (!a.has(path)) add(path, 'a', 0, copy.size);
  return out;
}

const side = (layer: DiffableLayer | undefined) =>
  layer ? { diffId: layer.diffId, instruction: layer.instruction, size: layer.changes.size } : null;

export function diffImages(from: DiffableImage, to: DiffableImage): ImageDiff {
  const count = Math.max(from.layers.length, to.layers.length);
  const layers: ImageDiff['layers'] = [];
  let sharedLayers = 0;
  let diverged = false;
  for (let index = 0; index < count; index += 1) {
    const a = from.layers[index];
    const b = to.layers[index];
    const same = !!a && !!b && a.diffId === b.diffId;
    if (!same) diverged = true;
    else if (!diverged) sharedLayers += 1;
    layers.push({
      index,
      from: side(a),
      to: side(b),
      same,
      files: same ? { paths: [], changes: '', fromSizes: [], toSizes: [] } : diffLayerFiles(a?.changes, b?.changes),
    });
  }
  return {
    from: { imageId: from.imageId, size: from.size },
    to: { imageId: to.imageId, size: to.size },
    layers,
    sharedLayers,
  };
}
