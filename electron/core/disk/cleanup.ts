/**
 * Clean-ups that preview exactly what they will remove and then remove only those ids: dangling images,
 * stopped containers, unused volumes (named ones only when asked) and build cache older than N days.
 * Build cache is the exception: the engine only prunes it by filter, so the preview is what the filter
 * matched a moment earlier.
 */
import {
  BerthError,
  type CleanupItem,
  type CleanupPreview,
  type CleanupReport,
  type CleanupRequest,
  type CleanupScope,
  isAnonymousVolume,
} from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { engineMessage, toBerthError } from '../errors';
import { containerIsActive, type SystemDf, systemDf } from './system-df';

const DAY_MS = 24 * 60 * 60 * 1000;

export const BUILD_CACHE_NOTE =
  'The engine only prunes build cache by age (a filter), not by record: the clean-up removes what is older than ' +
  'the limit when it runs, which can differ a little from this preview.';

const hasLabels = (labels: Record<string, string> | null | undefined, wanted: CleanupScope['labels']): boolean =>
  Object.entries(wanted ?? {}).every(([key, value]) => labels?.[key] === value);

const nonNegative = (size: number | undefined | null): number => (size == null || size < 0 ? 0 : size);

/** What a clean-up would remove, from one `system/df` answer. Pure. */
export function cleanupCandidates(df: SystemDf, scope: CleanupScope, now = Date.now()): CleanupItem[] {
  switch (scope.kind) {
    case 'dangling-images': {
      // As the engine's own `dangling` filter: no tag, and not the parent of another image (a build step).
      const parents = new Set((df.Images ?? []).map((i) => i.ParentId).filter(Boolean));
      return (df.Images ?? [])
        .filter((i) => (i.RepoTags ?? []).every((t) => t === '<none>:<none>') && !parents.has(i.Id))
        .filter((i) => i.Containers <= 0 && hasLabels(i.Labels, scope.labels))
        .map((i) => ({
          id: i.Id,
          name: i.Id.replace(/^sha256:/, '').slice(0, 12),
          sizeBytes: nonNegative(i.SharedSize >= 0 ? i.Size - i.SharedSize : i.Size),
        }));
    }
    case 'stopped-containers':
      return (df.Containers ?? [])
        .filter((c) => !containerIsActive(c.State) && hasLabels(c.Labels, scope.labels))
        .map((c) => ({
          id: c.Id,
          name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
          sizeBytes: nonNegative(c.SizeRw),
        }));
    case 'unused-volumes':
      return (df.Volumes ?? [])
        .filter((v) => (v.UsageData?.RefCount ?? 0) === 0 && hasLabels(v.Labels, scope.labels))
        .filter((v) => scope.includeNamedVolumes || isAnonymousVolume(v.Name))
        .map((v) => ({
          id: v.Name,
          name: v.Name,
          sizeBytes: nonNegative(v.UsageData?.Size),
          named: !isAnonymousVolume(v.Name),
        }));
    case 'build-cache': {
      const cutoff = now - scope.olderThanDays * DAY_MS;
      return (df.BuildCache ?? [])
        .filter((c) => !c.InUse && Date.parse(c.LastUsedAt ?? c.CreatedAt) < cutoff)
        .map((c) => ({ id: c.ID, name: c.Description || c.ID.slice(0, 12), sizeBytes: nonNegative(c.Size) }));
    }
  }
}

function refuseLabelledCache(scope: CleanupScope): void {
  if (scope.kind === 'build-cache' && scope.labels && Object.keys(scope.labels).length > 0)
    throw new BerthError(
      'INVALID_INPUT',
      'Build cache records carry no labels, so a build-cache clean-up cannot be limited to labelled objects.',
      'Leave out the labels for a build-cache clean-up.',
      { labels: ['not possible for build cache'] },
    );
}

export async function previewCleanup(engine: EngineHandle, scope: CleanupScope): Promise<CleanupPreview> {
  refuseLabelledCache(scope);
  const items = cleanupCandidates(await systemDf(engine), scope);
  const exact = scope.kind !== 'build-cache';
  return {
    kind: scope.kind,
    items,
    totalBytes: items.reduce((total, item) => total + item.sizeBytes, 0),
    exact,
    ...(exact ? {} : { note: BUILD_CACHE_NOTE }),
  };
}

