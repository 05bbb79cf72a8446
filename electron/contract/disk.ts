/** Disk: what the engine's `system/df` says about images, containers, volumes and build cache, and clean-ups. */
import { z } from 'zod';
import { HEX_ID, VOLUME_NAME } from './ids';
import { Millis } from './shapes';

/** One row of the Disk view: how many, how many in use, their size and what a clean-up could reclaim. */
export const DiskCategory = z.object({
  total: z.number().int().min(0),
  active: z.number().int().min(0),
  sizeBytes: z.number().min(0),
  reclaimableBytes: z.number().min(0),
});
export type DiskCategory = z.infer<typeof DiskCategory>;

export const DiskUsage = z.object({
  images: DiskCategory,
  containers: DiskCategory,
  volumes: DiskCategory,
  buildCache: DiskCategory,
  takenAt: Millis,
});
export type DiskUsage = z.infer<typeof DiskUsage>;

export const CleanupKind = z.enum(['dangling-images', 'stopped-containers', 'unused-volumes', 'build-cache']);
export type CleanupKind = z.infer<typeof CleanupKind>;

const LABEL_KEY = /^[a-zA-Z0-9][a-zA-Z0-9_.\-/]{0,254}$/;

/** Which objects a clean-up considers. `labels` limits it to objects carrying all of them. */
export const CleanupScope = z
  .object({
    kind: CleanupKind,
    /** Unused volumes with a name someone gave them (not a 64-hex anonymous one): only after an extra confirmation. */
    includeNamedVolumes: z.boolean().default(false),
    /** Build cache: only records last used more than this many days ago. */
    olderThanDays: z.number().int('whole days').min(0).max(3650).default(7),
    labels: z
      .record(
        z.string().regex(LABEL_KEY, 'a label key uses letters, digits, _ . - / and starts with a letter or digit'),
        z
          .string()
          .max(1024)
          .refine((v) => !v.includes('\0'), 'no NUL characters'),
      )
      .optional(),
  })
  .strict();
export type CleanupScope = z.infer<typeof CleanupScope>;
export type CleanupScopeInput = z.input<typeof CleanupScope>;

export const CleanupItem = z.object({
  id: z.string(),
  /** What the user knows it by: a container or volume name, an image's id, a cache record's description. */
  name: z.string(),
  sizeBytes: z.number().min(0),
  /** Volumes only: true for a name someone gave it, false for an anonymous (64-hex) one. */
  named: z.boolean().optional(),
});
export type CleanupItem = z.infer<typeof CleanupItem>;

export const CleanupPreview = z.object({
  kind: CleanupKind,
  items: z.array(CleanupItem),
  totalBytes: z.number().min(0),
  /** True: a clean-up removes only the previewed ids (build cache: one id-filtered prune per record). */
  exact: z.boolean(),
  note: z.string().optional(),
});
export type CleanupPreview = z.infer<typeof CleanupPreview>;

/** An id Berth listed in a preview: hex for images, containers and cache records, a volume name for volumes. */
const PreviewedId = z
  .string()
  .max(128)
  .refine((text) => HEX_ID.test(text.replace(/^sha256:/, '')) || VOLUME_NAME.test(text), 'not an id from a preview');

export const CleanupRequest = CleanupScope.extend({
  /** Exactly the ids of the preview the user confirmed; nothing else is removed. */
  ids: z.array(PreviewedId).max(10_000),
}).strict();
export type CleanupRequest = z.infer<typeof CleanupRequest>;

export const CleanupReport = z.object({
  kind: CleanupKind,
  removed: z.array(z.string()),
  /** Previewed ids that were not removed, with why (e.g. started again since the preview). */
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  freedBytes: z.number().min(0),
  note: z.string().optional(),
});
export type CleanupReport = z.infer<typeof CleanupReport>;

/** Anonymous volumes are named by the engine with 64 hex digits. */
export const isAnonymousVolume = (name: string): boolean => /^[0-9a-f]{64}$/.test(name);
