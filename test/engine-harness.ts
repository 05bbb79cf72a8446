import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { TEST_RUN_LABEL } from './test-run-label';

const execFileAsync = promisify(execFile);

/** The docker commands that create something, and how many words name the command. */
const CREATING: Array<[string[], number]> = [
  [['run'], 1],
  [['create'], 1],
  [['build'], 1],
  [['container', 'run'], 2],
  [['container', 'create'], 2],
  [['image', 'build'], 2],
  [['volume', 'create'], 2],
  [['network', 'create'], 2],
];

/** `args` with this run's labels added when the command creates something. */
export function labelled(args: string[]): string[] {
  const command = CREATING.find(([words]) => words.every((w, i) => args[i] === w));
  if (!command) return args;
  return [...args.slice(0, command[1]), ...labelFlags(), ...args.slice(command[1])];
}

/**
 * Runs the docker CLI and returns its stdout; throws with stderr on failure. Whatever it creates
 * (run, create, build, volume create, network create) carries this run's label.
 */
export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('docker', labelled(args), { maxBuffer: 64 << 20 });
  return stdout.trim();
}

export { TEST_RUN_LABEL };

/**
 * The labels on everything a test creates in the engine (images, builds, containers, volumes, networks):
 * the global teardown removes all of it by this label, and nothing else.
 */
export const testLabels = (): Record<string, string> => ({ [TEST_RUN_LABEL]: inject('testRun') });

/** The same labels as docker CLI flags, for `docker run|create|build|volume create|network create`. */
export const labelFlags = (): string[] => Object.entries(testLabels()).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

/** A name no other test run uses, for containers, images and volumes: `berth-test-<what>-<random>`. */
export const uniqueName = (what: string): string => `berth-test-${what}-${randomBytes(4).toString('hex')}`;

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Collects what a test creates in the engine and removes all of it afterwards, even on failure.
 * Call `cleanup()` from afterAll/afterEach.
 */
export class EngineLitter {
  private readonly containers = new Set<string>();
  private readonly images = new Set<string>();
  private readonly volumes = new Set<string>();
  private readonly steps: string[] = [];

  container(name: string): string {
    this.containers.add(name);
    return name;
  }
  image(ref: string): string {
    this.images.add(ref);
    return ref;
  }
  /**
   * The images a legacy build (docker CLI output) made for its steps, not those it took from the cache or
   * the FROM images. Only the final image carries the build's labels, and in a multi-stage build the other
   * stages' step images are not even its parents, so they are named here to be removed.
   */
  legacySteps(output: string): void {
    let skip = false;
    for (const raw of output.split('\n')) {
      const line = raw.trim();
      if (/^Step \d+\/\d+ : /.test(line)) skip = /^Step \d+\/\d+ : FROM /i.test(line);
      else if (line === '---> Using cache') skip = true;
      const made = /^---> ([0-9a-f]{12})$/.exec(line)?.[1];
      if (made && !skip) this.steps.push(made);
    }
  }
  volume(name: string): string {
    this.volumes.add(name);
    return name;
  }

  async cleanup(): Promise<void> {
    const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
    await Promise.all([...this.containers].map((c) => quietly(docker('rm', '-f', '-v', c))));
    await Promise.all([...this.images].map((i) => quietly(docker('rmi', '-f', i))));
    await Promise.all([...this.volumes].map((v) => quietly(docker('volume', 'rm', '-f', v))));
    // Later steps are children of earlier ones: remove them first, and never by force.
    for (const step of this.steps.reverse()) await quietly(docker('rmi', '--no-prune', step));
    this.steps.length = 0;
    this.containers.clear();
    this.images.clear();
    this.volumes.clear();
  }
}

/** Polls `probe` every 25 ms until it returns a value or `timeoutMs` passes. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
