/**
 * What the credential and ship engine tests share: a real registry with htpasswd, the test credential
 * helpers on PATH, temp folders and backends, all removed by `stop()` (images by their test label).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, type BackendOptions, createBackend } from '../electron/api/backend';
import { installTestHelpers, type TestHelpers } from './credential-helper-harness';
import { EngineLitter } from './engine-harness';
import { removeLabelledImages, startTestRegistry, type TestRegistry } from './registry-harness';

export class ShipFixture {
  readonly litter = new EngineLitter();
  registry!: TestRegistry;
  helpers!: TestHelpers;
  private readonly temps: string[] = [];
  private readonly backends: Backend[] = [];

  async start(password: string, helperNames: Parameters<typeof installTestHelpers>[0]): Promise<void> {
    this.registry = await startTestRegistry({ username: 'berth', password });
    this.helpers = await installTestHelpers(helperNames);
  }

  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.temps.push(dir);
    return dir;
  }

  /** A backend (closed by `stop`) whose PATH has the test helpers and whose docker config is `configDir`. */
  backend(configDir: string, options: Omit<BackendOptions, 'env'>): Backend {
    const backend = createBackend({ ...options, env: this.helpers.env({ DOCKER_CONFIG: configDir }) });
    this.backends.push(backend);
    return backend;
  }

  /** The real docker CLI logs in to the registry, storing the login where `configDir`'s config.json says. */
  dockerLogin(configDir: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const child = execFile(
        'docker',
        ['login', '--username', this.registry.username, '--password-stdin', this.registry.address],
        { env: this.helpers.env({ DOCKER_CONFIG: configDir }) },
        (error) => (error ? reject(error) : resolve()),
      );
      child.stdin?.end(this.registry.password);
    });
  }

  async stop(): Promise<void> {
    for (const backend of this.backends) await backend.close();
    for (const dir of this.temps) await rm(dir, { recursive: true, force: true });
    await this.litter.cleanup();
    await removeLabelledImages();
    await this.registry?.stop();
    await this.helpers?.remove();
  }
}
