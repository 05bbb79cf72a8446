/**
 * Engine faults, on the real engine: dockerd is restarted (or killed, as a BuildKit panic kills it) in the
 * middle of a build, a follow-logs stream, a push and while the event feed is idle; the registry is killed
 * in the middle of a push; the data folder's disk fills while a record is written. Everything goes through
 * Berth's API (router: validated against the contract), and what the UI would be told is checked.
 *
 * RESTARTS THE SHARED dockerd: run only under the engine lock, alone:
 *   flock /tmp/berth-engine.lock npx vitest run --project engine test/faults.engine.test.ts
 * afterAll makes sure dockerd runs again whatever happened. Set BERTH_FAULTS_OUT to a file to get the
 * measured figures as JSON (bench/reliability.ts does).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type Backend, createBackend } from '../electron/api/backend';
import type {
  BerthError,
  BuildModel,
  ErrorShape,
  LogEvent,
  PushModel,
  StreamEvent,
  StreamName,
} from '../electron/contract';
import { FINGERPRINT_KEY_FILE } from '../electron/core/build/cache-causes';
import { Engine } from '../electron/core/engine';
import { MemorySecretStore } from '../electron/core/registry';
import { ensureDockerd, restartDockerd } from './dockerd-control';
import { docker, TEST_RUN_LABEL, waitFor } from './engine-harness';
import { startTestRegistry, type TestRegistry } from './registry-harness';

/** Berth must be connected again within this long after the engine first answers (issue 9). */
const RECONNECT_DEADLINE_MS = 3000;
/** Generous waits for things that depend on the engine's speed on a busy machine. */
const ENGINE_DEADLINE_MS = 60_000;
/** The engine retries a push to a registry that went away several times before it gives up. */
const REGISTRY_GIVE_UP_DEADLINE_MS = 150_000;

const RUN = randomBytes(4).toString('hex');
const LABEL = `berth.test=faults-${RUN}`;
const nodeImage = inject('nodeImage');
/** The suite's run label too, so main's global teardown finds anything this file might leave. */
const TEST_RUN = inject('testRun');

interface Received<E> {
  event: E;
  at: number;
}

