import { describe, expect, it } from 'vitest';
import { CleanupRequest, CleanupScope } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { cleanupCandidates, runCleanup } from './cleanup';
import { diskUsage, type SystemDf } from './system-df';

const HEX = (c: string) => c.repeat(64);
const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const df: SystemDf = {
  LayersSize: 1000,
  Images: [
    { Id: `sha256:${HEX('a')}`, RepoTags: ['app:1'], Containers: 1, Size: 600, SharedSize: 100 },
    {
      Id: `sha256:${HEX('b')}`,
      RepoTags: ['<none>:<none>'],
      Containers: 0,
      Size: 300,
      SharedSize: 100,
      Labels: { t: '1' },
    },
    { Id: `sha256:${HEX('c')}`, RepoTags: [], Containers: 0, Size: 50, SharedSize: -1 },
    // a build step: untagged, but the parent of b
    { Id: `sha256:${HEX('d')}`, RepoTags: [], Containers: 0, Size: 40, SharedSize: 0 },
  ],
  Containers: [
    { Id: HEX('1'), Names: ['/web'], State: 'running', SizeRw: 10 },
    { Id: HEX('2'), Names: ['/old'], State: 'exited', SizeRw: 20, Labels: { t: '1' } },
    { Id: HEX('3'), Names: ['/new'], State: 'created', SizeRw: 5 },
  ],
  Volumes: [
    { Name: 'data', UsageData: { Size: 100, RefCount: 1 } },
    { Name: 'cache', UsageData: { Size: 70, RefCount: 0 }, Labels: { t: '1' } },
    { Name: HEX('e'), UsageData: { Size: 30, RefCount: 0 }, Labels: { t: '1' } },
    { Name: 'unknown', UsageData: { Size: -1, RefCount: 0 } },
  ],
  BuildCache: [
    { ID: 'k1', Size: 500, InUse: false, Shared: false, CreatedAt: new Date(NOW - 30 * DAY).toISOString() },
    {
      ID: 'k2',
      Size: 400,
      InUse: false,
      Shared: false,
      CreatedAt: new Date(NOW - 30 * DAY).toISOString(),
      LastUsedAt: new Date(NOW - DAY).toISOString(),
    },
    { ID: 'k3', Size: 300, InUse: true, Shared: false, CreatedAt: new Date(NOW - 30 * DAY).toISOString() },
    { ID: 'k4', Size: 200, InUse: false, Shared: true, CreatedAt: new Date(NOW - 30 * DAY).toISOString() },
  ],
};
df.Images![1]!.ParentId = `sha256:${HEX('d')}`;

const scope = (input: Record<string, unknown>) => CleanupScope.parse(input);

describe('disk usage from system/df, counted as the docker CLI counts it', () => {
  it('images: layers size, reclaimable = size minus the unshared part of images in use', () => {
    expect(diskUsage(df, NOW).images).toEqual({ total: 4, active: 1, sizeBytes: 1000, reclaimableBytes: 500 });
  });
  it('containers: writable layers; running, paused and restarting ones are active', () => {
    expect(diskUsage(df, NOW).containers).toEqual({ total: 3, active: 1, sizeBytes: 35, reclaimableBytes: 25 });
  });
  it('volumes: unknown sizes count as nothing; unreferenced ones are reclaimable', () => {
    expect(diskUsage(df, NOW).volumes).toEqual({ total: 4, active: 1, sizeBytes: 200, reclaimableBytes: 100 });
  });
  it('build cache: shared records are not counted; in-use ones are not reclaimable', () => {
    expect(diskUsage(df, NOW).buildCache).toEqual({ total: 4, active: 1, sizeBytes: 1200, reclaimableBytes: 900 });
  });
});

