/**
 * Why a build step missed the cache, found by comparing the build with the previous build of the same project
 * (core/insight/explain.ts): the first step that missed in each stage chain is a cause with the changes found;
 * every later step that missed only because of it is a consequence. Pure: the renderer imports it.
 */
import { z } from 'zod';

/** What Berth says when it finds no change: it never invents one. */
export const NO_CHANGE_FOUND = 'no change found: the cache was pruned, or the previous build is unknown';

/** Lists of changed files are cut to this many paths each; the counts stay whole. */
export const MAX_LISTED_FILES = 50;

const SizedPath = z.object({ path: z.string(), size: z.number() });

export const CacheChange = z.discriminatedUnion('kind', [
  /** The instruction's text changed (both set), was added (old null) or removed (new null). */
  z.object({ kind: z.literal('instruction'), old: z.string().nullable(), new: z.string().nullable() }),
  /** A build arg or ENV the step depends on; null when it was unset. Secret-looking values are masked. */
  z.object({
    kind: z.literal('variable'),
    name: z.string(),
    source: z.enum(['build-arg', 'env']),
    old: z.string().nullable(),
    new: z.string().nullable(),
  }),
  /** The base image (FROM, or COPY --from=<image>): its reference and image digest in each build. */
  z.object({
    kind: z.literal('base-image'),
    oldRef: z.string().nullable(),
    newRef: z.string(),
    old: z.string().nullable(),
    new: z.string().nullable(),
  }),
  /** Context files this COPY/ADD's sources match, after .dockerignore: what changed between the snapshots. */
  z.object({
    kind: z.literal('files'),
    sources: z.array(z.string()),
    added: z.array(SizedPath),
    removed: z.array(SizedPath),
    modified: z.array(z.object({ path: z.string(), oldSize: z.number(), newSize: z.number() })),
    /** How many were found in each list, when a list was cut to MAX_LISTED_FILES. */
    counts: z.object({ added: z.number(), removed: z.number(), modified: z.number() }),
  }),
  /** The build was asked to use no cache. */
  z.object({ kind: z.literal('no-cache') }),
  /** The previous build never cached this step: it failed there, or ended before it. */
  z.object({ kind: z.literal('not-cached-before'), previousState: z.enum(['error', 'not-run', 'queued', 'running']) }),
]);
export type CacheChange = z.infer<typeof CacheChange>;

export const StepCause = z.object({
  stepId: z.string(),
  /** `cause`: the first step that missed in its chain; `consequence`: missed because an earlier one did. */
  role: z.enum(['cause', 'consequence']),
  /** For a cause, what changed; empty means NO_CHANGE_FOUND. Empty for a consequence. */
  changes: z.array(CacheChange),
  /** For a consequence, the step whose miss it follows (a cause); null for a cause. */
  causeStepId: z.string().nullable(),
});
export type StepCause = z.infer<typeof StepCause>;

export const CacheExplanation = z.object({
  /** The build compared with; null when this project has no earlier recorded build. */
  previousBuildId: z.string().nullable(),
  /** One entry per step that missed the cache (ran or failed), in step order. */
  steps: z.array(StepCause),
});
export type CacheExplanation = z.infer<typeof CacheExplanation>;

/** Exact below 10 KB, so a small edit shows in the sizes. */
const bytes = (n: number): string =>
  n < 10 * 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

const shortDigest = (digest: string | null): string =>
  digest === null ? 'unknown' : digest.replace(/^sha256:/, '').slice(0, 12);

const value = (v: string | null): string => (v === null ? 'unset' : `"${v}"`);

function listed(kind: string, paths: string[], count: number): string {
  const shown = paths.slice(0, 3).join(', ');
  const more = count - Math.min(count, 3);
  return `${kind} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

/** One line for one change: what a step row, the history and the compare view show. */
export function describeChange(change: CacheChange): string {
  switch (change.kind) {
    case 'instruction':
      if (change.old === null) return `instruction added: ${change.new}`;
      if (change.new === null) return `instruction removed: ${change.old}`;
      return `instruction changed: ${change.old} → ${change.new}`;
    case 'variable':
      return `${change.source === 'env' ? 'ENV' : 'build arg'} ${change.name} changed: ${value(change.old)} → ${value(change.new)}`;
    case 'base-image':
      return change.oldRef !== null && change.oldRef !== change.newRef
        ? `base image changed: ${change.oldRef} (${shortDigest(change.old)}) → ${change.newRef} (${shortDigest(change.new)})`
        : `base image ${change.newRef} changed: ${shortDigest(change.old)} → ${shortDigest(change.new)}`;
    case 'files': {
      const parts = [
        change.counts.modified
          ? listed(
              'modified',
              change.modified.map((f) => `${f.path} (${bytes(f.oldSize)} → ${bytes(f.newSize)})`),
              change.counts.modified,
            )
          : '',
        change.counts.added
          ? listed(
              'added',
              change.added.map((f) => `${f.path} (${bytes(f.size)})`),
              change.counts.added,
            )
          : '',
        change.counts.removed
          ? listed(
              'removed',
              change.removed.map((f) => `${f.path} (${bytes(f.size)})`),
              change.counts.removed,
            )
          : '',
      ].filter(Boolean);
      return `files changed: ${parts.join('; ')}`;
    }
    case 'no-cache':
      return 'built with "no cache": every step runs';
    case 'not-cached-before':
      return change.previousState === 'error'
        ? 'this step failed in the previous build, so nothing was cached for it'
        : 'the previous build ended before this step, so nothing was cached for it';
  }
}

/** One line for a step's cause: its changes, or the honest NO_CHANGE_FOUND; a consequence names its cause. */
export function describeCause(cause: StepCause, stepLabel: (stepId: string) => string = (id) => id): string {
  if (cause.role === 'consequence') return `ran because ${stepLabel(cause.causeStepId ?? '')} missed the cache`;
  return cause.changes.length === 0 ? NO_CHANGE_FOUND : cause.changes.map(describeChange).join('; ');
}

/**
 * Pairs two lists by a key with a longest common subsequence, keeping both orders: `[a, b]` for a match,
 * `[a, null]` only in the first, `[null, b]` only in the second; unmatched runs come out side by side, each
 * removal before the addition that replaced it. For Dockerfile steps, short lists: O(n·m).
 */
export function alignByKey<A, B>(
  first: readonly A[],
  second: readonly B[],
  keyA: (a: A) => string,
  keyB: (b: B) => string,
): Array<[A | null, B | null]> {
  const n = first.length;
  const m = second.length;
  const ka = first.map(keyA);
  const kb = second.map(keyB);
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = ka[i] === kb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const pairs: Array<[A | null, B | null]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) pairs.push([first[i++]!, second[j++]!]);
    else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) pairs.push([first[i++]!, null]);
    else pairs.push([null, second[j++]!]);
  }
  return pairs;
}
