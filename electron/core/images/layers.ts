/**
 * An image's layers, bottom first: GET /images/{name}/history (sizes, created_by) paired with the image
 * config from GET /images/{name}/get (empty_layer flags, rootfs.diff_ids). History entries that are not
 * empty layers take the diff ids in order. BuildKit images answer `<missing>` for ids below the top; the
 * diff id, not the history id, identifies a layer.
 */
import type { Readable } from 'node:stream';
import type { ImageLayer } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
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

/** The layers of `ref`, bottom (index 0) first, each with its Dockerfile instruction and size. */
export async function imageLayers(engine: EngineHandle, ref: string): Promise<ImageLayer[]> {
  try {
    const image = engine.docker.getImage(ref);
    const history = (await image.history()) as HistoryEntry[];
    const config = await readImageConfig((await image.get()) as Readable);
    return pairLayers(history, config);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `image "${ref}"`);
  }
}
