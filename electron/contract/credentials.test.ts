import { checkNamespace, repositoryPage } from './credentials';

describe('checkNamespace', () => {
  it('on Docker Hub, a namespace that is the user name is yours', () => {
    expect(checkNamespace('ana/notas-iv:1.0', 'ana')).toMatchObject({
      registry: 'docker.io',
      namespace: 'ana',
      verdict: 'yours',
      retag: null,
    });
  });

  it('on Docker Hub, another namespace is not yours, and the retag keeps the name and tag', () => {
    const check = checkNamespace('bob/notas-iv:1.2.0', 'ana');
    expect(check).toMatchObject({ verdict: 'not-yours', namespace: 'bob', retag: 'ana/notas-iv:1.2.0' });
    expect(check.message).toMatch(/organisation/);
  });

  it('a one-part Hub name is library/, for official images only', () => {
    const check = checkNamespace('notas-iv:latest', 'ana');
    expect(check).toMatchObject({ verdict: 'official', namespace: 'library', retag: 'ana/notas-iv:latest' });
    expect(check.message).toMatch(/official image/);
    expect(checkNamespace('docker.io/library/node:20', 'ana').verdict).toBe('official');
  });

  it('compares user names as Docker Hub does, in lower case', () => {
    expect(checkNamespace('ana/app', 'Ana').verdict).toBe('yours');
  });

  it('on another registry, a namespace part is compared and the limits are said', () => {
    const check = checkNamespace('127.0.0.1:5000/bob/app:1', 'ana');
    expect(check).toMatchObject({ verdict: 'not-yours', retag: '127.0.0.1:5000/ana/app:1' });
    expect(check.message).toMatch(/group or project/);
    expect(checkNamespace('127.0.0.1:5000/ana/app:1', 'ana').verdict).toBe('yours');
  });

  it('cannot check a name without a namespace part, a missing login, or Heroku', () => {
    expect(checkNamespace('127.0.0.1:5000/app:1', 'ana')).toMatchObject({ verdict: 'unchecked', namespace: null });
    expect(checkNamespace('bob/app:1', null)).toMatchObject({ verdict: 'unchecked' });
    expect(checkNamespace('registry.heroku.com/my-app/web', '_')).toMatchObject({ verdict: 'unchecked' });
  });

  it('offers no retag when the user name cannot be a namespace', () => {
    expect(checkNamespace('bob/app', 'ana@example.com')).toMatchObject({ verdict: 'not-yours', retag: null });
  });
});

describe('repositoryPage', () => {
  it("is Docker Hub's repository page for Hub names", () => {
    expect(repositoryPage('ana/notas-iv:1.0').url).toBe('https://hub.docker.com/r/ana/notas-iv');
    expect(repositoryPage('node:20').url).toBe('https://hub.docker.com/_/node');
  });

  it('says there is none for a registry Berth knows no page of', () => {
    const page = repositoryPage('127.0.0.1:5000/notas-iv:1.0');
    expect(page.url).toBeNull();
    expect(page.note).toMatch(/127\.0\.0\.1:5000 has no repository web page/);
  });
});
