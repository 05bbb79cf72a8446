import { describe, expect, it } from 'vitest';
import { ContainerChanges, RunSpec } from '../../contract';
import { editedSpec, settingsDiff } from './edit-container';

const current = RunSpec.parse({
  image: 'notas-iv:1',
  name: 'web',
  env: { PORT: '3000', MODE: 'dev' },
  ports: [{ hostPort: 8080, containerPort: 3000 }],
  volumes: [{ source: 'data', target: '/data' }],
  command: ['node', 'server.js'],
});

describe('editing a container’s settings', () => {
  it('changes only what is given and keeps the rest (name, command, volumes)', () => {
    const next = editedSpec(current, ContainerChanges.parse({ ports: [{ hostPort: 8081, containerPort: 3000 }] }));
    expect(next).toEqual({
      ...current,
      ports: [{ hostIp: '127.0.0.1', hostPort: 8081, containerPort: 3000, protocol: 'tcp' }],
    });
  });

  it('restart "no" leaves the policy out; another sets it', () => {
    expect(editedSpec(current, { restart: 'always' }).restart).toBe('always');
    expect(editedSpec({ ...current, restart: 'always' }, { restart: 'no' })).not.toHaveProperty('restart');
  });

  it('the diff lists removed and added lines per setting, and nothing for unchanged settings', () => {
    const next = editedSpec(current, {
      image: 'notas-iv:2',
      env: { PORT: '3000', MODE: 'prod' },
      restart: 'unless-stopped',
    });
    expect(settingsDiff(current, next)).toEqual([
      { setting: 'image', removed: ['notas-iv:1'], added: ['notas-iv:2'] },
      { setting: 'env', removed: ['MODE=dev'], added: ['MODE=prod'] },
      { setting: 'restart', removed: ['no'], added: ['unless-stopped'] },
    ]);
    expect(settingsDiff(current, current)).toEqual([]);
  });

  it.each([
    [{ ports: [{ hostPort: 0, containerPort: 3000 }] }],
    [{ ports: [{ hostPort: 70000, containerPort: 3000 }] }],
    [{ env: { 'A=B': 'x' } }],
    [{ volumes: [{ source: 'data', target: 'relative' }] }],
    [{ image: 'app:no spaces' }],
    [{ restart: 'sometimes' }],
    [{ command: ['sh'] }],
  ])('refuses %j', (changes) => {
    expect(ContainerChanges.safeParse(changes).success).toBe(false);
  });
});
