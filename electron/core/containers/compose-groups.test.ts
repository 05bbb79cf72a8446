import { describe, expect, it } from 'vitest';
import { COMPOSE_PROJECT_LABEL, ComposeGroupAction } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { composeGroupAction, composeGroups } from './compose-groups';

const entry = (Id: string, name: string, labels: Record<string, string>, State = 'running') => ({
  Id,
  Names: [`/${name}`],
  State,
  Labels: labels,
});
const compose = (project: string, service: string) => ({
  'com.docker.compose.project': project,
  'com.docker.compose.service': service,
});

describe('compose groups', () => {
  it('groups by project then service, sorted; containers without the project label are left out', () => {
    expect(
      composeGroups([
        entry('3', 'shop-web-2', compose('shop', 'web')),
        entry('1', 'shop-db-1', compose('shop', 'db'), 'exited'),
        entry('2', 'shop-web-1', compose('shop', 'web')),
        entry('4', 'blog-app-1', compose('blog', 'app')),
        entry('5', 'loose', {}),
      ]),
    ).toEqual([
      {
        project: 'blog',
        services: [{ service: 'app', containers: [{ id: '4', name: 'blog-app-1', state: 'running' }] }],
      },
      {
        project: 'shop',
        services: [
          { service: 'db', containers: [{ id: '1', name: 'shop-db-1', state: 'exited' }] },
          {
            service: 'web',
            containers: [
              { id: '2', name: 'shop-web-1', state: 'running' },
              { id: '3', name: 'shop-web-2', state: 'running' },
            ],
          },
        ],
      },
    ]);
  });

  it.each([['Shop'], ['a,b'], ['x=y'], [''], ['../x']])('refuses the project name %j', (project) => {
    expect(ComposeGroupAction.safeParse({ project, action: 'stop' }).success).toBe(false);
  });

  it('a remove names the containers the user confirmed; start and stop need none', () => {
    expect(ComposeGroupAction.safeParse({ project: 'shop', action: 'remove' }).success).toBe(false);
    expect(ComposeGroupAction.safeParse({ project: 'shop', action: 'remove', ids: ['../x'] }).success).toBe(false);
    expect(ComposeGroupAction.safeParse({ project: 'shop', action: 'remove', ids: ['a'.repeat(64)] }).success).toBe(
      true,
    );
    expect(ComposeGroupAction.safeParse({ project: 'shop', action: 'stop' }).success).toBe(true);
  });
});

describe('composeGroupAction', () => {
  it('removes only the confirmed containers: one that joined the project since is left, and said so', async () => {
    const removed: string[] = [];
    const listed = ['a', 'b', 'e'].map((c) => ({
      Id: c.repeat(64),
      Names: [`/shop-${c}`],
      State: 'running',
      Labels: { [COMPOSE_PROJECT_LABEL]: 'shop' },
    }));
    const docker = {
      listContainers: async () => listed,
      getContainer: (id: string) => ({ remove: async () => void removed.push(id) }),
    };
    const engine = { docker, endpoint: 'unix:///fake.sock' } as unknown as EngineHandle;
    const result = await composeGroupAction(engine, 'shop', 'remove', ['a'.repeat(64), 'b'.repeat(64), 'f'.repeat(64)]);
    expect(removed.sort()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect(result.done.sort()).toEqual(removed);
    expect(result.failed).toEqual([
      { id: 'e'.repeat(64), message: expect.stringMatching(/not among the containers you confirmed/) },
      { id: 'f'.repeat(64), message: expect.stringMatching(/no longer in project shop/) },
    ]);
  });
});
