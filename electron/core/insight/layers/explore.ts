/**
 * The layer explorer against the engine: one GET /images/{name}/get streamed through the saved-image reader,
 * paired with GET /images/{name}/history, and, when a recorded Berth build made the image, with the
 * Dockerfile lines of its steps.
 */
import type { Readable } from 'node:stream';
import type { ExploredLayer, ImageDiff, LayerExploration } from '../../../contract';
import { listRecords, readRecord } from '../../build/records';
import type { EngineHandle } from '../../engine/engine-handle';
import { toBerthError } from '../../errors';
import { type HistoryEntry, pairLayers } from '../../images/layers';
import { historyLines } from './history-lines';
import { type DiffableImage, diffImages } from './image-diff';
import { type LayerChanges, layerChanges } from './layer-changes';
import { readSavedImage, type SavedImageOptions } from './saved-image';

export interface ExploreOptions extends SavedImageOptions {
  /** The build records folder, to find the Berth build that made the image. */
  recordsDir?: string;
}

/** The recorded build that made `imageId` (newest first), or null. */
async function recordedBuild(recordsDir: string | undefined, imageId: string) {
  if (!recordsDir) return null;
  const summary = (await listRecords(recordsDir)).find((r) => r.imageId === imageId && r.state === 'succeeded');
  return summary ? readRecord(recordsDir, summary.buildId).catch(() => null) : null;
}

const compactTree = (changes: LayerChanges): ExploredLayer['tree'] => ({
  paths: changes.paths,
  kinds: changes.kinds.join(''),
  changes: changes.changes.join(''),
  sizes: changes.sizes,
});

interface Explored {
  exploration: LayerExploration;
  changes: LayerChanges[];
}

async function explore(engine: EngineHandle, ref: string, options: ExploreOptions): Promise<Explored> {
  try {
    const image = engine.docker.getImage(ref);
    const info = await image.inspect();
    // By id from here on: a tag moved meanwhile must not mix two images.
    const byId = engine.docker.getImage(info.Id);
    const [history, saved] = await Promise.all([
      byId.history() as Promise<HistoryEntry[]>,
      byId.get().then((stream) => readSavedImage(stream as Readable, options)),
    ]);
    const steps = pairLayers(history, saved.config);
    const image_ = layerChanges(saved.layers);
    const record = await recordedBuild(options.recordsDir, info.Id);
    const lines = record
      ? historyLines(
          steps.map((s) => s.instruction),
          record.steps,
        )
      : steps.map(() => null);
    const layerOfStep = new Map<number, number>();
    let next = 0;
    for (const step of steps) if (!step.empty && next < saved.layers.length) layerOfStep.set(step.index, next++);
    const stepOfLayer = new Map([...layerOfStep].map(([s, l]) => [l, s]));
    const layers: ExploredLayer[] = image_.layers.map((changes, index) => {
      const stepIndex = stepOfLayer.get(index) ?? null;
      const step = stepIndex === null ? undefined : steps[stepIndex];
      const listing = saved.layers[index]!;
      return {
        index,
        diffId: saved.diffIds[index]!,
        historyIndex: stepIndex,
        instruction: step?.instruction || step?.createdBy || '',
        line: stepIndex === null ? null : (lines[stepIndex] ?? null),
        size: changes.size,
        storedBytes: listing.storedBytes,
        compression: listing.compression,
        wastedBytes: changes.wastedBytes,
        added: changes.added,
        modified: changes.modified,
        deleted: changes.deleted,
        tree: compactTree(changes),
      };
    });
    const exploration: LayerExploration = {
      imageId: info.Id,
      size: image_.size,
      wastedBytes: image_.wastedBytes,
      efficiency: image_.efficiency,
      files: image_.files,
      wasted: image_.wasted,
      layers,
      history: steps.map((step) => ({
        ...step,
        layer: layerOfStep.get(step.index) ?? null,
        line: lines[step.index] ?? null,
      })),
      buildId: record?.buildId ?? null,
    };
    return { exploration, changes: image_.layers };
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `image "${ref}"`);
  }
}

/** Each layer's file tree and changes, the image's size, waste and efficiency, and its history with lines. */
export async function exploreImage(
  engine: EngineHandle,
  ref: string,
  options: ExploreOptions = {},
): Promise<LayerExploration> {
  return (await explore(engine, ref, options)).exploration;
}

/** Which layers differ between two images, and which files inside them (compared by content digest). */
export async function diffImageLayers(engine: EngineHandle, from: string, to: string): Promise<ImageDiff> {
  // One after the other: two saves at once would only compete for the same disk and cores.
  const a = await explore(engine, from, { digests: true });
  const b = await explore(engine, to, { digests: true });
  const diffable = ({ exploration, changes }: Explored): DiffableImage => ({
    imageId: exploration.imageId,
    size: exploration.size,
    layers: exploration.layers.map((l, i) => ({ diffId: l.diffId, instruction: l.instruction, changes: changes[i]! })),
  });
  return diffImages(diffable(a), diffable(b));
}
