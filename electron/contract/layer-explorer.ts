/**
 * The layer explorer: each layer's file tree (what it adds, modifies and deletes), the image's totals and waste,
 * and the diff of two images. Trees travel as flat parallel arrays (one string of one-letter codes per column),
 * so 100,000 entries cost a few MB on the wire; the renderer builds the tree from them lazily.
 */
import { z } from 'zod';
import { ImageRef } from './image-reference';
import { ImageLayer } from './images';

const sameLength = (t: { paths: unknown[] }, columns: Array<{ length: number }>) =>
  columns.every((c) => c.length === t.paths.length);

export const LayerTree = z
  .object({
    paths: z.array(z.string()).describe('each entry\'s path in the image, without a leading "/"'),
    kinds: z
      .string()
      .regex(/^[fdlho]*$/)
      .describe('one letter per entry: f file, d directory, l symlink, h hardlink, o other'),
    changes: z
      .string()
      .regex(/^[amdo]*$/)
      .describe(
        'one letter per entry: a added, m modified, d deleted (whiteout), o opaque directory (hides all below)',
      ),
    sizes: z.array(z.number().nonnegative()).describe('bytes added (a, m) or hidden from the layers below (d, o)'),
  })
  .refine((t) => sameLength(t, [t.kinds, t.changes, t.sizes]), 'every column has one value per path');
export type LayerTree = z.infer<typeof LayerTree>;

export const ExploredLayer = z.object({
  index: z.number().describe('0 = bottom layer; empty history steps have no layer'),
  diffId: z.string(),
  historyIndex: z.number().nullable().describe('the history entry (images.layers index) that made this layer'),
  instruction: z.string(),
  line: z.number().nullable().describe('the Dockerfile line, when the image came from a recorded Berth build'),
  size: z.number().describe('bytes this layer adds, as `docker history` counts them'),
  storedBytes: z.number().describe('bytes of the layer tar in the saved image (compressed when it is)'),
  compression: z.enum(['none', 'gzip', 'zstd']),
  wastedBytes: z.number().describe('bytes of this layer that later layers overwrite or delete'),
  added: z.number(),
  modified: z.number(),
  deleted: z.number(),
  tree: LayerTree,
});
export type ExploredLayer = z.infer<typeof ExploredLayer>;

export const WastedPath = z.object({
  path: z.string(),
  copies: z.number().describe('copies overwritten or deleted later; the copy that stays is not counted'),
  bytes: z.number(),
});

export const HistoryStep = ImageLayer.extend({
  layer: z.number().nullable().describe('the explored layer this step made; null for an empty (metadata) step'),
  line: z.number().nullable().describe('the Dockerfile line, when the image came from a recorded Berth build'),
});
export type HistoryStep = z.infer<typeof HistoryStep>;

export const LayerExploration = z.object({
  imageId: z.string(),
  size: z.number().describe('sum of the layer sizes'),
  wastedBytes: z.number().describe('bytes in superseded copies only (overwritten or deleted in a later layer)'),
  efficiency: z.number().min(0).max(1).describe('1 - wasted / size'),
  files: z.number().describe('entries visible in the final filesystem'),
  wasted: z.array(WastedPath).describe('the paths that waste the most, biggest first (at most 100)'),
  layers: z.array(ExploredLayer),
  history: z.array(HistoryStep),
  buildId: z.string().nullable().describe('the recorded Berth build that made this image, if any'),
});
export type LayerExploration = z.infer<typeof LayerExploration>;

export const ImageDiffInput = z.object({ from: ImageRef, to: ImageRef }).strict();

export const FileDiff = z
  .object({
    paths: z.array(z.string()),
    changes: z
      .string()
      .regex(/^[arm]*$/)
      .describe('one letter per path: a only in "to", r only in "from", m content or type differs'),
    fromSizes: z.array(z.number()).describe('0 where the path is not in "from"'),
    toSizes: z.array(z.number()).describe('0 where the path is not in "to"'),
  })
  .refine((d) => sameLength(d, [d.changes, d.fromSizes, d.toSizes]), 'every column has one value per path');
export type FileDiff = z.infer<typeof FileDiff>;

const DiffSide = z.object({ diffId: z.string(), instruction: z.string(), size: z.number() }).nullable();

export const LayerDiff = z.object({
  index: z.number(),
  from: DiffSide,
  to: DiffSide,
  same: z.boolean().describe('the same diff id on both sides'),
  files: FileDiff.describe('files that differ between the two layers at this place (empty when same)'),
});

export const ImageDiff = z.object({
  from: z.object({ imageId: z.string(), size: z.number() }),
  to: z.object({ imageId: z.string(), size: z.number() }),
  layers: z.array(LayerDiff),
  sharedLayers: z.number().describe('layers at the bottom that both images share'),
});
export type ImageDiff = z.infer<typeof ImageDiff>;