/**
 * Removes exactly the previewed ids that still qualify (a container started since the preview, or a volume
 * now in use, is skipped and said so); never anything that was not previewed. Build cache: the engine's
 * filtered prune (see BUILD_CACHE_NOTE), and only when every record the filter matches now was previewed.
 */
export async function runCleanup(engine: EngineHandle, request: CleanupRequest): Promise<CleanupReport> {
  refuseLabelledCache(request);
  const { kind } = request;
  if (kind === 'unused-volumes' && !request.includeNamedVolumes) {
    const named = request.ids.filter((id) => !isAnonymousVolume(id));
    if (named.length > 0)
      throw new BerthError(
        'INVALID_INPUT',
        `Removing the named volume${named.length === 1 ? '' : 's'} ${named.map((n) => `"${n}"`).join(', ')} needs an extra confirmation.`,
        'Confirm removing named volumes (includeNamedVolumes), or leave them out.',
        { ids: ['named volumes need includeNamedVolumes'] },
      );
  }
  if (kind === 'build-cache') {
    // The engine prunes by filter only: prune only when everything the filter matches now was previewed.
    const now = cleanupCandidates(await systemDf(engine), request);
    const unseen = now.filter((item) => !request.ids.includes(item.id));
    if (unseen.length > 0)
      throw new BerthError(
        'CONFLICT',
        `${unseen.length} build cache record${unseen.length === 1 ? '' : 's'} older than ${request.olderThanDays} days ${unseen.length === 1 ? 'was' : 'were'} not in the preview, so nothing was pruned.`,
        'Preview the build cache clean-up again and confirm what it shows now.',
        { ids: ['the build cache changed since the preview'] },
      );
    if (now.length === 0) return { kind, removed: [], skipped: [], freedBytes: 0, note: BUILD_CACHE_NOTE };
    return pruneBuildCache(engine, request.olderThanDays);
  }

  // The same scope as the preview, checked again now: an id that no longer qualifies is skipped.
  const still = new Map(cleanupCandidates(await systemDf(engine), request).map((item) => [item.id, item]));
  const removed: string[] = [];
  const skipped: CleanupReport['skipped'] = [];
  let freedBytes = 0;
  for (const id of new Set(request.ids)) {
    const item = still.get(id);
    if (!item) {
      skipped.push({ id, reason: `no longer ${describe(kind)}, or gone` });
      continue;
    }
    try {
      await removeOne(engine, kind, id);
      removed.push(id);
      freedBytes += item.sizeBytes;
    } catch (error) {
      skipped.push({ id, reason: engineMessage(error) });
    }
  }
  return { kind, removed, skipped, freedBytes };
}

function describe(kind: CleanupRequest['kind']): string {
  if (kind === 'dangling-images') return 'a dangling image nothing uses';
  if (kind === 'stopped-containers') return 'a stopped container';
  return 'an unused volume in this clean-up';
}

async function removeOne(engine: EngineHandle, kind: CleanupRequest['kind'], id: string): Promise<void> {
  const { docker } = engine;
  // Never forced: the engine refuses if the object came into use since the check above.
  if (kind === 'dangling-images') await docker.getImage(id).remove();
  else if (kind === 'stopped-containers') await docker.getContainer(id).remove({ v: false });
  else await docker.getVolume(id).remove();
}

async function pruneBuildCache(engine: EngineHandle, olderThanDays: number): Promise<CleanupReport> {
  try {
    // dockerode's pruneBuilder drops its options, so the filter would be lost: call the endpoint directly.
    const answer = await new Promise<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>((resolve, reject) =>
      engine.docker.modem.dial(
        {
          path: '/build/prune?',
          method: 'POST',
          options: { filters: JSON.stringify({ until: [`${olderThanDays * 24}h`] }) },
          statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        },
        (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as never)),
      ),
    );
    return {
      kind: 'build-cache',
      removed: answer.CachesDeleted ?? [],
      skipped: [],
      freedBytes: nonNegative(answer.SpaceReclaimed),
      note: BUILD_CACHE_NOTE,
    };
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'build cache');
  }
}
