/**
 * BuildKit secrets on the real engine (issue 9, hole 6): the value reaches `RUN --mount=type=secret`
 * through Berth's BuildKit session and nowhere else: not the image history, not its config, not the
 * model, not the record. The docker CLI is the oracle for the image.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName } from '../../../test/engine-harness';
import { startBuild } from './build';

const BUILD_TIMEOUT_MS = 300_000;
const litter = new EngineLitter();
const dirs: string[] = [];
afterAll(async () => {
  await litter.cleanup();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-secrets-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

describe('a build with a BuildKit secret', () => {
  it('mounts the value for RUN --mount=type=secret and keeps it out of history, config, model and record', {
    timeout: BUILD_TIMEOUT_MS,
  }, async () => {
    const value = `s3cr3t-${uniqueName('value')}`;
    // The Dockerfile never holds the value: the image keeps only its hash, which the test compares.
    const dir = context(
      `ARG NODE_IMAGE\nFROM \${NODE_IMAGE}\n` +
        `RUN --mount=type=secret,id=tok,required sh -c 'test -s /run/secrets/tok && sha256sum /run/secrets/tok > /hash'\n`,
    );
    const recordsDir = mkdtempSync(join(tmpdir(), 'berth-secrets-records-'));
    dirs.push(recordsDir);
    const tag = litter.image(`${uniqueName('secret')}:latest`);
    const model = await startBuild(
      { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() },
      {
        contextDir: dir,
        buildArgs: { NODE_IMAGE: inject('nodeImage') },
        tags: [tag],
        builder: 'buildkit',
        // BuildKit's cache key for a RUN does not cover the secret's content: without this, a layer from
        // an earlier run (another value) would be reused.
        noCache: true,
        secrets: [{ id: 'tok', value }],
      },
      { recordsDir },
    ).done;
    expect(model.failure).toBeNull();
    expect(model.state).toBe('succeeded');
    expect(model.request.secrets).toEqual([{ id: 'tok', value: '***' }]);
    expect(JSON.stringify(model)).not.toContain(value);

    const hash = await docker('run', '--rm', tag, 'cat', '/hash');
    expect(hash.split(/\s+/)[0]).toBe(createHash('sha256').update(value).digest('hex'));
    const history = await docker('history', '--no-trunc', tag);
    const config = await docker('image', 'inspect', tag);
    expect(history).toContain('sha256sum /run/secrets/tok'); // the RUN layer is the one looked at
    expect(history).not.toContain(value);
    expect(config).not.toContain(value);

    const records = readdirSync(recordsDir).filter((name) => name.endsWith('.json'));
    expect(records.length).toBe(1);
    expect(readFileSync(join(recordsDir, records[0]!), 'utf8')).not.toContain(value);
  });

  it('fails, never showing the value, when the Dockerfile asks for a secret the build did not give', {
    timeout: BUILD_TIMEOUT_MS,
  }, async () => {
    const value = `s3cr3t-${uniqueName('other')}`;
    const dir = context(
      `ARG NODE_IMAGE\nFROM \${NODE_IMAGE}\nRUN --mount=type=secret,id=missing,required cat /run/secrets/missing\n`,
    );
    const tag = litter.image(`${uniqueName('secret-missing')}:latest`);
    const model = await startBuild(
      { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() },
      {
        contextDir: dir,
        buildArgs: { NODE_IMAGE: inject('nodeImage') },
        tags: [tag],
        builder: 'buildkit',
        secrets: [{ id: 'tok', value }],
      },
    ).done;
    expect(model.state).toBe('failed');
    expect(model.failure?.code).toBe('BUILD_FAILED');
    expect(JSON.stringify(model)).not.toContain(value);
  });
});
