/**
 * Berth against a real Podman (issue 13): the notes service is built (legacy path: Podman has no BuildKit),
 * run with a published port until it answers 200, its logs read, the engine's events seen in dockerd's shape,
 * and the image pushed to a real registry. The Podman service and its storage exist for this file only
 * (test/podman-harness.ts); the docker CLI pointed at it is the oracle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { freePort, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { startTestPodman, type TestPodman } from '../../../test/podman-harness';
import { startTestRegistry, type TestRegistry } from '../../../test/registry-harness';
import type { BuildModel, EngineEvent, LogEvent } from '../../contract';
import { checkAndStartBuild } from '../build';
import { runContainer } from '../containers';
import { swarmStatus } from '../deploy/swarm-services';
import { listImages } from '../images/image-list';
import { readLogs } from '../logs';
import { startPush } from '../registry';
import { currentCapabilities } from './capabilities';
import { Engine } from './engine';
import { EngineEvents } from './events';
import { shortImageName } from './podman';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Generous: the cold build of the notes service (two npm ci) takes about 40 s here on an idle machine. */
const BUILD_DEADLINE_MS = 600_000;
const FIRST_OK_DEADLINE_MS = 60_000;
const EVENT_DEADLINE_MS = 30_000;
const PUSH_DEADLINE_MS = 120_000;

let podman: TestPodman;
let registry: TestRegistry;
let engine: Engine;
let events: EngineEvents;
let configDir: string;
const seen: EngineEvent[] = [];
const image = `${uniqueName('notes-podman')}:1`;

beforeAll(async () => {
  podman = await startTestPodman(inject('nodeImage'));
  registry = await startTestRegistry({ username: 'berth', password: uniqueName('pw') });
  configDir = mkdtempSync(join(tmpdir(), 'berth-podman-config-'));
  engine = new Engine({ env: { DOCKER_HOST: podman.host }, configDir, labels: testLabels() });
  events = new EngineEvents(engine);
  events.subscribe((event) => seen.push(event));
});

afterAll(async () => {
  events?.close();
  engine?.close();
  await podman?.stop();
  await registry?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('Berth on Podman', () => {
  it('connects and reports Podman, API 1.41, no BuildKit and no Swarm', async () => {
    const status = await engine.status();
    expect(status.state).toBe('connected');
    expect(status.apiVersion).toBe('1.41');
    expect(status.buildkit).toBe(false);
    expect(await currentCapabilities(engine)).toMatchObject({ podman: true, buildkit: false, swarmManager: false });
    // The Services view says why it offers nothing here.
    expect(await swarmStatus(engine)).toEqual({ manager: false, reason: 'Podman has no Swarm mode.' });
  });

  it('lists the base image loaded from dockerd by its short name, not localhost/...', async () => {
    const tags = (await listImages(engine)).flatMap((i) => i.tags);
    expect(tags).toContain(inject('nodeImage'));
    expect(tags.some((t) => t.startsWith('localhost/'))).toBe(false);
    expect(await podman.docker('images', '--format', '{{.Repository}}:{{.Tag}}')).toContain(
      `localhost/${inject('nodeImage')}`,
    );
  });

  it(
    'builds the notes service with the legacy builder, every Dockerfile step on its line',
    async () => {
      const build = await checkAndStartBuild(engine, {
        contextDir: repoRoot,
        tags: [image],
        buildArgs: { NODE_IMAGE: inject('nodeImage') },
      });
      const timer = setTimeout(() => build.cancel(), BUILD_DEADLINE_MS);
      const model: BuildModel = await build.done.finally(() => clearTimeout(timer));
      expect(model.failure ?? null).toBeNull();
      expect(model.state).toBe('succeeded');
      expect(model.builder).toBe('legacy');
      expect(model.steps.length).toBeGreaterThan(10);
      expect(model.steps.every((s) => ['done', 'cached', 'metadata'].includes(s.state))).toBe(true);
      const npm = model.steps.find((s) => s.instruction.startsWith('RUN npm ci --omit=dev'));
      expect(npm?.state).toBe('done');
      // The oracle: the docker CLI through the same Podman sees the image, with the name Podman gave it.
      expect(await podman.docker('image', 'inspect', '--format', '{{.Id}}', image)).toBe(model.imageId);
      expect((await listImages(engine)).flatMap((i) => i.tags)).toContain(image);
    },
    BUILD_DEADLINE_MS + 60_000,
  );

  it('runs it with a published port: 200 from the service, its logs, and the container events', async () => {
    const hostPort = await freePort();
    const name = uniqueName('notes-podman');
    const summary = await runContainer(engine, {
      image,
      name,
      env: { PORT: '5000' },
      ports: [{ hostPort, containerPort: 5000 }],
    });
    const url = `http://127.0.0.1:${hostPort}/`;
    await waitFor(
      async () => ((await fetch(url, { signal: AbortSignal.timeout(5000) })).status === 200 ? true : undefined),
      FIRST_OK_DEADLINE_MS,
      `200 from ${url}`,
    );
    // The oracle: docker ps against Podman shows the container with its port.
    expect(await podman.docker('ps', '--filter', `name=${name}`, '--format', '{{.Ports}}')).toContain(
      `127.0.0.1:${hostPort}->5000/tcp`,
    );

    const lines: string[] = [];
    const sink = {
      deliver: (event: LogEvent) => {
        if (event.kind === 'lines') lines.push(...event.lines.map((l) => l.text));
      },
    };
    const reason = await readLogs(engine, { id: summary.id, follow: false, tail: 'all' }, sink);
    expect(reason).toBe('done');
    // The oracle: docker logs through the same Podman shows the lines Berth read, the request that got 200 too.
    const cli = (await podman.docker('logs', name)).split('\n').filter(Boolean);
    expect(cli).toContain('Listening at http://0.0.0.0:5000');
    expect(cli.some((l) => l.startsWith('GET / 200'))).toBe(true);
    for (const line of lines.filter(Boolean)) expect(cli).toContain(line);
    expect(lines).toContain('Listening at http://0.0.0.0:5000');

    const start = await waitFor(
      async () => seen.find((e) => e.type === 'container' && e.action === 'start' && e.name === name),
      EVENT_DEADLINE_MS,
      'the start event',
    );
    expect(shortImageName(start.attributes.image ?? '')).toBe(image);
    expect(start.attributes).not.toHaveProperty('containerExitCode');
  });

  it(
    'pushes the image to a real registry over plain HTTP on loopback, as dockerd would',
    async () => {
      const target = `${registry.address}/${uniqueName('notes-podman')}:1`;
      const push = startPush({
        engine,
        request: {
          source: image,
          target,
          credentials: { registry: registry.address, username: registry.username, password: registry.password },
        },
      });
      const final = await push.done;
      expect(final.failure).toBeNull();
      expect(final.state).toBe('succeeded');
      expect(final.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      // The oracle: the registry itself serves that manifest under that digest.
      const [repository, tag] = target.slice(registry.address.length + 1).split(':') as [string, string];
      const res = await fetch(`http://${registry.address}/v2/${repository}/manifests/${tag}`, {
        method: 'HEAD',
        headers: {
          authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
          accept: [
            'application/vnd.docker.distribution.manifest.v2+json',
            'application/vnd.oci.image.manifest.v1+json',
          ].join(', '),
        },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-content-digest')).toBe(final.digest);
    },
    PUSH_DEADLINE_MS,
  );
});
