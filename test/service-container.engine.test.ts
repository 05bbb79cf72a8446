import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { docker, EngineLitter, freePort, labelFlags, uniqueName, waitFor } from './engine-harness';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const suite = new EngineLitter();
const perTest = new EngineLitter();
const image = suite.image(`${uniqueName('notes')}:test`);
let legacyBuildOutput = '';
let longRunning = '';

/** Generous deadlines: how fast the service starts and stops is measured in bench/, not here. */
const FIRST_OK_DEADLINE_MS = 60_000;
const HEALTHY_DEADLINE_MS = 90_000;
/** `docker stop`'s grace before it kills: long enough that only a clean exit on SIGTERM ends it with 0. */
const STOP_GRACE_S = 60;

/** Builds with the 20.10 CLI (legacy builder or BuildKit) and returns everything it printed. */
async function build(cwd: string, buildkit: boolean, ...args: string[]): Promise<string> {
  const flags = [
    ...(buildkit ? ['--progress=plain'] : []),
    ...labelFlags(),
    '--build-arg',
    `NODE_IMAGE=${inject('nodeImage')}`,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout, stderr } = await promisify(execFile)('/usr/bin/docker', ['build', ...flags, ...args], {
        cwd,
        env: { ...process.env, DOCKER_BUILDKIT: buildkit ? '1' : '0' },
        maxBuffer: 64 << 20,
      });
      return `${stdout}${stderr}`;
    } catch (error) {
      // Legacy-builder cache images are shared by every build on the engine; another process's `docker rmi`
      // can prune one mid-build. That race is not the image's fault, so build again.
      if (attempt === 3 || !/No such image|unable to find image/.test(String(error))) throw error;
    }
  }
}

async function runService(containerPort: number, options: { volume?: string; litter?: EngineLitter } = {}) {
  const hostPort = await freePort();
  const name = (options.litter ?? perTest).container(uniqueName('notes'));
  const volume = options.volume ? ['-v', `${options.volume}:/data`] : [];
  await docker(
    'run',
    '-d',
    '--name',
    name,
    '-e',
    `PORT=${containerPort}`,
    '-p',
    `127.0.0.1:${hostPort}:${containerPort}`,
    ...volume,
    image,
  );
  return { name, url: `http://127.0.0.1:${hostPort}` };
}

/** Resolves once `url` answers 200. */
async function untilOk(url: string): Promise<void> {
  await waitFor(
    async () => ((await fetch(url, { signal: AbortSignal.timeout(5000) })).status === 200 ? true : undefined),
    FIRST_OK_DEADLINE_MS,
    `200 from ${url}`,
  );
}

