import {
  canonicalReference,
  ImageRef,
  isImageId,
  normalizeRegistry,
  onRegistry,
  parseImageReference,
  registryHost,
  serverAddress,
  TagRef,
} from './image-reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference reads the docker grammar', () => {
  it.each([
    // text, domain, registry, path, repository, tag, digest
    ['notas-iv', null, 'docker.io', 'library/notas-iv', 'notas-iv', null, null],
    ['notas-iv:1.0', null, 'docker.io', 'library/notas-iv', 'notas-iv', '1.0', null],
    ['user/notas-iv:1.0', null, 'docker.io', 'user/notas-iv', 'user/notas-iv', '1.0', null],
    ['my-org/team/app', null, 'docker.io', 'my-org/team/app', 'my-org/team/app', null, null],
    ['docker.io/node', 'docker.io', 'docker.io', 'library/node', 'docker.io/node', null, null],
    ['index.docker.io/user/app', 'index.docker.io', 'docker.io', 'user/app', 'index.docker.io/user/app', null, null],
    ['localhost/notas', 'localhost', 'localhost', 'notas', 'localhost/notas', null, null],
    ['localhost:5000/x', 'localhost:5000', 'localhost:5000', 'x', 'localhost:5000/x', null, null],
    [
      '127.0.0.1:5000/notas-iv:1.0',
      '127.0.0.1:5000',
      '127.0.0.1:5000',
      'notas-iv',
      '127.0.0.1:5000/notas-iv',
      '1.0',
      null,
    ],
    ['[::1]:5000/repo:tag', '[::1]:5000', '[::1]:5000', 'repo', '[::1]:5000/repo', 'tag', null],
    ['[2001:db8::1]/repo', '[2001:db8::1]', '[2001:db8::1]', 'repo', '[2001:db8::1]/repo', null, null],
    [
      'Registry.Example.com/a/b',
      'Registry.Example.com',
      'registry.example.com',
      'a/b',
      'Registry.Example.com/a/b',
      null,
      null,
    ],
    [`ghcr.io/me/app:2@${DIGEST}`, 'ghcr.io', 'ghcr.io', 'me/app', 'ghcr.io/me/app', '2', DIGEST],
    [`node@${DIGEST}`, null, 'docker.io', 'library/node', 'node', null, DIGEST],
    ['a__b_c-d---e/f_g:v1.2-rc_3', null, 'docker.io', 'a__b_c-d---e/f_g', 'a__b_c-d---e/f_g', 'v1.2-rc_3', null],
  ])('%s', (text, domain, registry, path, repository, tag, digest) => {
    expect(parseImageReference(text)).toMatchObject({ domain, registry, path, repository, tag, digest });
  });

  it.each([
    '',
    'Notas', // upper case in the path
    'notas:', // empty tag
    'notas:-x', // a tag starts with a word character
    `notas:${'t'.repeat(129)}`, // tags are at most 128 characters
    'notas@sha256:abc', // digest too short
    '/notas',
    'notas/',
    'a//b',
    'a..b',
    '-a/b', // a domain component cannot start with a dash... and it is not a path component either
    '::1/repo', // IPv6 needs brackets
    '[::1/repo',
    'host:port/repo', // a port is digits
    'ex-.com/a',
    'a b',
    `${'a'.repeat(256)}`, // names are at most 255 characters
  ])('refuses %j', (text) => {
    expect(parseImageReference(text)).toBeNull();
  });

  it('normalises the way the engine stores names', () => {
    const canonical = (text: string) => canonicalReference(parseImageReference(text)!);
    expect(canonical('node')).toBe('docker.io/library/node:latest');
    expect(canonical('user/app:1')).toBe('docker.io/user/app:1');
    expect(canonical('index.docker.io/node:22')).toBe('docker.io/library/node:22');
    expect(canonical(`node@${DIGEST}`)).toBe(`docker.io/library/node@${DIGEST}`);
    expect(canonical('localhost:5000/x')).toBe('localhost:5000/x:latest');
    expect(canonical('[::1]:5000/repo:tag')).toBe('[::1]:5000/repo:tag');
  });
});

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
    ['[::1]:5000/notas-iv:1.0', '[::1]:5000'],
    ['registry.heroku.com/my-app/web', 'registry.heroku.com'],
    ['myacr.azurecr.io/team/app@sha256:abc', 'myacr.azurecr.io'],
    ['ghcr.io/me/notas', 'ghcr.io'],
    ['my-org/team/app', 'docker.io'],
  ])('%s lives on %s', (ref, host) => {
    expect(registryHost(ref)).toBe(host);
  });
});

