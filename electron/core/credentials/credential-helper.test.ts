import { delimiter, isAbsolute, relative } from 'node:path';
import { installTestHelpers, type TestHelpers } from '../../../test/credential-helper-harness';
import { BerthError } from '../../contract';
import { CredentialHelper } from './credential-helper';

/** A deadline short enough for the hanging helper, long enough for node to start on a busy machine. */
const SHORT_DEADLINE_MS = 3_000;
const SECRET = 'helper-secret-4f9a';

let helpers: TestHelpers;

beforeAll(async () => {
  helpers = await installTestHelpers({ store: 'berthtest', fail: 'berthfail', hang: 'berthhang' });
});
afterAll(() => helpers.remove());

const helper = (name: string, deadlineMs?: number) =>
  new CredentialHelper(name, { env: helpers.env(), ...(deadlineMs !== undefined && { deadlineMs }) });

describe('CredentialHelper against a real helper program on PATH', () => {
  it('stores, gets, lists and erases a login, as the helper keeps it', async () => {
    const h = helper('berthtest');
    await h.store('127.0.0.1:5999', 'ana', SECRET);
    expect(await helpers.stored()).toEqual({ '127.0.0.1:5999': { Username: 'ana', Secret: SECRET } });
    expect(await h.get('127.0.0.1:5999')).toEqual({ username: 'ana', secret: SECRET, identityToken: false });
    expect(await h.list()).toEqual({ '127.0.0.1:5999': 'ana' });
    await h.erase('127.0.0.1:5999');
    expect(await helpers.stored()).toEqual({});
    expect(await h.list()).toEqual({});
  });

  it('reads "credentials not found in native keychain" as no login, and erasing nothing is fine', async () => {
    const h = helper('berthtest');
    expect(await h.get('registry.example.com')).toBeUndefined();
    await expect(h.erase('registry.example.com')).resolves.toBeUndefined();
  });

  it('reads a <token> user name as an identity token', async () => {
    const h = helper('berthtest');
    await h.store('https://index.docker.io/v1/', '<token>', 'refresh-token-1');
    expect(await h.get('https://index.docker.io/v1/')).toEqual({
      username: '',
      secret: 'refresh-token-1',
      identityToken: true,
    });
    await h.erase('https://index.docker.io/v1/');
  });

  it('a failing helper is HELPER_FAILED with its own words, and never quotes the secret', async () => {
    const h = helper('berthfail');
    const error = await h.store('127.0.0.1:5999', 'ana', SECRET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({ code: 'HELPER_FAILED' });
    const { message, fix } = error as BerthError;
    expect(message).toContain('docker-credential-berthfail store failed (exit 1)');
    expect(message).toContain('the keyring is locked');
    expect(message).not.toContain(SECRET);
    expect(message).toContain('***');
    expect(fix).toMatch(/credsStore\/credHelpers/);
    await expect(h.get('127.0.0.1:5999')).rejects.toMatchObject({ code: 'HELPER_FAILED' });
    await expect(h.list()).rejects.toMatchObject({ code: 'HELPER_FAILED' });
  });

  it('a hanging helper is stopped at the deadline with a code, a message and a fix', async () => {
    const h = helper('berthhang', SHORT_DEADLINE_MS);
    const error = await h.get('127.0.0.1:5999').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({
      code: 'HELPER_FAILED',
      message: `docker-credential-berthhang get did not answer within ${SHORT_DEADLINE_MS / 1000} s, so Berth stopped it.`,
    });
    expect((error as BerthError).fix).toMatch(/keychain is unlocked/);
  });

  it('a helper that is not installed says so', async () => {
    const error = await helper('berthnowhere')
      .get('x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HELPER_FAILED' });
    expect((error as BerthError).message).toContain('docker-credential-berthnowhere is not on PATH');
  });

  it('never runs a helper found through a relative PATH entry (".", "", bin/): whoever controls the folder Berth runs in would choose the program', async () => {
    // The helpers' folder, named relative to the working folder: a program there is found only through cwd.
    const relativeDir = relative(process.cwd(), helpers.dir);
    expect(isAbsolute(relativeDir)).toBe(false);
    const systemPath = (process.env.PATH ?? '').split(delimiter).filter(isAbsolute);
    for (const entry of [relativeDir, `./${relativeDir}`]) {
      const h = new CredentialHelper('berthtest', {
        env: { ...helpers.env(), PATH: [entry, ...systemPath].join(delimiter) },
      });
      const error = await h.store('127.0.0.1:5998', 'ana', SECRET).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'HELPER_FAILED' });
      expect((error as BerthError).message).toContain('docker-credential-berthtest is not on PATH');
      expect((error as BerthError).fix).toMatch(/relative/);
    }
    expect(await helpers.stored()).toEqual({});
  });

  it('refuses a helper name that could name another program', () => {
    for (const name of ['../bin/sh', 'a b', '', '-rf']) {
      expect(() => new CredentialHelper(name)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});
