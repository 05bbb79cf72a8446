import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, freePort, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { registryManifestDigest, startTestRegistry, type TestRegistry } from '../../../test/registry-harness';
import type { WatchModel, WatchRound } from '../../contract';
import { runContainer } from '../containers';
import type { EngineHandle } from '../engine/engine-handle';
import { CredentialStore, MemorySecretStore } from '../registry';
import { buildNotes, editHeading, SOURCE_EDIT_MISSES } from './test/images';
import { WatchSession } from './watch';

/** Generous: a source rebuild of the notes service takes seconds here, but the machine is shared. */
const ROUND_DEADLINE_MS = 180_000;
const SERVE_DEADLINE_MS = 60_000;

const litter = new EngineLitter();
/** Unique per run: an edit the engine's cache has seen before (an earlier run) would rebuild nothing. */
const heading = `Notes ${uniqueName('watched')}`;
const engine: EngineHandle = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
const tag = litter.image(`${uniqueName('watch')}:latest`);
let context = '';
let records = '';
let session: WatchSession | null = null;
let registry: TestRegistry | null = null;

afterAll(async () => {
  await registry?.stop();
  session?.stop();
  await session?.done;
  await litter.cleanup();
  if (context) rmSync(context, { recursive: true, force: true });
  if (records) rmSync(records, { recursive: true, force: true });
});

const page = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();

describe('watch mode', () => {
  it('rebuilds after a source edit (only the source layers miss) and recreates the container, which serves the change', {
    timeout: 400_000,
  }, async () => {
    const nodeImage = inject('nodeImage');
    records = mkdtempSync(join(tmpdir(), 'berth-watch-records-'));
    context = await buildNotes(engine, tag, nodeImage, records);
    const hostPort = await freePort();
    const name = litter.container(uniqueName('watched'));
    const first = await runContainer(engine, {
      image: tag,
      name,
      env: { PORT: '5000' },
      ports: [{ hostPort, containerPort: 5000 }],
    });
    const url = `http://127.0.0.1:${hostPort}/`;
    await waitFor(
      async () => ((await page(url)).includes('<h1>Notes</h1>') ? true : undefined),
      SERVE_DEADLINE_MS,
      'the first page',
    );

    // The optional push after each round, with a login saved in Berth (as the Ship view's "Remember" does).
    registry = await startTestRegistry({ username: 'berth', password: uniqueName('pw') });
    const credentials = new CredentialStore(new MemorySecretStore());
    await credentials.save({ registry: registry.address, username: 'berth', password: registry.password });
    const pushTarget = litter.image(`${registry.address}/${uniqueName('watched')}:latest`);

    const models: WatchModel[] = [];
    session = await WatchSession.start(
      {
        build: { contextDir: context, buildArgs: { NODE_IMAGE: nodeImage }, tags: [tag] },
        container: name,
        pushTarget,
        debounceMs: 300,
      },
      { engine, recordsDir: records, credentials },
    );
    session.onChange((m) => models.push(m));

    // A change .dockerignore leaves out starts nothing.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${context}/service/src/ignored.test.ts`, 'export {};\n');
    editHeading(context, heading);

    const round = await waitFor<WatchRound>(
      async () => {
        const r = session!.current().rounds.at(-1);
        return r && (r.state === 'succeeded' || r.state === 'failed') ? r : undefined;
      },
      ROUND_DEADLINE_MS,
      'the watch round',
    );
    expect(round.failure).toBeNull();
    expect(round.changed).toEqual(['service/src/notes-page.ts']);
    expect(round.missed).toEqual(SOURCE_EDIT_MISSES);
    expect(round.cachedSteps).toBeGreaterThan(0);
    // The build was compared with the first one (same records folder): its cause names the edited file.
    expect(round.cacheExplanation).toContain('notes-page.ts');

    // The container was recreated with the same settings (name, port, env), from the new image.
    expect(round.containerId).not.toBe(first.id);
    const inspect = JSON.parse(await docker('inspect', name))[0];
    expect(inspect.Id).toBe(round.containerId);
    expect(inspect.Image).toBe(round.imageId);
    expect(inspect.Config.Env).toContain('PORT=5000');
    await waitFor(
      async () => ((await page(url)).includes(`<h1>${heading}</h1>`) ? true : undefined),
      SERVE_DEADLINE_MS,
      'the edited page',
    );
    expect(models.map((m) => m.rounds.at(-1)?.state)).toContain('recreating');
    // ... and pushed: the round's digest is the one the registry serves for the target.
    expect(models.map((m) => m.rounds.at(-1)?.state)).toContain('pushing');
    const [path, version] = pushTarget.slice(registry.address.length + 1).split(':') as [string, string];
    expect(round.digest).toBe(await registryManifestDigest(registry, path, version));

    // Stopping stops the watcher: another edit starts no round.
    session.stop();
    const final = await session.done;
    expect(final.state).toBe('stopped');
    editHeading(context, 'Notes, after stop');
    await new Promise((r) => setTimeout(r, 1500));
    expect(session.current().rounds).toHaveLength(1);
  });
});