/** A stream through the router, with every event kept and timed. */
function follow<S extends StreamName>(backend: Backend, name: S, params: unknown) {
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
function measure(fault: string, figures: Record<string, number | string>): void {
  measured[fault] = figures;
  console.log(`[faults] ${fault}: ${JSON.stringify(figures)}`);
}

function expectClearError(error: ErrorShape | null | undefined, code: ErrorShape['code']): void {
  expect(error?.code).toBe(code);
  expect(error?.message.length).toBeGreaterThan(20);
  expect(error?.fix?.length).toBeGreaterThan(20);
}

/** Every file in the records folder is a whole JSON record (beside the fingerprint key), and no temp file is left over. */
function expectOnlyWholeRecords(dir: string): string[] {
  const names = readdirSync(dir).filter((name) => name !== FINGERPRINT_KEY_FILE);
  expect(names.filter((n) => !n.endsWith('.json'))).toEqual([]);
  for (const name of names) expect(() => JSON.parse(readFileSync(join(dir, name), 'utf8'))).not.toThrow();
  return names;
}

let dataDir: string;
let backend: Backend;
let engine: Engine;
let engineFeed: ReturnType<typeof follow<'engine'>>;

beforeAll(async () => {
  await ensureDockerd();
  dataDir = mkdtempSync(join(tmpdir(), 'berth-faults-data-'));
  engine = new Engine();
  backend = createBackend({ dataDir, secretStore: new MemorySecretStore(), engine, projectDir: dataDir });
  engineFeed = follow(backend, 'engine', {});
  await waitFor(
    async () => (engine.current().state === 'connected' ? true : undefined),
    ENGINE_DEADLINE_MS,
    'Berth to connect',
  );
});

afterAll(async () => {
  // Whatever happened, the shared engine runs again before anything else.
  await ensureDockerd();
  engineFeed?.stop();
  await backend?.close();
  const quietly = (args: string[]) => docker(...args).catch(() => '');
  const containers = (await quietly(['ps', '-aq', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (containers.length) await quietly(['rm', '-f', '-v', ...containers]);
  const images = (await quietly(['images', '-q', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (images.length) await quietly(['rmi', '-f', ...new Set(images)]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  const out = process.env.BERTH_FAULTS_OUT;
  if (out) writeFileSync(out, JSON.stringify(measured, null, 1));
}, 180_000);

/** When Berth's status next became connected after `after`, from the engine stream. */
async function connectedAfter(after: number): Promise<number> {
  return waitFor(
    async () =>
      engineFeed.events.find(
        ({ event, at }) => at >= after && event.kind === 'status' && event.status.state === 'connected',
      )?.at,
    ENGINE_DEADLINE_MS,
    'Berth to report the engine connected again',
  );
}

function interruptionBetween(from: number, to: number) {
  return engineFeed.events.find(
    ({ event, at }) => at >= from && at <= to && event.kind === 'status' && event.status.state === 'disconnected',
  )?.event;
}

describe('dockerd restarts', () => {
  it('while the event feed is idle: the status says why, Berth is back within 3 s, events resume after a marked gap', async () => {
    const restart = await restartDockerd('SIGTERM');
    const connectedAt = await connectedAfter(restart.signalledAt);
    const down = interruptionBetween(restart.signalledAt, connectedAt);
    expect(down?.kind === 'status' && down.status.state).toBe('disconnected');
    if (down?.kind === 'status') expectClearError(down.status.error, 'ENGINE_UNREACHABLE');
    const gap = await waitFor(
      async () => engineFeed.events.find(({ event, at }) => at >= restart.signalledAt && event.kind === 'gap'),
      ENGINE_DEADLINE_MS,
      'the gap marker',
    );
    if (gap.event.kind === 'gap') expect(gap.event.from).toBeLessThanOrEqual(gap.event.to);

    // Events flow again: a container created now is seen through the resumed feed.
    const name = `berth-faults-${RUN}-idle`;
    const id = await docker('create', '--label', LABEL, '--name', name, nodeImage, 'true');
    await waitFor(
      async () =>
        engineFeed.events.find(
          ({ event }) => event.kind === 'event' && event.event.id === id && event.event.action === 'create',
        ),
      ENGINE_DEADLINE_MS,
      'the create event after the restart',
    );
    const reconnectMs = Math.max(0, connectedAt - restart.answeredAt);
    const feedMs = Math.max(0, gap.at - restart.answeredAt);
    measure('restart while the event feed is idle', {
      reconnectMs,
      feedMs,
      downMs: restart.answeredAt - restart.silentAt,
    });
    expect(reconnectMs).toBeLessThanOrEqual(RECONNECT_DEADLINE_MS);
    expect(feedMs).toBeLessThanOrEqual(RECONNECT_DEADLINE_MS);
  });

  it('in the middle of a follow-logs stream: interrupted with the cause, resumed with the gap marked, no line lost or repeated', async () => {
    const name = `berth-faults-${RUN}-logs`;
    await docker(
      'run',
      '-d',
      '--label',
      LABEL,
      '--name',
      name,
      '--restart',
      'always',
      '--stop-timeout',
      '1',
      nodeImage,
      'sh',
      '-c',
      'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.005; done',
    );
    const logs = follow(backend, 'logs', { id: name, tail: 100_000, follow: true });
    const lineCount = () =>
      logs.events.reduce((n, { event }) => n + (event.kind === 'batch' ? event.text.length : 0), 0);
    await waitFor(async () => (lineCount() >= 200 ? true : undefined), ENGINE_DEADLINE_MS, 'lines before the restart');

    const restart = await restartDockerd('SIGTERM');
    const kinds = () => logs.events.map(({ event }) => event.kind);
    const resumed = await waitFor(
      async () => logs.events.find(({ event }) => event.kind === 'resumed'),
      ENGINE_DEADLINE_MS,
      'the log stream to resume',
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}; stream events: ${JSON.stringify(kinds().filter((k) => k !== 'batch'))}, ended: ${logs.ended}, error: ${JSON.stringify(logs.error?.toShape())}`,
      );
    });
    const before = lineCount();
    // The container restarts with the engine (restart policy): new lines arrive after the marker.
    await waitFor(
      async () => (lineCount() >= before + 200 ? true : undefined),
      ENGINE_DEADLINE_MS,
      'lines after the restart',
    );
    logs.stop();
    expect(logs.error).toBeUndefined();

    const interrupted = logs.events.find(({ event }) => event.kind === 'interrupted')?.event as
      | Extract<LogEvent, { kind: 'interrupted' }>
      | undefined;
    expectClearError(interrupted?.error, 'ENGINE_UNREACHABLE');
    expect(kinds().indexOf('interrupted')).toBeLessThan(kinds().indexOf('resumed'));
    expect(kinds()).not.toContain('end');

    // The oracle: what the engine kept, read with the docker CLI. Berth's lines are exactly its beginning.
    const received = logs.events.flatMap(({ event }) => (event.kind === 'batch' ? event.text : []));
    const engineLines = (await docker('logs', name)).split('\n');
    expect(received.length).toBeGreaterThan(400);
    expect(received).toEqual(engineLines.slice(0, received.length));

    const resumeMs = Math.max(0, resumed.at - restart.answeredAt);
    measure('restart during a follow-logs stream', {
      resumeMs,
      linesBefore: before,
      linesTotal: received.length,
      downMs: restart.answeredAt - restart.silentAt,
    });
    expect(resumeMs).toBeLessThanOrEqual(RECONNECT_DEADLINE_MS);
  });

  const buildCases = [
    { title: 'BuildKit build, dockerd restarted', builder: 'buildkit', signal: 'SIGTERM' },
    { title: 'legacy build, dockerd restarted', builder: 'legacy', signal: 'SIGTERM' },
    // What the dockerd 20.10 BuildKit panic ("failed to get edge") does from the outside: the process dies.
    { title: 'BuildKit build, dockerd crashes (as its BuildKit panic does)', builder: 'buildkit', signal: 'SIGKILL' },
  ] as const;

  it.each(buildCases)(
    'in the middle of a $title: the build ends failed with the cause, no step left running, a whole record',
    async ({ builder, signal }) => {
      const context = mkdtempSync(join(tmpdir(), 'berth-faults-build-'));
      try {
        writeFileSync(
          join(context, 'Dockerfile'),
          `FROM ${nodeImage}\nLABEL berth.test=faults-${RUN} ${TEST_RUN_LABEL}=${TEST_RUN}\nRUN echo ${randomBytes(6).toString('hex')} && sleep 40\n`,
        );
        const { buildId } = (await backend.router.call('build.start', { contextDir: context, builder })) as {
          buildId: string;
        };
        const stream = follow(backend, 'build', { buildId });
        const last = () => stream.events.at(-1)?.event as BuildModel | undefined;
        await waitFor(
          async () =>
            last()?.steps.some((s) => s.state === 'running' && s.instruction.startsWith('RUN')) ? true : undefined,
          ENGINE_DEADLINE_MS,
          'the RUN step to start',
        );
        const restart = await restartDockerd(signal);
        const final = await waitFor(
          async () => (stream.ended ? last() : undefined),
          ENGINE_DEADLINE_MS,
          'the build to end',
        );
        const connectedAt = await connectedAfter(restart.signalledAt);
        expect(final?.state).toBe('failed');
        expectClearError(final?.failure, 'ENGINE_UNREACHABLE');
        if (builder === 'buildkit') expect(final?.failure?.fix).toContain('failed to get edge');
        expect(
          final?.steps.filter((s) => s.state === 'running' || (s.state === 'queued' && s.startedAt !== null)),
        ).toEqual([]);
        const run = final?.steps.find((s) => s.instruction.startsWith('RUN'));
        expect(run?.state).toBe('error');
        // The step says what ended it: Berth's "engine stopped answering", or the engine's own words when it
        // killed the step on its way down (e.g. exit code 137).
        expect(run?.error?.length).toBeGreaterThan(5);

        const records = (await backend.router.call('build.records', {})) as { buildId: string; state: string }[];
        expect(records.find((r) => r.buildId === buildId)?.state).toBe('failed');
        expectOnlyWholeRecords(join(dataDir, 'builds'));
        const reconnectMs = Math.max(0, connectedAt - restart.answeredAt);
        measure(`${signal === 'SIGKILL' ? 'crash' : 'restart'} during a ${builder} build`, {
          reconnectMs,
          failedAfterMs: (stream.events.at(-1)?.at ?? 0) - restart.signalledAt,
        });
        expect(reconnectMs).toBeLessThanOrEqual(RECONNECT_DEADLINE_MS);
      } finally {
        rmSync(context, { recursive: true, force: true });
      }
    },
  );

  describe('pushes', () => {
    let registry: TestRegistry;
    let source: string;

    // A fresh registry for each push, so no layer is already there ("Layer already exists" is never pushing).
    beforeEach(async () => {
      registry = await startTestRegistry({ username: 'berth', password: randomBytes(8).toString('hex') });
    });

    afterEach(async () => {
      await registry?.stop();
    });

    beforeAll(async () => {
      // Three layers of random bytes: big enough that a push is still running when the fault comes.
      const dir = mkdtempSync(join(tmpdir(), 'berth-faults-push-'));
      try {
        for (const n of [1, 2, 3]) writeFileSync(join(dir, `${n}.bin`), randomBytes(24 << 20));
        writeFileSync(
          join(dir, 'Dockerfile'),
          `FROM scratch\nLABEL berth.test=faults-${RUN} ${TEST_RUN_LABEL}=${TEST_RUN}\nCOPY 1.bin /1.bin\nCOPY 2.bin /2.bin\nCOPY 3.bin /3.bin\n`,
        );
        source = `berth-faults-${RUN}-push:1`;
        await docker('build', '-q', '-t', source, dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);

    async function pushUntilPushing(what: string) {
      const target = `${registry.address}/berth-faults-${what}:${RUN}`;
      const credentials = { registry: registry.address, username: registry.username, password: registry.password };
      const { pushId } = (await backend.router.call('push.start', { source, target, credentials })) as {
        pushId: string;
      };
      const stream = follow(backend, 'push', { pushId });
      const last = () => stream.events.at(-1)?.event as PushModel | undefined;
      await waitFor(
        async () => (last()?.layers.some((l) => l.status === 'pushing' && l.current > 0) ? true : undefined),
        ENGINE_DEADLINE_MS,
        'a layer to be pushing',
      );
      return { stream, last, target };
    }

    function expectNothingStillRunning(model: PushModel | undefined): void {
      expect(model?.state).toBe('failed');
      expect(model?.digest).toBeNull();
      expect(model?.layers.filter((l) => ['waiting', 'preparing', 'pushing'].includes(l.status))).toEqual([]);
    }

    it('restart of dockerd in the middle of a push: failed with the cause (or truly finished), no layer left pushing', async () => {
      const { stream, last, target } = await pushUntilPushing('restart');
      const restart = await restartDockerd('SIGTERM');
      const final = await waitFor(
        async () => (stream.ended ? last() : undefined),
        ENGINE_DEADLINE_MS,
        'the push to end',
      );
      // A dockerd shutting down may still finish a push it has nearly done: then the registry must hold the
      // digest Berth reports. Otherwise the push failed, saying the engine went away.
      if (final?.state === 'succeeded') {
        const tag = target.slice(target.lastIndexOf(':') + 1);
        const repository = target.slice(registry.address.length + 1, target.lastIndexOf(':'));
        const res = await fetch(`http://${registry.address}/v2/${repository}/manifests/${tag}`, {
          headers: {
            authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
            accept: 'application/vnd.docker.distribution.manifest.v2+json',
          },
        });
        expect(res.headers.get('docker-content-digest')).toBe(final.digest);
      } else {
        expectNothingStillRunning(final);
        expectClearError(final?.failure, 'ENGINE_UNREACHABLE');
      }
      expect(final?.layers.filter((l) => ['waiting', 'preparing', 'pushing'].includes(l.status))).toEqual([]);
      const connectedAt = await connectedAfter(restart.signalledAt);
      const reconnectMs = Math.max(0, connectedAt - restart.answeredAt);
      measure('restart during a push', { reconnectMs, outcome: final?.state ?? 'none' });
      expect(reconnectMs).toBeLessThanOrEqual(RECONNECT_DEADLINE_MS);
    });

    it('dockerd crashing in the middle of a push: failed with the cause, no layer left pushing', async () => {
      const { stream, last } = await pushUntilPushing('crash');
      const restart = await restartDockerd('SIGKILL');
      const final = await waitFor(
        async () => (stream.ended ? last() : undefined),
        ENGINE_DEADLINE_MS,
        'the push to end',
      );
      expectNothingStillRunning(final);
      expectClearError(final?.failure, 'ENGINE_UNREACHABLE');
      const connectedAt = await connectedAfter(restart.signalledAt);
      const reconnectMs = Math.max(0, connectedAt - restart.answeredAt);
      measure('crash during a push', { reconnectMs });
      expect(reconnectMs).toBeLessThanOrEqual(RECONNECT_DEADLINE_MS);
    });

    it(
      'the registry killed in the middle of a push: failed with the registry named, no layer left pushing',
      async () => {
        const { stream, last } = await pushUntilPushing('registry');
        const killedAt = Date.now();
        await registry.stop();
        const final = await waitFor(
          async () => (stream.ended ? last() : undefined),
          REGISTRY_GIVE_UP_DEADLINE_MS,
          'the push to fail',
        );
        expectNothingStillRunning(final);
        expectClearError(final?.failure, 'PUSH_FAILED');
        expect(final?.failure?.message).toContain(registry.address);
        measure('registry killed during a push', { failedAfterMs: Date.now() - killedAt });
      },
      REGISTRY_GIVE_UP_DEADLINE_MS + 60_000,
    );
  });
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
