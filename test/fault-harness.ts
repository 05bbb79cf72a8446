/**
 * Test support shared by the two fault files: test/faults.engine.test.ts (dockerd itself restarted or
 * killed: runs alone, in the suite's exclusive lane) and test/outside-faults.engine.test.ts (faults outside
 * dockerd: the registry killed, the data folder full; runs beside other files).
 *
 * Set BERTH_FAULTS_OUT to a file to get the measured figures as JSON (bench/reliability.ts does): each file
 * merges its figures into it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type Backend, createBackend } from '../electron/api/backend';
import type { BerthError, ErrorShape, PushModel, StreamEvent, StreamName } from '../electron/contract';
import { FINGERPRINT_KEY_FILE } from '../electron/core/build/cache-causes';
import { Engine } from '../electron/core/engine';
import { MemorySecretStore } from '../electron/core/registry';
import { docker, TEST_RUN_LABEL, waitFor } from './engine-harness';
import { startTestRegistry, type TestRegistry } from './registry-harness';

/** Generous waits for things that depend on the engine's speed on a busy machine. */
export const ENGINE_DEADLINE_MS = 60_000;

/** One fault file's run: its own label (so its afterAll finds what it made) beside the suite's run label. */
export function faultRun() {
  const id = randomBytes(4).toString('hex');
  return { id, label: `berth.test=faults-${id}`, testRun: inject('testRun'), nodeImage: inject('nodeImage') };
}

/** A backend on a data folder of its own, connected to the engine. */
export async function connectedBackend(): Promise<{ backend: Backend; engine: Engine; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-faults-data-'));
  const engine = new Engine();
  const backend = createBackend({ dataDir, secretStore: new MemorySecretStore(), engine, projectDir: dataDir });
  await waitFor(
    async () => (engine.current().state === 'connected' ? true : undefined),
    ENGINE_DEADLINE_MS,
    'Berth to connect',
  );
  return { backend, engine, dataDir };
}

/** Closes the backend, removes what the file labelled and its data folder, and writes its figures. */
export async function endFaultFile(label: string, opened: { backend?: Backend; dataDir?: string }): Promise<void> {
  await opened.backend?.close();
  const quietly = (args: string[]) => docker(...args).catch(() => '');
  const containers = (await quietly(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (containers.length) await quietly(['rm', '-f', '-v', ...containers]);
  const images = (await quietly(['images', '-q', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (images.length) await quietly(['rmi', '-f', ...new Set(images)]);
  if (opened.dataDir) rmSync(opened.dataDir, { recursive: true, force: true });
  writeMeasured();
}

interface Received<E> {
  event: E;
  at: number;
}

/** A stream through the router, with every event kept and timed. */
export function follow<S extends StreamName>(backend: Backend, name: S, params: unknown) {
  const events: Received<StreamEvent<S>>[] = [];
  let error: BerthError | undefined;
  let ended = false;
  const stop = backend.router.subscribe(
    name,
    params,
    (event) => {
      events.push({ event: event as StreamEvent<S>, at: Date.now() });
    },
    (e) => {
      error = e;
    },
    () => {
      ended = true;
    },
  );
  return {
    events,
    stop,
    get error() {
      return error;
    },
    get ended() {
      return ended;
    },
  };
}

const measured: Record<string, Record<string, number | string>> = {};

/** Notes a figure of one fault, for the log and for BERTH_FAULTS_OUT. */
export function measure(fault: string, figures: Record<string, number | string>): void {
  measured[fault] = figures;
  console.log(`[faults] ${fault}: ${JSON.stringify(figures)}`);
}

/** Merges this file's figures into BERTH_FAULTS_OUT, when it is set (call from afterAll). */
export function writeMeasured(): void {
  const out = process.env.BERTH_FAULTS_OUT;
  if (!out) return;
  const earlier = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as typeof measured) : {};
  writeFileSync(out, JSON.stringify({ ...earlier, ...measured }, null, 1));
}

export function expectClearError(error: ErrorShape | null | undefined, code: ErrorShape['code']): void {
  expect(error?.code).toBe(code);
  expect(error?.message.length).toBeGreaterThan(20);
  expect(error?.fix?.length).toBeGreaterThan(20);
}

/** Every file in the records folder is a whole JSON record (beside the fingerprint key), and no temp file is left over. */
export function expectOnlyWholeRecords(dir: string): string[] {
  const names = readdirSync(dir).filter((name) => name !== FINGERPRINT_KEY_FILE);
  expect(names.filter((n) => !n.endsWith('.json'))).toEqual([]);
  for (const name of names) expect(() => JSON.parse(readFileSync(join(dir, name), 'utf8'))).not.toThrow();
  return names;
}

/**
 * Pushes interrupted by a fault: a fresh registry for each push (so no layer is already there: "Layer already
 * exists" is never pushing), and one source image of three 24 MB layers of random bytes, big enough that a push
 * is still running when the fault comes. Call `setUp()` in beforeAll and `next()`/`stop()` around each test.
 */
export class PushFaults {
  registry!: TestRegistry;
  private source = '';

  constructor(
    private readonly run: { id: string; label: string; testRun: string },
    private readonly backend: () => Backend,
  ) {}

  async setUp(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'berth-faults-push-'));
    try {
      for (const n of [1, 2, 3]) writeFileSync(join(dir, `${n}.bin`), randomBytes(24 << 20));
      writeFileSync(
        join(dir, 'Dockerfile'),
        `FROM scratch\nLABEL ${this.run.label} ${TEST_RUN_LABEL}=${this.run.testRun}\nCOPY 1.bin /1.bin\nCOPY 2.bin /2.bin\nCOPY 3.bin /3.bin\n`,
      );
      this.source = `berth-faults-${this.run.id}-push:1`;
      await docker('build', '-q', '-t', this.source, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async next(): Promise<void> {
    this.registry = await startTestRegistry({ username: 'berth', password: randomBytes(8).toString('hex') });
  }

  async stop(): Promise<void> {
    await this.registry?.stop();
  }

  /** Starts a push through the router and resolves once a layer is really being uploaded. */
  async untilPushing(what: string) {
    const target = `${this.registry.address}/berth-faults-${what}:${this.run.id}`;
    const credentials = {
      registry: this.registry.address,
      username: this.registry.username,
      password: this.registry.password,
    };
    const { pushId } = (await this.backend().router.call('push.start', {
      source: this.source,
      target,
      credentials,
    })) as {
      pushId: string;
    };
    const stream = follow(this.backend(), 'push', { pushId });
    const last = () => stream.events.at(-1)?.event as PushModel | undefined;
    await waitFor(
      async () => (last()?.layers.some((l) => l.status === 'pushing' && l.current > 0) ? true : undefined),
      ENGINE_DEADLINE_MS,
      'a layer to be pushing',
    );
    return { stream, last, target };
  }
}

export function expectNothingStillRunning(model: PushModel | undefined): void {
  expect(model?.state).toBe('failed');
  expect(model?.digest).toBeNull();
  expect(model?.layers.filter((l) => ['waiting', 'preparing', 'pushing'].includes(l.status))).toEqual([]);
}
