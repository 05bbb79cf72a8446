import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, TEST_RUN_LABEL, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { ImageDetail, ImageLayer, ImageSummary } from '../../contract';
import { Engine } from '../engine/engine';
import { inspectImage, listImages } from './image-list';
import { pruneImages, removeImage, tagImage } from './image-removal';
import { imageLayers } from './layers';
import { buildDanglingImage, buildTestImage } from './test/test-image';

const nodeImage = inject('nodeImage');
const litter = new EngineLitter();
const engine = new Engine({ env: {} });
const client = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** Builds a one-tag image of its own (a unique label makes it a new image, not a tag of the base). */
async function ownImage(what: string, extra = ''): Promise<string> {
  const tag = litter.image(`${uniqueName(what)}:1`);
  const dockerfile = `FROM ${nodeImage}\nLABEL berth.test=${randomBytes(6).toString('hex')}\n${extra}`;
  await buildTestImage(client, { tag, dockerfile, labels: testLabels() });
  return tag;
}

/** A generous deadline for the engine's list to show a change. */
const LIST_DEADLINE_MS = 30_000;

const idOf = (ref: string) => docker('image', 'inspect', '--format', '{{.Id}}', ref);

afterAll(async () => {
  engine.close();
  await litter.cleanup();
});

describe('the image list and detail', () => {
  it('lists an image with its tag, id, size, creation time and the containers using it', async () => {
    const tag = await ownImage('list');
    await docker('create', '--name', litter.container(uniqueName('user')), tag, 'true');
    const id = await idOf(tag);
    const image = (await listImages(engine)).find((i) => i.id === id);
    expect(image && ImageSummary.parse(image)).toEqual(image);
    expect(image).toMatchObject({ tags: [tag], containers: 1, dangling: false });
    expect(image?.size).toBeGreaterThan(1_000_000);
    const created = Date.parse(await docker('image', 'inspect', '--format', '{{.Created}}', tag));
    expect(Math.abs((image?.created ?? 0) - created)).toBeLessThan(1000);
  });

  it('inspects an image: env, ports, command, working dir, user, volumes, labels, healthcheck', async () => {
    const tag = await ownImage(
      'inspect',
      'ENV MODE=test\nEXPOSE 5000\nWORKDIR /srv\nUSER node\nVOLUME /data\nHEALTHCHECK CMD true\nCMD ["node", "x.js"]\n',
    );
    const detail = await inspectImage(engine, tag);
    expect(ImageDetail.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({
      id: await idOf(tag),
      tags: [tag],
      os: 'linux',
      exposedPorts: ['5000/tcp'],
      cmd: ['node', 'x.js'],
      workingDir: '/srv',
      user: 'node',
      volumes: ['/data'],
      healthcheck: ['CMD-SHELL', 'true'],
      containers: 0,
    });
    expect(detail.env).toContain('MODE=test');
    expect(detail.labels['berth.test']).toMatch(/^[0-9a-f]{12}$/);
  });

  it('says NOT_FOUND, naming the image, for one that does not exist', async () => {
    const missing = `${uniqueName('missing')}:1`;
    await expect(inspectImage(engine, missing)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(missing),
    });
    await expect(imageLayers(engine, missing)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('tagging and removing images', () => {
  it('tags an image with a registry name', async () => {
    const tag = await ownImage('tag');
    const target = litter.image(`127.0.0.1:5999/${uniqueName('pushed')}:v2`);
    expect(await tagImage(engine, tag, target)).toEqual({ ok: true });
    expect(await idOf(target)).toBe(await idOf(tag));
  });

  it('refuses to remove an image a container uses, naming the container, then removes it with force', async () => {
    const tag = await ownImage('in-use');
    const id = await idOf(tag);
    const user = litter.container(uniqueName('user'));
    await docker('create', '--name', user, tag, 'true');
    const refusal = removeImage(engine, tag);
    await expect(refusal).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(user) });
    await expect(refusal).rejects.toMatchObject({ fix: expect.stringMatching(/force/) });
    expect(await idOf(tag)).toBe(id);

    const removed = await removeImage(engine, tag, true);
    expect(removed.untagged).toContain(tag);
    expect(removed.deleted).toContain(id);
    await expect(idOf(id)).rejects.toThrow();
  });

  it('removes an extra tag of an image in use without force: only the name goes', async () => {
    const tag = await ownImage('extra-tag');
    const extra = litter.image(`${uniqueName('extra')}:1`);
    await docker('tag', tag, extra);
    await docker('create', '--name', litter.container(uniqueName('user')), tag, 'true');
    expect(await removeImage(engine, extra)).toEqual({ untagged: [extra], deleted: [] });
    expect(await idOf(tag)).toBeTruthy();
  });

  it('prunes dangling images, only those with the labels asked for', async () => {
    // Two dangling images of this test's own; the prune is scoped to one of them, never to the engine's
    // other dangling images (which may be the user's).
    const mark = { 'io.berth.test-prune': uniqueName('prune') };
    const dangle = async (labels: Record<string, string>): Promise<string> => {
      const old = await buildDanglingImage(client, {
        tag: `${uniqueName('prune')}:1`,
        baseImage: nodeImage,
        labels: { ...testLabels(), ...labels },
        keep: (ref) => litter.image(ref),
      });
      const listed = await waitFor(
        async () => (await listImages(engine)).find((i) => i.id === old),
        LIST_DEADLINE_MS,
        'the dangling image in the list',
      );
      expect(listed).toMatchObject({ tags: [], dangling: true });
      return old;
    };
    const pruneMe = await dangle(mark);
    const keepMe = await dangle({});

    const pruned = await pruneImages(engine, { labels: mark });
    // With the legacy builder the image's untagged parents (its step images) go with it.
    expect(pruned.deleted).toBeGreaterThanOrEqual(1);
    expect(pruned.reclaimedBytes).toBeGreaterThanOrEqual(0);
    await expect(idOf(pruneMe)).rejects.toThrow();
    expect(await idOf(keepMe)).toBe(keepMe);
  });
});

describe.each([
  ['legacy', false],
  ['BuildKit', true],
])('layers of an image built with the %s builder', (_, buildkit) => {
  it('has the instructions, empty flags, sizes and diff ids of the Dockerfile', async () => {
    const tag = litter.image(`${uniqueName('layers')}:1`);
    const content = `${randomBytes(8).toString('hex')}\n`.repeat(100); // 1700 bytes
    const dockerfile = `FROM ${nodeImage}\nENV APP_HOME=/app\nCOPY data.txt /app/\nRUN head -c 5000 /dev/zero > /app/zeros.bin\n`;
    await buildTestImage(client, { tag, dockerfile, files: { 'data.txt': content }, buildkit, labels: testLabels() });

    // The legacy builder adds the build's labels as a last LABEL step; BuildKit puts them in the config only.
    const layers = (await imageLayers(engine, tag)).filter((l) => !l.instruction.includes(TEST_RUN_LABEL));
    for (const layer of layers) expect(ImageLayer.parse(layer)).toEqual(layer);
    const top = layers.slice(-3);
    expect(top.map((l) => l.instruction)).toEqual([
      'ENV APP_HOME=/app',
      expect.stringMatching(/^COPY (data\.txt|file:[0-9a-f]{64} in) \/app\/$/),
      'RUN head -c 5000 /dev/zero > /app/zeros.bin',
    ]);
    expect(top.map((l) => l.empty)).toEqual([true, false, false]);
    expect(top.map((l) => l.size)).toEqual([0, content.length, 5000]);

    const rootfs = JSON.parse(await docker('image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag));
    expect(layers.filter((l) => !l.empty).map((l) => l.diffId)).toEqual(rootfs);
    expect(layers[0]).toMatchObject({ index: 0, empty: false, instruction: '' });
    // The base image's own history entries (`docker history` of it) are named after it; ours are not.
    const baseEntries = (await docker('history', '-q', nodeImage)).split('\n').length;
    const [baseName] = JSON.parse(await docker('image', 'inspect', '--format', '{{json .RepoTags}}', nodeImage));
    expect(layers.map((l) => l.baseImage ?? null)).toEqual(layers.map((_, i) => (i < baseEntries ? baseName : null)));
  });
});
