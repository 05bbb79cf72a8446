/**
 * Builds the notes image and runs it the way the tutorial does (`-e PORT=5000 -p HOST:5000`), on host
 * port 5000 when it is free or else on any free port, with the notes kept in a named volume.
 * Ctrl-C stops and removes the container; the volume, and so the notes, stay for the next run.
 *
 *   npm run service
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBaseImage } from './base-image';

const IMAGE = 'notas-iv:dev';
const VOLUME = 'notas-iv-data';
const CONTAINER_PORT = 5000;
const PREFERRED_HOST_PORT = 5000;
const READY_TIMEOUT_MS = 30_000;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** node:22-alpine when this machine has it; otherwise the locally made base image. */
function chooseBaseImage(): string {
  try {
    docker('image', 'inspect', 'node:22-alpine');
    return 'node:22-alpine';
  } catch {
    return ensureBaseImage();
  }
}

/** Listens on `port` (0: any) of 127.0.0.1 for a moment; resolves the port that worked, or undefined. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(undefined));
    probe.listen(port, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

async function chooseHostPort(): Promise<number> {
  const port = (await tryPort(PREFERRED_HOST_PORT)) ?? (await tryPort(0));
  if (port === undefined) throw new Error('No free TCP port on 127.0.0.1.');
  return port;
}

async function waitForOk(url: string): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    // A plain (ref'd) timer, not AbortSignal.timeout: while docker-proxy holds a connection to a service
    // that is not listening yet, an unref'd timer would let Node exit with the fetch still pending.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 1000);
    try {
      if ((await fetch(url, { signal: abort.signal })).status === 200) return true;
    } catch {
      // not listening yet
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function removeContainer(name: string): void {
  try {
    docker('stop', '--time', '5', name);
  } catch {
    // already stopped
  }
  try {
    docker('rm', '-f', name);
  } catch {
    // already gone
  }
}

async function main(): Promise<void> {
  const baseImage = chooseBaseImage();
  console.log(`Building ${IMAGE} on ${baseImage} ...`);
  execFileSync('docker', ['build', '--build-arg', `NODE_IMAGE=${baseImage}`, '-t', IMAGE, '.'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  const hostPort = await chooseHostPort();
  const name = `notas-iv-${randomBytes(3).toString('hex')}`;
  docker(
    'run',
    '--detach',
    '--name',
    name,
    '--env',
    `PORT=${CONTAINER_PORT}`,
    '--publish',
    `127.0.0.1:${hostPort}:${CONTAINER_PORT}`,
    '--volume',
    `${VOLUME}:/data`,
    IMAGE,
  );

  let stopping = false;
  const stop = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping and removing ${name} (the notes stay in volume ${VOLUME}) ...`);
    removeContainer(name);
    process.exit(exitCode);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  const url = `http://localhost:${hostPort}`;
  if (!(await waitForOk(`${url}/`))) {
    console.error(`The service did not answer 200 within ${READY_TIMEOUT_MS / 1000} s. Its logs:`);
    console.error(docker('logs', name));
    stop(1);
    return;
  }
  console.log(`\nNotes service running at ${url}  (container ${name}, volume ${VOLUME})`);
  console.log('Press Ctrl-C to stop it.\n');

  const logs = spawn('docker', ['logs', '--follow', '--since', '0s', name], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  logs.on('exit', () => {
    if (stopping) return;
    console.error(`Container ${name} stopped on its own.`);
    stop(1);
  });
}

main().catch((error: unknown) => {
  console.error(`npm run service failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