describe('what a clean-up would remove', () => {
  const ids = (input: Record<string, unknown>) => cleanupCandidates(df, scope(input), NOW).map((i) => i.id);

  it('dangling images: untagged, unused, and not another image’s parent', () => {
    expect(ids({ kind: 'dangling-images' })).toEqual([`sha256:${HEX('b')}`, `sha256:${HEX('c')}`]);
    expect(ids({ kind: 'dangling-images', labels: { t: '1' } })).toEqual([`sha256:${HEX('b')}`]);
  });
  it('stopped containers: exited and created, never running', () => {
    expect(ids({ kind: 'stopped-containers' })).toEqual([HEX('2'), HEX('3')]);
    expect(ids({ kind: 'stopped-containers', labels: { t: '1' } })).toEqual([HEX('2')]);
  });
  it('unused volumes: anonymous only, unless named ones are confirmed', () => {
    expect(ids({ kind: 'unused-volumes' })).toEqual([HEX('e')]);
    expect(ids({ kind: 'unused-volumes', includeNamedVolumes: true })).toEqual(['cache', HEX('e'), 'unknown']);
  });
  it('build cache: unused, unshared records last used more than N days ago (the engine keeps shared ones)', () => {
    expect(ids({ kind: 'build-cache', olderThanDays: 7 })).toEqual(['k1']);
    expect(ids({ kind: 'build-cache', olderThanDays: 0 })).toEqual(['k1', 'k2']);
  });
});

describe('clean-up input is strict', () => {
  it.each([
    [{ kind: 'everything' }],
    [{ kind: 'build-cache', olderThanDays: -1 }],
    [{ kind: 'build-cache', olderThanDays: 1.5 }],
    [{ kind: 'unused-volumes', labels: { '../x': 'y' } }],
    [{ kind: 'unused-volumes', extra: true }],
  ])('refuses %j', (input) => {
    expect(CleanupScope.safeParse(input).success).toBe(false);
  });
  it('refuses ids that are neither hex ids nor volume names', () => {
    expect(CleanupRequest.safeParse({ kind: 'unused-volumes', ids: ['../../images/json'] }).success).toBe(false);
    expect(CleanupRequest.safeParse({ kind: 'unused-volumes', ids: ['data', HEX('e')] }).success).toBe(true);
  });
});

describe('a build-cache clean-up prunes nothing the preview did not show', () => {
  /** An engine whose system/df answers `cache`; every prune it is asked for is noted (and removes nothing). */
  const engineWith = (cache: SystemDf['BuildCache']) => {
    const prunes: unknown[] = [];
    const docker = {
      df: async () => ({ LayersSize: 0, BuildCache: cache }),
      modem: {
        dial: (options: unknown, done: (error: unknown, data: unknown) => void) => {
          prunes.push(options);
          done(null, { CachesDeleted: [], SpaceReclaimed: 0 });
        },
      },
    };
    return { prunes, engine: { docker, endpoint: 'unix:///fake.sock' } as unknown as EngineHandle };
  };
  const old = (ID: string) => ({
    ID,
    Size: 100,
    InUse: false,
    Shared: false,
    CreatedAt: new Date(Date.now() - 30 * DAY).toISOString(),
  });
  const request = (ids: string[]) => CleanupRequest.parse({ kind: 'build-cache', olderThanDays: 7, ids });

  /** The id filters of the prunes asked for, in order. */
  const idFilters = (prunes: unknown[]) =>
    prunes.map((p) => JSON.parse((p as { options: { filters: string } }).options.filters).id as string[]);

  it('prunes each confirmed record by its own anchored id, never one the filter matches but no one confirmed', async () => {
    const { prunes, engine } = engineWith([old('k1'), old('k9')]);
    const report = await runCleanup(engine, request(['k1']));
    expect(idFilters(prunes)).toEqual([['^k1$']]);
    // The fake engine removed nothing: the record is reported as kept, not claimed as removed.
    expect(report).toMatchObject({ removed: [], skipped: [{ id: 'k1' }] });
    // Nothing confirmed: nothing is pruned at all.
    const none = engineWith([old('k1')]);
    expect(await runCleanup(none.engine, request([]))).toMatchObject({ removed: [], freedBytes: 0 });
    expect(none.prunes).toEqual([]);
  });

  it('keeps the age limit on every prune', async () => {
    const { prunes, engine } = engineWith([old('k1')]);
    await runCleanup(engine, request(['k1', 'k9']));
    expect(prunes.map((p) => JSON.parse((p as { options: { filters: string } }).options.filters).until)).toEqual([
      ['168h'],
      ['168h'],
    ]);
  });
});