const postNote = async (url: string, title: string) => {
  const res = await fetch(`${url}/api/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

beforeAll(async () => {
  legacyBuildOutput = await build(repoRoot, false, '-t', image, '.');
  suite.legacySteps(legacyBuildOutput);
  // Started early so that its first health check (10 s after start) has happened by the last test.
  longRunning = (await runService(5000, { litter: suite })).name;
});

afterEach(() => perTest.cleanup());

afterAll(async () => {
  await docker('rm', '-f', '-v', longRunning).catch(() => undefined);
  // The legacy builder's intermediate images go with the run's other images, in the global teardown.
  await suite.cleanup();
});

describe('the notes service image', () => {
  it('is built from a context under 100 KB', () => {
    const sent = /Sending build context to Docker daemon\s+([\d.]+)\s*(B|kB|MB|GB)/.exec(legacyBuildOutput);
    expect(sent, legacyBuildOutput.slice(0, 500)).not.toBeNull();
    const unit = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[sent![2] as 'B' | 'kB' | 'MB' | 'GB'];
    const bytes = Number(sent![1]) * unit;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(100_000);
    expect(legacyBuildOutput).toContain(`Successfully tagged ${image}`);
  });

  it('answers 200 with its page when run as the tutorial does (PORT=5000)', async () => {
    const { url } = await runService(5000);
    await untilOk(url);
    expect(await (await fetch(url)).text()).toContain('<h1>Notes</h1>');
  });

  it('answers 200 when run as Azure does (PORT=80)', async () => {
    const { url } = await runService(80);
    await untilOk(url);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('answers 200 when run as Heroku does (a random PORT)', async () => {
    const port = 30_000 + randomInt(10_000);
    const { name, url } = await runService(port);
    await untilOk(url);
    expect(await docker('logs', name)).toContain(`Listening at http://0.0.0.0:${port}`);
  });

  it('runs as the unprivileged node user (uid 1000)', async () => {
    expect(await docker('inspect', '-f', '{{.Config.User}}', image)).toBe('node');
    const status = await docker('exec', longRunning, 'cat', '/proc/1/status');
    expect(/^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/)).toEqual(['1000', '1000', '1000', '1000']);
    const command = await docker('exec', longRunning, 'cat', '/proc/1/cmdline');
    expect(command.split('\0')).toEqual(['node', 'dist/server.js', '']);
  });

  it('exits cleanly on SIGTERM, before docker stop would kill it', async () => {
    const { name, url } = await runService(5000);
    await untilOk(url);
    await docker('stop', '-t', String(STOP_GRACE_S), name);
    // 0, not 137: the service ended itself on SIGTERM; the engine's SIGKILL after the grace was not needed.
    expect(await docker('inspect', '-f', '{{.State.ExitCode}} {{.State.OOMKilled}}', name)).toBe('0 false');
    expect(await docker('logs', name)).toContain('SIGTERM received');
  });

  it('keeps notes in the named volume for the next container', async () => {
    const volume = perTest.volume(uniqueName('notes-data'));
    await docker('volume', 'create', volume);
    const first = await runService(5000, { volume });
    await untilOk(first.url);
    const ids = [await postNote(first.url, 'survives'), await postNote(first.url, 'me too')];
    await docker('rm', '-f', first.name);

    const second = await runService(5000, { volume });
    await untilOk(second.url);
    for (const id of ids) expect((await fetch(`${second.url}/api/notes/${id}`)).status).toBe(200);
  });

  it('rebuilds only from COPY service/src after a source edit; npm ci stays cached', async () => {
    const context = mkdtempSync(join(tmpdir(), 'notes-context-'));
    try {
      for (const path of ['Dockerfile', '.dockerignore', 'service/package.json', 'service/package-lock.json']) {
        cpSync(join(repoRoot, path), join(context, path));
      }
      cpSync(join(repoRoot, 'service/tsconfig.json'), join(context, 'service/tsconfig.json'));
      cpSync(join(repoRoot, 'service/src'), join(context, 'service/src'), { recursive: true });
      await build(context, true, '-t', suite.image(`${uniqueName('notes-cache')}:before`), '.');
      appendFileSync(join(context, 'service/src/note.ts'), `\n// cache probe ${randomBytes(8).toString('hex')}\n`);
      const output = await build(context, true, '-t', suite.image(`${uniqueName('notes-cache')}:after`), '.');

      const steps = new Map<string, string>();
      for (const [, id, name] of output.matchAll(/^#(\d+) \[[^\]]+\] (.+)$/gm)) steps.set(id!, name!);
      const cached = new Set([...output.matchAll(/^#(\d+) CACHED$/gm)].map((m) => m[1]));
      const stepsNamed = (text: string) => [...steps].filter(([, name]) => name.startsWith(text));
      const npmCi = stepsNamed('RUN npm ci');
      const copySources = stepsNamed('COPY service/src ./src');
      expect(npmCi, output).toHaveLength(2);
      expect(
        npmCi.filter(([id]) => !cached.has(id)),
        output,
      ).toEqual([]);
      expect(copySources).toHaveLength(1);
      expect(cached.has(copySources[0]![0]), output).toBe(false);
      expect(cached.has(stepsNamed('RUN npm run build')[0]![0])).toBe(false);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });

  it('reaches healthy through its own HEALTHCHECK', async () => {
    expect(await docker('inspect', '-f', '{{json .Config.Healthcheck.Test}}', image)).toContain('dist/healthcheck.js');
    const health = () => docker('inspect', '-f', '{{.State.Health.Status}}', longRunning);
    expect(
      await waitFor(
        async () => ((await health()) === 'healthy' ? 'healthy' : undefined),
        HEALTHY_DEADLINE_MS,
        'healthy',
      ),
    ).toBe('healthy');
  });
});
