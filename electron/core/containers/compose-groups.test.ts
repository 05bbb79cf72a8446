import { describe, expect, it } from 'vitest';
import { ComposeGroupAction } from '../../contract';
import { composeGroups } from './compose-groups';

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
});