describe('serverAddress and normalizeRegistry', () => {
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

  it('drops scheme, path and case, and folds Docker Hub aliases', () => {
    expect(normalizeRegistry(' https://Index.Docker.io/v1/ ')).toBe('docker.io');
    expect(normalizeRegistry('registry.hub.docker.com')).toBe('docker.io');
    expect(normalizeRegistry('localhost:5000/v2/')).toBe('localhost:5000');
  });
});

describe('onRegistry proposes the same image on another registry', () => {
  it.each([
    ['notas-iv:latest', '127.0.0.1:5000', '127.0.0.1:5000/notas-iv:latest'],
    ['127.0.0.1:5000/notas-iv:1.0', 'ghcr.io', 'ghcr.io/notas-iv:1.0'],
    ['[::1]:5000/notas-iv:1.0', 'localhost:5000', 'localhost:5000/notas-iv:1.0'],
    ['notas-iv:latest', 'docker.io', 'notas-iv:latest'],
    [`user/app:2@${DIGEST}`, '127.0.0.1:5000', '127.0.0.1:5000/user/app:2'],
  ])('%s on %s → %s', (source, registry, target) => {
    expect(onRegistry(source, registry)).toBe(target);
  });
});

describe('the ImageRef and TagRef schemas', () => {
  it('ImageRef takes names and ids, TagRef only names without a digest', () => {
    for (const ok of ['notas-iv', '[::1]:5000/repo:tag', 'sha256:0123456789ab', '0123456789abcdef', `a@${DIGEST}`]) {
      expect(ImageRef.safeParse(ok).success).toBe(true);
    }
    expect(ImageRef.safeParse('Not/Valid!').success).toBe(false);
    expect(TagRef.safeParse('localhost:5000/x:1').success).toBe(true);
    expect(TagRef.safeParse(`a@${DIGEST}`).success).toBe(false);
  });

  // The engine is the oracle (dockerd 20.10, checked with `docker tag`): a 64-hex name is "cannot specify
  // 64-byte hexadecimal strings"; the familiar name sha256 is "refusing to create an ambiguous tag using
  // digest algorithm as name". An image id is still an ImageRef, but never a tag to create or push.
  it.each([
    `sha256:${'a'.repeat(64)}`,
    'sha256',
    'sha256:latest',
    'library/sha256:1',
    'docker.io/library/sha256:1',
    'a'.repeat(64),
    `${'a'.repeat(64)}:latest`,
  ])('TagRef refuses %s, a name the engine refuses to tag', (text) => {
    expect(TagRef.safeParse(text).success).toBe(false);
  });

  it('a 64-hex name is not a name, though it is an image id', () => {
    expect(parseImageReference('a'.repeat(64))).toBeNull();
    expect(parseImageReference(`${'a'.repeat(64)}:latest`)).toBeNull();
    expect(ImageRef.safeParse('a'.repeat(64)).success).toBe(true);
    expect(TagRef.safeParse('127.0.0.1:5000/sha256:1').success).toBe(true); // not ambiguous off the Hub
    expect(TagRef.safeParse(`user/${'a'.repeat(64)}:1`).success).toBe(true);
  });

  it('tells ids from names', () => {
    expect(isImageId(`sha256:${'0'.repeat(64)}`)).toBe(true);
    expect(isImageId('0123456789ab')).toBe(true);
    expect(isImageId('notas-iv')).toBe(false);
  });
});
