import { normalizeRegistry, registryHost, serverAddress, splitReference } from './reference';

describe('registryHost', () => {
  it.each([
    ['notas-iv', 'docker.io'],
    ['notas-iv:1.0', 'docker.io'],
    ['user/notas-iv:1.0', 'docker.io'],
    ['library/node:22-alpine', 'docker.io'],
    ['docker.io/user/notas-iv', 'docker.io'],
    ['index.docker.io/user/notas-iv', 'docker.io'],
    ['localhost/notas-iv', 'localhost'],
    ['localhost:5000/notas-iv:1.0', 'localhost:5000'],
    ['127.0.0.1:5000/notas-iv:1.0', '127.0.0.1:5000'],
    ['registry.heroku.com/my-app/web', 'registry.heroku.com'],
    ['myacr.azurecr.io/team/app@sha256:abc', 'myacr.azurecr.io'],
    ['my-org/team/app', 'docker.io'],
  ])('%s lives on %s', (ref, host) => {
    expect(registryHost(ref)).toBe(host);
  });
});

describe('serverAddress', () => {
  it('is the v1 index address for Docker Hub, in any spelling', () => {
    expect(serverAddress('docker.io')).toBe('https://index.docker.io/v1/');
    expect(serverAddress('https://index.docker.io/v1/')).toBe('https://index.docker.io/v1/');
    expect(serverAddress('registry-1.docker.io')).toBe('https://index.docker.io/v1/');
  });

  it('is host[:port] for other registries', () => {
    expect(serverAddress('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(serverAddress('http://127.0.0.1:5000/')).toBe('127.0.0.1:5000');
    expect(serverAddress('Registry.Heroku.com')).toBe('registry.heroku.com');
  });
});

describe('normalizeRegistry', () => {
  it('drops scheme, path and case, and folds Docker Hub aliases', () => {
    expect(normalizeRegistry(' https://Index.Docker.io/v1/ ')).toBe('docker.io');
    expect(normalizeRegistry('registry.hub.docker.com')).toBe('docker.io');
    expect(normalizeRegistry('localhost:5000/v2/')).toBe('localhost:5000');
  });
});

describe('splitReference', () => {
  it('does not mistake a port for a tag', () => {
    expect(splitReference('127.0.0.1:5000/notas-iv')).toEqual({
      repository: '127.0.0.1:5000/notas-iv',
      tag: 'latest',
      digest: null,
    });
    expect(splitReference('127.0.0.1:5000/notas-iv:1.0')).toEqual({
      repository: '127.0.0.1:5000/notas-iv',
      tag: '1.0',
      digest: null,
    });
  });

  it('defaults the tag to latest and keeps a digest apart', () => {
    expect(splitReference('notas-iv')).toEqual({ repository: 'notas-iv', tag: 'latest', digest: null });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(splitReference(`user/app:2@${digest}`)).toEqual({ repository: 'user/app', tag: '2', digest });
  });
});
