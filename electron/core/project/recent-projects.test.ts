import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECENT_PROJECTS_KEPT, RecentProjects } from './recent-projects';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-recent-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('recent projects', () => {
  it('remembers each project once, newest first, in a file only its owner can read', async () => {
    const recent = new RecentProjects(dir);
    expect(await recent.list()).toEqual([]);
    await recent.remember({ contextDir: '/a', dockerfile: 'Dockerfile', target: null }, 1);
    await recent.remember({ contextDir: '/b', dockerfile: 'Dockerfile', target: 'build' }, 2);
    await recent.remember({ contextDir: '/a', dockerfile: 'Dockerfile', target: null }, 3);
    expect(await recent.list()).toEqual([
      { contextDir: '/a', dockerfile: 'Dockerfile', target: null, usedAt: 3 },
      { contextDir: '/b', dockerfile: 'Dockerfile', target: 'build', usedAt: 2 },
    ]);
    expect(statSync(recent.filePath).mode & 0o777).toBe(0o600);
  });

  it(`keeps the newest ${RECENT_PROJECTS_KEPT}, even when written concurrently`, async () => {
    const recent = new RecentProjects(dir);
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        recent.remember({ contextDir: `/p${i}`, dockerfile: 'Dockerfile', target: null }, i),
      ),
    );
    const list = await recent.list();
    expect(list.map((p) => p.contextDir)).toEqual(Array.from({ length: 10 }, (_, i) => `/p${14 - i}`));
  });

  it('validates on read: a damaged file is empty, bad entries are left out', async () => {
    const recent = new RecentProjects(dir);
    writeFileSync(recent.filePath, '{not json');
    expect(await recent.list()).toEqual([]);
    writeFileSync(recent.filePath, JSON.stringify({ contextDir: '/x' }));
    expect(await recent.list()).toEqual([]);
    writeFileSync(
      recent.filePath,
      JSON.stringify([
        { contextDir: '/ok', dockerfile: 'Dockerfile', target: null, usedAt: 5 },
        { contextDir: 'relative', dockerfile: 'Dockerfile', target: null, usedAt: 6 },
        { contextDir: '/no-time', dockerfile: 'Dockerfile', target: null },
        '/just-a-string',
      ]),
    );
    expect((await recent.list()).map((p) => p.contextDir)).toEqual(['/ok']);
    await recent.remember({ contextDir: '/new', dockerfile: 'Dockerfile', target: null }, 7);
    expect(JSON.parse(readFileSync(recent.filePath, 'utf8'))).toHaveLength(2);
  });
});
