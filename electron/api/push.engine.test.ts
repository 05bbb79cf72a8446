/**
 * The done-when of issue 8, through the API: a push to a read-only registry, with credentials that pass
 * the login, goes through the validating router (procedures and the 'push' stream, every event checked
 * against the contract) and ends failed with the registry's own words, a fix, and no digest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineLitter, uniqueName } from '../../test/engine-harness';
import {
  buildPushableImage,
  registryManifestDigest,
  removeLabelledImages,
  startTestRegistry,
  type TestRegistry,
} from '../../test/registry-harness';
import type { PushModel } from '../contract';
import { MemorySecretStore } from '../core/registry';
import { type Backend, createBackend } from './backend';
import { followStream } from './test/follow-stream';

/** Generous: a push of under 1 MiB to a registry on this machine ends in well under a second. */
const PUSH_DEADLINE_MS = 60_000;

const litter = new EngineLitter();
let readOnly: TestRegistry;
let backend: Backend;
let dataDir: string;
let source: string;

beforeAll(async () => {
  readOnly = await startTestRegistry({ username: 'berth', password: uniqueName('pw'), readOnly: true });
  source = await buildPushableImage(litter.image(`${uniqueName('api-push-src')}:1.0`));
  dataDir = mkdtempSync(join(tmpdir(), 'berth-api-push-'));
  backend = createBackend({ dataDir, secretStore: new MemorySecretStore() });
});

afterAll(async () => {
  await backend?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await litter.cleanup();
  await removeLabelledImages();
  await readOnly?.stop();
});

const follow = (pushId: string): Promise<PushModel[]> =>
  followStream<PushModel>(backend.router, 'push', { pushId }, PUSH_DEADLINE_MS);

it('a push to a read-only registry fails through the API with the registry words, a fix and no digest', async () => {
  const credentials = { registry: readOnly.address, username: readOnly.username, password: readOnly.password };
  expect(await backend.router.call('registry.login', { ...credentials, remember: false })).toEqual({
    message: 'Login Succeeded',
  });

  const target = litter.image(`${readOnly.address}/${uniqueName('api-push-ro')}:1.0`);
  const { pushId } = (await backend.router.call('push.start', { source, target, credentials })) as { pushId: string };
  const events = await follow(pushId);

  const final = events.at(-1);
  expect(events.map((e) => e.state)).toContain('pushing');
  expect(final?.state).toBe('failed');
  expect(final?.failure?.code).toBe('PUSH_FAILED');
  expect(final?.failure?.message).toContain(readOnly.address);
  expect(final?.failure?.message).toMatch(/error parsing HTTP 405 response body.*Method not allowed/);
  expect(final?.failure?.fix).toMatch(/read-only/);
  expect(events.every((e) => e.digest === null && e.size === null)).toBe(true);

  // Following the ended push again answers the same final model, also without a digest.
  expect(await follow(pushId)).toEqual([final]);
  // And the registry itself holds nothing under that name.
  const [repository, tag] = target.slice(target.indexOf('/') + 1).split(':') as [string, string];
  expect(await registryManifestDigest(readOnly, repository, tag)).toBeNull();
});
