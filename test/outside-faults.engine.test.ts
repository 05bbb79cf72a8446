/**
 * Faults outside dockerd, on the real engine: the registry is killed in the middle of a push, and the data
 * folder's disk fills while a build record is written. Everything goes through Berth's API (router:
 * validated against the contract), and what the UI would be told is checked. dockerd keeps running, so this
 * file runs beside the others; the faults that restart dockerd are in test/faults.engine.test.ts.
 *
 * Needs root (it mounts a small tmpfs). BERTH_FAULTS_OUT: see test/fault-harness.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, createBackend } from '../electron/api/backend';
import type { BuildModel } from '../electron/contract';
import type { Engine } from '../electron/core/engine';
import { MemorySecretStore } from '../electron/core/registry';
import { TEST_RUN_LABEL, waitFor } from './engine-harness';
import {
  connectedBackend,
  ENGINE_DEADLINE_MS,
  endFaultFile,
  expectClearError,
  expectNothingStillRunning,
  expectOnlyWholeRecords,
  faultRun,
  follow,
  measure,
  PushFaults,
} from './fault-harness';

/** The engine retries a push to a registry that went away several times before it gives up. */
const REGISTRY_GIVE_UP_DEADLINE_MS = 150_000;

const { id: RUN, label: LABEL, testRun: TEST_RUN, nodeImage } = faultRun();

let dataDir: string;
let backend: Backend;
let engine: Engine;

beforeAll(async () => {
  ({ backend, engine, dataDir } = await connectedBackend());
});

afterAll(() => endFaultFile(LABEL, { backend, dataDir }), 180_000);

describe('the registry killed in the middle of a push', () => {
  const pushes = new PushFaults({ id: RUN, label: LABEL, testRun: TEST_RUN }, () => backend);
  beforeAll(() => pushes.setUp(), 180_000);
  beforeEach(() => pushes.next());
  afterEach(() => pushes.stop());

  it(
    'fails with the registry named, no layer left pushing',
    async () => {
      const { stream, last } = await pushes.untilPushing('registry');
      const killedAt = Date.now();
      await pushes.registry.stop();
      const final = await waitFor(
        async () => (stream.ended ? last() : undefined),
        REGISTRY_GIVE_UP_DEADLINE_MS,
        'the push to fail',
      );
      expectNothingStillRunning(final);
      expectClearError(final?.failure, 'PUSH_FAILED');
      expect(final?.failure?.message).toContain(pushes.registry.address);
      measure('registry killed during a push', { failedAfterMs: Date.now() - killedAt });
    },
    REGISTRY_GIVE_UP_DEADLINE_MS + 60_000,
  );
});

describe('the data folder fills up while a record is written', () => {
  const mountPoint = join(tmpdir(), `berth-faults-tmpfs-${RUN}`);
  let mounted = false;

  afterAll(() => {
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('keeps the earlier records intact and says STORAGE_FAILED with the fix', async () => {
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
    mounted = true;
    const small = createBackend({
      dataDir: mountPoint,
      secretStore: new MemorySecretStore(),
      engine,
      projectDir: mountPoint,
    });
    const context = mkdtempSync(join(tmpdir(), 'berth-faults-disk-'));
    try {
      const build = async (nonce: string) => {
        writeFileSync(
          join(context, 'Dockerfile'),
          `FROM ${nodeImage}\nLABEL berth.test=faults-${RUN} ${TEST_RUN_LABEL}=${TEST_RUN}\nRUN echo ${nonce}\n`,
        );
        const { buildId } = (await small.router.call('build.start', { contextDir: context, builder: 'buildkit' })) as {
          buildId: string;
        };
        const stream = follow(small, 'build', { buildId });
        return waitFor(
          async () => (stream.ended ? (stream.events.at(-1)?.event as BuildModel) : undefined),
          ENGINE_DEADLINE_MS,
          'the build to end',
        );
      };
      const first = await build('first');
      expect(first.state).toBe('succeeded');
      expect(first.recordError).toBeUndefined();
      const recordsDir = join(mountPoint, 'builds');
      const firstPath = join(recordsDir, `${first.buildId}.json`);
      const firstBytes = readFileSync(firstPath);

      // Fill the disk to the last byte.
      const filler = join(mountPoint, 'filler');
      let size = 0;
      try {
        for (;;) {
          writeFileSync(filler, Buffer.alloc(1024), { flag: 'a' });
          size += 1024;
        }
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      expect(size).toBeGreaterThan(0);

      const second = await build('second');
      expect(second.state).toBe('succeeded');
      expectClearError(second.recordError, 'STORAGE_FAILED');
      expect(second.recordError?.message).toMatch(/no space left/i);
      expect(second.warnings.join(' ')).toMatch(/record could not be written/);

      expect(readFileSync(firstPath)).toEqual(firstBytes);
      expect(expectOnlyWholeRecords(recordsDir)).toEqual([`${first.buildId}.json`]);
      const records = (await small.router.call('build.records', {})) as { buildId: string }[];
      expect(records.map((r) => r.buildId)).toEqual([first.buildId]);
      measure('data folder full while a record is written', { earlierRecordsIntact: 1, fillerBytes: size });
    } finally {
      await small.close();
      rmSync(context, { recursive: true, force: true });
    }
  });
});
