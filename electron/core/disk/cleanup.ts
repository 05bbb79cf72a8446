/**
 * Clean-ups that preview exactly what they will remove and then remove only those ids: dangling images,
 * stopped containers, unused volumes (named ones only when asked) and build cache older than N days.
 * Build cache records carry no labels and the engine only prunes them by filter, so each previewed record
 * is pruned by a filter on its own id (and the age limit).
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
  'Build cache records are removed one by one, by id: each only if it is still unused and older than the limit, ' +
  'and a record another one was built on only after that one.';

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
      return (
        (df.BuildCache ?? [])
          // As the engine's own prune (without --all): a record an image still shares its layer with is kept,
          // since removing it frees nothing; in use, it cannot go.
          .filter((c) => !c.InUse && !c.Shared && Date.parse(c.LastUsedAt ?? c.CreatedAt) < cutoff)
          .map((c) => ({ id: c.ID, name: c.Description || c.ID.slice(0, 12), sizeBytes: nonNegative(c.Size) }))
      );
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
  return {
    kind: scope.kind,
    items,
    totalBytes: items.reduce((total, item) => total + item.sizeBytes, 0),
    exact: true,
    ...(scope.kind === 'build-cache' && { note: BUILD_CACHE_NOTE }),
  };
}

/**
 * Removes exactly the previewed ids that still qualify (a container started since the preview, or a volume
 * now in use, is skipped and said so); never anything that was not previewed. Build cache: one
 * id-filtered prune per record (see BUILD_CACHE_NOTE).
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
  if (kind === 'build-cache') return pruneBuildCache(engine, request.olderThanDays, request.ids);

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

/** The engine's build-cache prune with these filters (dockerode's pruneBuilder drops its options). */
function pruneBuilder(
  engine: EngineHandle,
  filters: Record<string, string[]>,
): Promise<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }> {
  return new Promise((resolve, reject) =>
    engine.docker.modem.dial(
      {
        path: '/build/prune?',
        method: 'POST',
        options: { filters: JSON.stringify(filters) },
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as never)),
    ),
  );
}

/** An anchored pattern for one record id: the engine matches `id` filters as regular expressions. */
export const exactIdFilter = (id: string): string => `^${id.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}$`;

/**
 * Removes exactly the previewed records that are still older than the limit and unused: one prune per id,
 * filtered by that id and the age. A record that is the parent of another can only go after its child, so
 * the ids left are tried again until a round removes nothing.
 */
async function pruneBuildCache(engine: EngineHandle, olderThanDays: number, ids: string[]): Promise<CleanupReport> {
  const removed = new Set<string>();
  let freedBytes = 0;
  let pending = [...new Set(ids)];
  try {
    for (let progress = true; progress && pending.length > 0; ) {
      progress = false;
      for (const id of pending) {
        const answer = await pruneBuilder(engine, { until: [`${olderThanDays * 24}h`], id: [exactIdFilter(id)] });
        for (const gone of answer.CachesDeleted ?? []) {
          removed.add(gone);
          progress = true;
        }
        freedBytes += nonNegative(answer.SpaceReclaimed);
      }
      pending = pending.filter((id) => !removed.has(id));
    }
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'build cache');
  }
  return {
    kind: 'build-cache',
    removed: [...removed],
    skipped: pending.map((id) => ({ id, reason: 'in use, used since the preview, or gone' })),
    freedBytes,
  };
}
