/**
 * A Podman engine for one test file (Debian's podman 4.3; recipe: shared/REFERENCE.md section 8):
 * `podman system service --time=0 unix://<tmp>/podman.sock` with its storage in the same temp dir
 * (--root/--runroot), so nothing it stores outlives the test, and a containers.conf of its own (CONTAINERS_CONF)
 * with the default ulimits this VM can apply: Podman's own defaults fail here ("error setting rlimit type 6/7").
 * The base image is copied in from dockerd (`docker save | podman load`), so builds need no pull.
 * `stop()` removes every container and image it holds, stops the service and deletes the temp dir.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './engine-harness';

const execFileAsync = promisify(execFile);

/** Generous: the service answers in well under a second here, but the machine is shared. */
const PODMAN_START_DEADLINE_MS = 60_000;
const INSTALL_HINT = 'run .ci/run or apt-get install podman';

const CONTAINERS_CONF = ['[containers]', 'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]', ''].join('\n');

export interface TestPodman {
  /** `unix:///.../podman.sock`, for DOCKER_HOST. */
  host: string;
  /** Runs the podman CLI on this instance's storage and returns its stdout. */
  podman(...args: string[]): Promise<string>;
  /** Runs the docker CLI against this Podman (the oracle) and returns its stdout. */
  docker(...args: string[]): Promise<string>;
  /** Removes everything, stops the service, deletes the storage. Safe to call twice. */
  stop(): Promise<void>;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Starts Podman's API service and loads `baseImage` from dockerd into it. */
export async function startTestPodman(baseImage: string): Promise<TestPodman> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-podman-'));
  const confPath = join(dir, 'containers.conf');
  await writeFile(confPath, CONTAINERS_CONF);
  const env = { ...process.env, CONTAINERS_CONF: confPath };
  const storage = ['--root', join(dir, 'root'), '--runroot', join(dir, 'runroot')];
  const socketPath = join(dir, 'podman.sock');
  const host = `unix://${socketPath}`;
  const podman = async (...args: string[]) =>
    (await execFileAsync('podman', [...storage, ...args], { env, maxBuffer: 64 << 20 })).stdout.trim();
  const docker = async (...args: string[]) =>
    (
      await execFileAsync('docker', args, { env: { ...process.env, DOCKER_HOST: host }, maxBuffer: 64 << 20 })
    ).stdout.trim();

  let service: ChildProcess | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (service?.exitCode === null) {
      await podman('rm', '--all', '--force', '--time', '0').catch(() => undefined);
      await podman('rmi', '--all', '--force').catch(() => undefined);
      const exited = new Promise((resolve) => service?.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };

  try {
    service = spawn('podman', [...storage, 'system', 'service', '--time=0', host], { env, stdio: 'ignore' });
    const spawnError = new Promise<never>((_, reject) =>
      service?.once('error', (error) =>
        reject(
          (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`podman is missing: ${INSTALL_HINT}`) : error,
        ),
      ),
    );
    await Promise.race([
      spawnError,
      waitFor(async () => ((await ping(socketPath)) ? true : undefined), PODMAN_START_DEADLINE_MS, `podman at ${host}`),
    ]);
    const load = 'docker save "$1" | podman --root "$2" --runroot "$3" load';
    await execFileAsync('sh', ['-c', load, 'load', baseImage, join(dir, 'root'), join(dir, 'runroot')], { env });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, podman, docker, stop };
}
