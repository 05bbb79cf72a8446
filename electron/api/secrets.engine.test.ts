/**
 * Issue 12: secrets never appear in logs, errors, build records, event payloads, the data folder or /tmp.
 * A whole ship goes through the API (build, a wrong login, a remembered login, the namespace check, a
 * two-tag push, the login list, a helper that fails while storing, logout), with the secret store that the
 * desktop app uses (encrypted through a stand-in for safeStorage). Then everything Berth wrote or said is
 * searched for the password, plain and in the base64 `user:password` form config.json would hold.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testLabels, uniqueName } from '../../test/engine-harness';
import { encryptedSecretStore, findLeaks } from '../../test/secrets-sweep';
import { ShipFixture } from '../../test/ship-fixture';
import type { BuildModel, PushModel } from '../contract';
import { Engine } from '../core/engine';
import { followStream } from './test/follow-stream';

/** Generous: a two-file scratch build and a push of under 1 MiB take about a second here. */
const JOB_DEADLINE_MS = 120_000;

const fixture = new ShipFixture();
const { litter } = fixture;

beforeAll(() => fixture.start(`pw-${randomBytes(12).toString('hex')}`, { fail: 'berthfail' }));
afterAll(() => fixture.stop());

it('after a whole ship, no secret is in logs, errors, records, events, the data folder or /tmp', async () => {
  const started = Date.now();
  const { password, username, address } = fixture.registry;
  const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
  const said: string[] = [];
  // Everything the backend prints while it works.
  const writes = [process.stdout, process.stderr].map((stream) => {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      said.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = original;
    };
  });
  const consoles = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => said.push(args.map(String).join(' '))),
  );

  const dataDir = await fixture.tempDir('berth-secrets-data-');
  const configDir = await fixture.tempDir('berth-secrets-dockercfg-');
  const contextDir = await fixture.tempDir('berth-secrets-context-');
  try {
    const backend = fixture.backend(configDir, {
      dataDir,
      secretStore: encryptedSecretStore(dataDir),
      engine: new Engine({ labels: testLabels() }),
    });
    const call = async (name: string, input: object): Promise<unknown> => {
      try {
        const out = await backend.router.call(name, input);
        said.push(JSON.stringify(out));
        return out;
      } catch (error) {
        said.push(JSON.stringify(error), String(error), (error as Error).stack ?? '');
        return error;
      }
    };

    // Build, so a record is written.
    await writeFile(join(contextDir, 'a.txt'), randomBytes(1024).toString('hex'));
    await writeFile(join(contextDir, 'Dockerfile'), 'FROM scratch\nCOPY a.txt /a.txt\n');
    const image = litter.image(`${uniqueName('secrets-src')}:1.0`);
    const { buildId } = (await call('build.start', { contextDir, tags: [image] })) as { buildId: string };
    const build = await followStream<BuildModel>(backend.router, 'build', { buildId }, JOB_DEADLINE_MS);
    said.push(JSON.stringify(build));
    expect(build.at(-1)?.state).toBe('succeeded');

    // A wrong login, a remembered one, the namespace check and a two-tag push.
    expect(await call('registry.login', { registry: address, username, password: wrongPassword })).toMatchObject({
      code: 'AUTH_FAILED',
    });
    expect(await call('registry.login', { registry: address, username, password, remember: true })).toMatchObject({
      keeping: 'keychain',
    });
    const target = litter.image(`${address}/${username}/${uniqueName('secrets')}:1.0`);
    litter.image(target.replace(/:1\.0$/, ':latest'));
    await call('registry.namespace', { target });
    await call('registry.namespace', { target: `${address}/someone/else:1` });
    const { pushId } = (await call('push.start', { source: image, target, alsoTags: ['latest'] })) as {
      pushId: string;
    };
    const pushed = await followStream<PushModel>(backend.router, 'push', { pushId }, JOB_DEADLINE_MS);
    said.push(JSON.stringify(pushed));
    expect(pushed.at(-1)?.state).toBe('succeeded');
    // A push with the wrong password typed in: the error travels in the model.
    const { pushId: failedId } = (await call('push.start', {
      source: image,
      target,
      credentials: { registry: address, username, password: wrongPassword },
    })) as { pushId: string };
    const failed = await followStream<PushModel>(backend.router, 'push', { pushId: failedId }, JOB_DEADLINE_MS);
    said.push(JSON.stringify(failed));
    expect(failed.at(-1)?.failure?.code).toBe('AUTH_FAILED');
    await call('registry.logins', {});
    await call('build.records', {});

    // A helper that fails while storing the login: its error quotes the helper, masked.
    await writeFile(join(configDir, 'config.json'), JSON.stringify({ credsStore: 'berthfail' }));
    expect(await call('registry.login', { registry: address, username, password, remember: true })).toMatchObject({
      code: 'HELPER_FAILED',
    });
    await call('registry.logins', {});
    await writeFile(join(configDir, 'config.json'), '{}');
    await call('registry.logout', { registry: address });
  } finally {
    for (const restore of writes) restore();
    for (const spy of consoles) spy.mockRestore();
  }

  const secrets = [password, wrongPassword, Buffer.from(`${username}:${password}`).toString('base64')];
  const { leaks, scanned } = await findLeaks(secrets, said, [dataDir, tmpdir()], started);
  expect(leaks).toEqual([]);
  // The search saw the data folder: the encrypted secrets file and the build record are among what it read.
  expect(scanned).toBeGreaterThan(1);
  expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).not.toContain(password);
  expect((await readdir(join(dataDir, 'builds'))).length).toBeGreaterThan(0);
});
