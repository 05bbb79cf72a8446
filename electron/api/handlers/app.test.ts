import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecentProjects } from '../../core/project/recent-projects';
import { createRouter } from '../router';
import type { Services } from '../services';
import { appHandlers } from './app';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-app-handlers-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const services = () => ({ recent: new RecentProjects(dir) }) as unknown as Services;

/** Only the app procedures are wired; the router validates their inputs and outputs against the contract. */
const routerWith = (pickFolder?: (defaultPath: string | undefined) => Promise<string | null>) =>
  createRouter(appHandlers(services(), { projectDir: dir, ...(pickFolder && { pickFolder }) }) as never, {} as never);

describe('app procedures', () => {
  it('app.pickFolder is UNSUPPORTED in web mode, with why and what to do instead', async () => {
    await expect(routerWith().call('app.pickFolder', {})).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      fix: expect.stringMatching(/Type the folder path, or choose a recent project/),
    });
  });

  it('app.pickFolder returns the folder the native dialog chose, and null for a cancel or a non-path', async () => {
    const asked: (string | undefined)[] = [];
    const answers = ['/home/me/app', null, 'relative/path'];
    const router = routerWith(async (defaultPath) => {
      asked.push(defaultPath);
      return answers.shift() ?? null;
    });
    expect(await router.call('app.pickFolder', { defaultPath: '/home' })).toEqual({ path: '/home/me/app' });
    expect(await router.call('app.pickFolder', {})).toEqual({ path: null });
    expect(await router.call('app.pickFolder', {})).toEqual({ path: null });
    expect(asked).toEqual(['/home', undefined, undefined]);
    await expect(router.call('app.pickFolder', { defaultPath: 'x\0y' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(router.call('app.pickFolder', { extra: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('dockerfile.read answers through the contract, and refuses a NUL in the path before touching the disk', async () => {
    const router = routerWith();
    expect(await router.call('dockerfile.read', { contextDir: dir })).toMatchObject({
      dockerfile: 'Dockerfile',
      bundled: true,
      outline: { stages: [{ index: 0, name: null, base: 'scratch', line: 1 }] },
    });
    await expect(router.call('dockerfile.read', { contextDir: dir, dockerfile: 'a\0b' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { dockerfile: [expect.stringContaining('NUL')] },
    });
  });
});
