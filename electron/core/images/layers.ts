/**
 * An image's layers, bottom first: GET /images/{name}/history (sizes, created_by) paired with the image
 * config from GET /images/{name}/get (empty_layer flags, rootfs.diff_ids). History entries that are not
 * empty layers take the diff ids in order. BuildKit images answer `<missing>` for ids below the top; the
 * diff id, not the history id, identifies a layer.
 */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ImageLayer } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { mapLimited } from '../engine/map-limited';
import { toBerthError } from '../errors';
import { type ImageConfig, readImageConfig } from './image-config';
import { instructionOf } from './instruction';

/** One entry of GET /images/{name}/history (newest first). */
export interface HistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
  Tags?: string[] | null;
  Comment?: string;
}

/** Pairs the engine's history (newest first) with the config's history and diff ids (oldest first). */
export function pairLayers(history: HistoryEntry[], config: ImageConfig): ImageLayer[] {
  const fromEngine = [...history].reverse();
  const fromConfig = config.history ?? [];
  const diffIds = config.rootfs?.diff_ids ?? [];
  const count = fromConfig.length > 0 ? fromConfig.length : fromEngine.length;
  let nextDiff = 0;
  const layers: ImageLayer[] = [];
  for (let index = 0; index < count; index += 1) {
    const step = fromConfig[index];
    const entry = fromEngine[index];
    const empty = step ? step.empty_layer === true : (entry?.Size ?? 0) === 0;
    const diffId = empty ? null : (diffIds[nextDiff++] ?? null);
    const createdBy = step?.created_by ?? entry?.CreatedBy ?? '';
    const createdAt = step?.created ? Date.parse(step.created) : Number.NaN;
    const comment = step?.comment || entry?.Comment || undefined;
    layers.push({
      index,
      diffId,
      createdBy,
      instruction: instructionOf(createdBy),
      size: empty ? 0 : (entry?.Size ?? 0),
      empty,
      created: Number.isNaN(createdAt) ? (entry?.Created ?? 0) * 1000 : createdAt,
      ...(comment !== undefined && { comment }),
    });
  }
  return layers;
}

/** A local image as a candidate base: its id, tags, creation time and rootfs diff ids (bottom first). */
export interface BaseCandidate {
  id: string;
  tags: string[];
  created: number;
  diffIds: string[];
}

/**
 * The image `ours` was built FROM, among local images: the one whose layers are the longest prefix of
 * ours and that existed before it (an image built with metadata steps only shares all its base's layers;
 * among equals the oldest is the base, the others are its siblings). Null when none is local.
 */
export function pickBaseImage(ours: BaseCandidate, candidates: BaseCandidate[]): BaseCandidate | null {
  let best: BaseCandidate | null = null;
  for (const c of candidates) {
    if (c.id === ours.id || c.created > ours.created) continue;
    if (c.diffIds.length === 0 || c.diffIds.length > ours.diffIds.length) continue;
    if (!c.diffIds.every((id, i) => ours.diffIds[i] === id)) continue;
    const longer = !best || c.diffIds.length > best.diffIds.length;
    const older = best && c.diffIds.length === best.diffIds.length && c.created < best.created;
    if (longer || older) best = c;
  }
  return best;
}

/** How a base image is named: its first tag, else its short id. */
export const baseImageName = (c: BaseCandidate): string =>
  c.tags.find((t) => t !== '<none>:<none>') ?? c.id.replace(/^sha256:/, '').slice(0, 12);

/** Marks the first `count` layers (the base image's history) with the base image's name. */
export function markBaseLayers(layers: ImageLayer[], name: string, count: number): ImageLayer[] {
  return layers.map((layer) => (layer.index < count ? { ...layer, baseImage: name } : layer));
}

const INSPECT_AT_ONCE = 8;

/** Local images that could be the base of `ours`: no bigger and no newer, with their diff ids. */
async function baseCandidates(engine: EngineHandle, ours: Dockerode.ImageInspectInfo): Promise<BaseCandidate[]> {
  const created = Date.parse(ours.Created);
  const listed = (await engine.docker.listImages()).filter(
    (i) => i.Id !== ours.Id && i.Size <= ours.Size && i.Created * 1000 <= created,
  );
  // An image removed meanwhile is simply not a candidate.
  const found = await mapLimited(listed, INSPECT_AT_ONCE, (entry) =>
    engine.docker
      .getImage(entry.Id)
      .inspect()
      .then(
        (info): BaseCandidate => ({
          id: info.Id,
          tags: info.RepoTags ?? [],
          created: Date.parse(info.Created),
          diffIds: info.RootFS?.Layers ?? [],
        }),
      )
      .catch(() => null),
  );
  return found.filter((c): c is BaseCandidate => c !== null);
}

/**
 * The layers of `ref`, bottom (index 0) first, each with its Dockerfile instruction and size; the layers
 * that came from a local base image carry its name.
 */
export async function imageLayers(engine: EngineHandle, ref: string): Promise<ImageLayer[]> {
  try {
    const image = engine.docker.getImage(ref);
    const history = (await image.history()) as HistoryEntry[];
    const config = await readImageConfig((await image.get()) as Readable);
    const info = await image.inspect();
    const layers = pairLayers(history, config);
    // The base's name is a label only: an image removed meanwhile leaves the layers unnamed, not failed.
    return await nameBaseLayers(engine, info, layers).catch(() => layers);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `image "${ref}"`);
  }
}

async function nameBaseLayers(
  engine: EngineHandle,
  info: Dockerode.ImageInspectInfo,
  layers: ImageLayer[],
): Promise<ImageLayer[]> {
  const ours = { id: info.Id, tags: [], created: Date.parse(info.Created), diffIds: info.RootFS?.Layers ?? [] };
  const base = pickBaseImage(ours, await baseCandidates(engine, info));
  if (!base) return layers;
  const baseHistory = (await engine.docker.getImage(base.id).history()) as HistoryEntry[];
  return markBaseLayers(layers, baseImageName(base), baseHistory.length);
}
