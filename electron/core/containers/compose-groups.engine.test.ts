import Dockerode from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { composeGroupAction, listComposeGroups } from './index';

const engine = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const image = inject('nodeImage');
const litter = new EngineLitter();

afterAll(() => litter.cleanup());

const stateOf = (name: string) => docker('inspect', '--format', '{{.State.Status}}', name);

describe('compose groups', () => {
  it('groups a project’s containers by service, and stops then removes the whole project only', async () => {
    const project = uniqueName('proj').toLowerCase();
    const other = uniqueName('other').toLowerCase();
    const run = async (proj: string, service: string) => {
      const name = litter.container(uniqueName(service));
      await docker(
        'run',
        '-d',
        '--label',
        `com.docker.compose.project=${proj}`,
        '--label',
        `com.docker.compose.service=${service}`,
        '--name',
        name,
        image,
        'sleep',
        '600',
      );
      return name;
    };
    const web = [await run(project, 'web'), await run(project, 'web')];
    const db = await run(project, 'db');
    const outsider = await run(other, 'web');

    const group = (await listComposeGroups(engine)).find((g) => g.project === project);
    expect(group?.services.map((s) => [s.service, s.containers.map((c) => c.name)])).toEqual([
      ['db', [db]],
      ['web', [...web].sort()],
    ]);

    const stopped = await composeGroupAction(engine, project, 'stop');
    expect(stopped.failed).toEqual([]);
    expect(stopped.done).toHaveLength(3);
    for (const name of [...web, db]) expect(await stateOf(name)).toBe('exited');
    expect(await stateOf(outsider)).toBe('running');

    const started = await composeGroupAction(engine, project, 'start');
    expect(started.done).toHaveLength(3);
    expect(await stateOf(db)).toBe('running');

    const removed = await composeGroupAction(engine, project, 'remove');
    expect(removed.done).toHaveLength(3);
    expect((await listComposeGroups(engine)).find((g) => g.project === project)).toBeUndefined();
    expect(await stateOf(outsider)).toBe('running');
  });
});
