import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigPath, helperFor, parseDockerConfig, readDockerConfig } from './docker-config';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('the docker CLI config', () => {
  it('is $DOCKER_CONFIG/config.json, else ~/.docker/config.json', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/tmp/dc' }, '/home/ana')).toBe('/tmp/dc/config.json');
    expect(dockerConfigPath({}, '/home/ana')).toBe('/home/ana/.docker/config.json');
    expect(dockerConfigPath({ DOCKER_CONFIG: ' ' }, '/home/ana')).toBe('/home/ana/.docker/config.json');
  });

  it('reads auths (base64 user:password, identity tokens), credsStore and credHelpers, by registry', () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('ana:pa:ss') },
          '127.0.0.1:5000': { auth: b64('bob:pw') },
          'registry.example.com': { username: 'carol', identitytoken: 'tok' },
          'ghcr.io': {},
        },
        credsStore: 'desktop',
        credHelpers: { 'HTTPS://Quay.io': 'pass', 'bad.example': '../../bin/sh' },
      }),
      '/x/config.json',
    );
    expect([...config.auths.values()]).toEqual([
      { registry: 'docker.io', username: 'ana', password: 'pa:ss' },
      { registry: '127.0.0.1:5000', username: 'bob', password: 'pw' },
      { registry: 'registry.example.com', username: 'carol', password: '', identityToken: 'tok' },
    ]);
    expect(config.credsStore).toBe('desktop');
    expect([...config.credHelpers]).toEqual([['quay.io', 'pass']]);
    expect(helperFor(config, 'quay.io')).toBe('pass');
    expect(helperFor(config, 'docker.io')).toBe('desktop');
  });

  it('a missing file is an empty config; a damaged one says which file and how to fix it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-dockerconfig-'));
    try {
      const empty = await readDockerConfig(join(dir, 'config.json'));
      expect(empty.auths.size).toBe(0);
      expect(empty.credsStore).toBeNull();
      await writeFile(join(dir, 'config.json'), '{"auths": ');
      await expect(readDockerConfig(join(dir, 'config.json'))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: `The docker CLI config ${join(dir, 'config.json')} cannot be read: it is not JSON.`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
