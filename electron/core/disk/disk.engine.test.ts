import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { BerthError, type DiskCategory } from '../../contract';
import { buildDanglingImage, buildTestImage } from '../images/test/test-image';
import { diskUsage, previewCleanup, runCleanup, systemDf } from './index';

const client = new Dockerode();
const engine = { docker: client, endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const nodeImage = inject('nodeImage');
const litter = new EngineLitter();
/** `system/df` walks every layer and cache record; on a busy test engine one call has taken over 20 s. */
const DF_DEADLINE_MS = 600_000;
/** How many times the oracle comparison is retried when the engine changed between the two readings. */
const ORACLE_ATTEMPTS = 3;

afterAll(() => litter.cleanup());

/** The docker CLI's size text (go-units HumanSize: 4 significant digits, powers of 1000). */
function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${Number(size.toPrecision(4))}${units[unit]}`;
}

const asCli = (row: DiskCategory) => ({
  TotalCount: String(row.total),
  Active: String(row.active),
  Size: humanSize(row.sizeBytes),
  Reclaimable: humanSize(row.reclaimableBytes),
});

async function cliRows(): Promise<Record<string, ReturnType<typeof asCli>>> {
  const lines = (await docker('system', 'df', '--format', '{{json .}}')).split('\n');
  const rows: Record<string, ReturnType<typeof asCli>> = {};
  for (const line of lines) {
    const row = JSON.parse(line) as { Type: string } & ReturnType<typeof asCli>;
    rows[row.Type] = {
      TotalCount: row.TotalCount,
      Active: row.Active,
      Size: row.Size,
      Reclaimable: row.Reclaimable.replace(/ \(\d+%\)$/, ''),
    };
  }
  return rows;
}

/** A previewed id as the CLI prints it. */
const ids = (items: Array<{ id: string }>) => items.map((i) => i.id).sort();

describe('the Disk view against `docker system df`', () => {
  it(
    'counts, sizes and reclaimable space agree with the CLI, and the objects with `docker system df -v`',
    async () => {
      let last: unknown;
      for (let attempt = 0; attempt < ORACLE_ATTEMPTS; attempt += 1) {
        const df = await systemDf(engine);
        const usage = diskUsage(df);
        const ours = {
          Images: asCli(usage.images),
          Containers: asCli(usage.containers),
          'Local Volumes': asCli(usage.volumes),
          'Build Cache': asCli(usage.buildCache),
        };
        const theirs = await cliRows();
        const verbose = JSON.parse(await docker('system', 'df', '-v', '--format', '{{json .}}')) as {
          Images: Array<{ ID: string }>;
          Containers: Array<{ ID: string }>;
          Volumes: Array<{ Name: string }>;
        };
        const objects = {
          images: (df.Images ?? []).map((i) => i.Id).sort(),
          containers: (df.Containers ?? []).map((c) => c.Id.slice(0, 12)).sort(),
          volumes: (df.Volumes ?? []).map((v) => v.Name).sort(),
        };
        const cliObjects = {
          images: verbose.Images.map((i) => i.ID).sort(),
          containers: verbose.Containers.map((c) => c.ID.slice(0, 12)).sort(),
          volumes: verbose.Volumes.map((v) => v.Name).sort(),
        };
        last = { ours, theirs, objects, cliObjects };
        // Another process may change the engine between the readings: retry a few times before failing.
        if (JSON.stringify(ours) === JSON.stringify(theirs) && JSON.stringify(objects) === JSON.stringify(cliObjects))
          return;
      }
      const { ours, theirs, objects, cliObjects } = last as Record<string, unknown>;
      expect(ours).toEqual(theirs);
      expect(objects).toEqual(cliObjects);
    },
    DF_DEADLINE_MS * ORACLE_ATTEMPTS,
  );
});

describe('clean-ups remove exactly what they previewed', () => {
  it(
    'stopped containers: only the labelled stopped ones; a running one and an unlabelled one survive',
    async () => {
      const mark = { 'io.berth.test-disk': uniqueName('mark') };
      const markFlags = ['--label', `io.berth.test-disk=${mark['io.berth.test-disk']}`];
      const stopped = [uniqueName('stopped'), uniqueName('stopped')].map((n) => litter.container(n));
      for (const name of stopped) await docker('create', ...markFlags, '--name', name, nodeImage, 'true');
      const running = litter.container(uniqueName('running'));
      await docker('run', '-d', ...markFlags, '--name', running, nodeImage, 'sleep', '600');
      const unlabelled = litter.container(uniqueName('unlabelled'));
      await docker('create', '--name', unlabelled, nodeImage, 'true');

      const preview = await previewCleanup(engine, {
        kind: 'stopped-containers',
        includeNamedVolumes: false,
        olderThanDays: 7,
        labels: mark,
      });
      expect(preview.exact).toBe(true);
      expect(preview.items.map((i) => i.name).sort()).toEqual([...stopped].sort());

      const report = await runCleanup(engine, {
        kind: 'stopped-containers',
        includeNamedVolumes: false,
        olderThanDays: 7,
        labels: mark,
        ids: ids(preview.items),
      });
      expect(report.removed.sort()).toEqual(ids(preview.items));
      expect(report.skipped).toEqual([]);
      const left = (await docker('ps', '-a', '--format', '{{.Names}}')).split('\n');
      for (const name of stopped) expect(left).not.toContain(name);
      expect(left).toContain(running);
      expect(left).toContain(unlabelled);
    },
    DF_DEADLINE_MS * 2,
  );

  it(
    'unused volumes: anonymous ones first, named ones only with the extra confirmation; in-use and unlabelled survive',
    async () => {
      const mark = { 'io.berth.test-disk': uniqueName('mark') };
      const markFlag = `io.berth.test-disk=${mark['io.berth.test-disk']}`;
      // An anonymous volume is one whose name the engine chose: 64 hex digits.
      const hex = litter.volume(randomBytes(32).toString('hex'));
      await docker('volume', 'create', '--label', markFlag, hex);
      const named = litter.volume(uniqueName('named'));
      await docker('volume', 'create', '--label', markFlag, named);
      const used = litter.volume(uniqueName('used'));
      await docker('volume', 'create', '--label', markFlag, used);
      await docker('create', '--name', litter.container(uniqueName('user')), '-v', `${used}:/data`, nodeImage, 'true');
      const unlabelled = litter.volume(uniqueName('unlabelled'));
      await docker('volume', 'create', unlabelled);

      const scope = { kind: 'unused-volumes' as const, olderThanDays: 7, labels: mark };
      const anonymousOnly = await previewCleanup(engine, { ...scope, includeNamedVolumes: false });
      expect(ids(anonymousOnly.items)).toEqual([hex]);

      const withNamed = await previewCleanup(engine, { ...scope, includeNamedVolumes: true });
      expect(ids(withNamed.items)).toEqual([hex, named].sort());
      expect(withNamed.items.find((i) => i.id === named)?.named).toBe(true);

      // A named volume without the extra confirmation is refused, and nothing is removed.
      const refused = await runCleanup(engine, {
        ...scope,
        includeNamedVolumes: false,
        ids: ids(withNamed.items),
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BerthError);
      expect((refused as BerthError).code).toBe('INVALID_INPUT');
      expect((await docker('volume', 'ls', '-q')).split('\n')).toContain(hex);

      const report = await runCleanup(engine, { ...scope, includeNamedVolumes: true, ids: ids(withNamed.items) });
      expect(report.removed.sort()).toEqual(ids(withNamed.items));
      const left = (await docker('volume', 'ls', '-q')).split('\n');
      expect(left).not.toContain(hex);
      expect(left).not.toContain(named);
      expect(left).toContain(used);
      expect(left).toContain(unlabelled);
    },
    DF_DEADLINE_MS * 3,
  );

  it(
    'dangling images: the labelled dangling one goes, an unlabelled dangling one survives',
    async () => {
      const mark = { 'io.berth.test-disk': uniqueName('mark') };
      const dangle = (labels: Record<string, string>) =>
        buildDanglingImage(client, {
          tag: `${uniqueName('dangle')}:1`,
          baseImage: nodeImage,
          labels: { ...testLabels(), ...labels },
          keep: (ref) => litter.image(ref),
        });
      const pruneMe = await dangle(mark);
      const keepMe = await dangle({});

      const scope = { kind: 'dangling-images' as const, includeNamedVolumes: false, olderThanDays: 7, labels: mark };
      const preview = await previewCleanup(engine, scope);
      expect(ids(preview.items)).toEqual([pruneMe]);
      const report = await runCleanup(engine, { ...scope, ids: ids(preview.items) });
      expect(report.removed).toEqual([pruneMe]);
      await expect(docker('image', 'inspect', pruneMe)).rejects.toThrow();
      expect(await docker('image', 'inspect', '--format', '{{.Id}}', keepMe)).toBe(keepMe);
    },
    DF_DEADLINE_MS * 2,
  );

  it(
    'build cache older than N days: the preview lists exactly what the clean-up removes, and only what it was given',
    async () => {
      // Build cache records carry no labels: this test makes two whose descriptions hold a marker no one
      // else uses, and sends back only their ids, so nothing another build made is touched.
      const marker = `berth-cache-${randomBytes(8).toString('hex')}`;
      const tag = litter.image(`${uniqueName('cache')}:latest`);
      await buildTestImage(client, {
        tag,
        buildkit: true,
        labels: testLabels(),
        dockerfile: `FROM ${nodeImage}\nRUN echo ${marker} > /one\nRUN echo ${marker} > /two\n`,
      });
      // While the image holds their layers the records are shared, and the engine's prune keeps them.
      await docker('rmi', tag);
      const ours = (items: Array<{ id: string; name: string }>) =>
        items
          .filter((item) => item.name.includes(marker))
          .map((item) => item.id)
          .sort();
      const cliCacheIds = async () =>
        (
          JSON.parse(await docker('system', 'df', '-v', '--format', '{{json .}}')) as {
            BuildCache: Array<{ ID: string }> | null;
          }
        ).BuildCache?.map((c) => c.ID) ?? [];

      // Made a moment ago, so not older than a day: not previewed, and refused if sent anyway.
      const dayOld = await previewCleanup(engine, {
        kind: 'build-cache',
        includeNamedVolumes: false,
        olderThanDays: 1,
      });
      expect(ours(dayOld.items)).toEqual([]);
      const fresh = await previewCleanup(engine, { kind: 'build-cache', includeNamedVolumes: false, olderThanDays: 0 });
      const mine = ours(fresh.items);
      expect(mine).toHaveLength(2);
      const notYet = await runCleanup(engine, {
        kind: 'build-cache',
        includeNamedVolumes: false,
        olderThanDays: 1,
        ids: mine,
      });
      expect(notYet.removed).toEqual([]);
      expect(notYet.skipped.map((s) => s.id).sort()).toEqual(mine);

      const others = fresh.items.map((i) => i.id).filter((id) => !mine.includes(id));
      const report = await runCleanup(engine, {
        kind: 'build-cache',
        includeNamedVolumes: false,
        olderThanDays: 0,
        ids: mine,
      });
      expect([...report.removed].sort()).toEqual(mine);
      expect(report.skipped).toEqual([]);
      const left = await cliCacheIds();
      // The CLI prints record ids cut to 12 characters, as it does every id.
      for (const id of mine) expect(left.some((shown) => id.startsWith(shown.replace(/\*$/, '')))).toBe(false);
      for (const id of others) expect(left.some((shown) => id.startsWith(shown.replace(/\*$/, '')))).toBe(true);
    },
    DF_DEADLINE_MS * 3,
  );

  it('build cache cannot be limited by label (its records carry none), so a labelled clean-up is refused', async () => {
    const scope = { kind: 'build-cache' as const, includeNamedVolumes: false, olderThanDays: 7, labels: { a: 'b' } };
    await expect(previewCleanup(engine, scope)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runCleanup(engine, { ...scope, ids: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
