/**
 * A real Docker registry (distribution 2.8, Debian's `docker-registry`) with htpasswd auth, on a free
 * port of 127.0.0.1, storing into a temp dir. Docker trusts 127.0.0.0/8 registries over plain HTTP.
 * Recipe: shared/REFERENCE.md section 4 (and section 8 for the read-only registry).
 *
 * Two ways to make a registry refuse a push after the login check has passed, for real:
 * - `readOnly: true` sets `storage.maintenance.readonly.enabled`: logins succeed, every upload gets 405;
 * - `revokePassword()` rewrites the htpasswd file with another password; the registry re-reads the file
 *   when its modification time changes, so the next request with the old password is refused.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { freePort, labelFlags, TEST_RUN_LABEL } from './engine-harness';

const execFileAsync = promisify(execFile);

const INSTALL_HINT = 'run .ci/run or apt-get install docker-registry apache2-utils';
/** A generous deadline for docker-registry to answer on a busy machine. */
const REGISTRY_START_DEADLINE_MS = 60_000;

export interface TestRegistry {
  /** `127.0.0.1:<port>`, ready to prefix image names with. */
  address: string;
  username: string;
  password: string;
  /** Whether the registry was started read-only (pulls and logins work, pushes get 405). */
  readOnly: boolean;
  /**
   * Replaces the user's password in the htpasswd file, as an administrator revoking it would, and returns
   * the new one. Synchronous, so a test can call it from a push listener between the login check and the
   * upload.
   */
  revokePassword(): string;
  /** Kills the registry and removes its storage. Safe to call twice. */
  stop(): Promise<void>;
}

async function htpasswdLine(username: string, password: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('htpasswd', ['-Bbn', username, password]);
    return stdout.trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`htpasswd is not installed: ${INSTALL_HINT}`);
    }
    throw error;
  }
}

const configYaml = (dir: string, address: string, readOnly: boolean, storageDir: string): string =>
  [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    ...(readOnly ? ['  maintenance:', '    readonly:', '      enabled: true'] : []),
    'http:',
    `  addr: ${address}`,
    'auth:',
    '  htpasswd:',
    '    realm: berth-test',
    `    path: ${join(dir, 'htpasswd')}`,
    '',
  ].join('\n');

/** Starts a registry and resolves once `GET /v2/` answers 401 (auth required), i.e. it is serving. */
export async function startTestRegistry(options: {
  username: string;
  password: string;
  readOnly?: boolean;
  /** Where the registry stores blobs (default: inside its temp dir); the caller owns this folder. */
  storageDir?: string;
}): Promise<TestRegistry> {
  const { username, password, readOnly = false } = options;
  const dir = await mkdtemp(join(tmpdir(), 'berth-registry-'));
  let child: ChildProcess | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await writeFile(join(dir, 'htpasswd'), `${await htpasswdLine(username, password)}\n`);
    // Made now (htpasswd is a child process) so that revoking later is one synchronous write.
    const newPassword = randomBytes(12).toString('hex');
    const revokedLine = await htpasswdLine(username, newPassword);
    const address = `127.0.0.1:${await freePort()}`;
    await writeFile(
      join(dir, 'config.yml'),
      configYaml(dir, address, readOnly, options.storageDir ?? join(dir, 'data')),
    );

    let stderr = '';
    let spawnError: Error | undefined;
    child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError =
        error.code === 'ENOENT' ? new Error(`docker-registry is not installed: ${INSTALL_HINT}`) : (error as Error);
    });

    const deadline = Date.now() + REGISTRY_START_DEADLINE_MS;
    for (;;) {
      if (spawnError) throw spawnError;
      if (child.exitCode !== null) throw new Error(`docker-registry exited early: ${stderr.trim()}`);
      const res = await fetch(`http://${address}/v2/`).catch(() => undefined);
      if (res?.status === 401) break;
      if (Date.now() > deadline) throw new Error(`The test registry on ${address} did not start: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }

    const revokePassword = (): string => {
      writeFileSync(join(dir, 'htpasswd'), `${revokedLine}\n`);
      return newPassword;
    };
    return { address, username, password, readOnly, revokePassword, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The label on every image the registry tests build, so they can be found and removed by label. */
export const PUSH_TEST_LABEL = 'berth.test=registry';

/**
 * Builds a local two-layer image of random bytes (512 KiB and 256 KiB), labelled with PUSH_TEST_LABEL,
 * for push tests; returns `ref`. The caller removes it (EngineLitter, or removeLabelledImages).
 */
export async function buildPushableImage(ref: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-push-'));
  try {
    await writeFile(join(dir, 'a.bin'), randomBytes(512 << 10));
    await writeFile(join(dir, 'b.bin'), randomBytes(256 << 10));
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY a.bin /a.bin\nCOPY b.bin /b.bin\n');
    await execFileAsync('docker', ['build', '-q', ...labelFlags(), '--label', PUSH_TEST_LABEL, '-t', ref, dir]);
    return ref;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Removes every image of this run carrying PUSH_TEST_LABEL (all their tags), and only those: never another
 * run's or another lane's (`npm test` runs several files at once, each lane with its own run label).
 */
export async function removeLabelledImages(): Promise<void> {
  const { stdout } = await execFileAsync('docker', [
    'images',
    '-q',
    '--filter',
    `label=${PUSH_TEST_LABEL}`,
    '--filter',
    `label=${TEST_RUN_LABEL}=${inject('testRun')}`,
  ]);
  const ids = [...new Set(stdout.split('\n').filter(Boolean))];
  if (ids.length > 0) await execFileAsync('docker', ['rmi', '-f', ...ids]).catch(() => undefined);
}

/** The manifest digest `registry` holds for `repository:tag`, or null when it holds none. */
export async function registryManifestDigest(
  registry: TestRegistry,
  repository: string,
  tag: string,
  password = registry.password,
): Promise<string | null> {
  const res = await fetch(`http://${registry.address}/v2/${repository}/manifests/${tag}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${registry.username}:${password}`).toString('base64')}`,
      accept: 'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}
