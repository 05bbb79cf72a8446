/**
 * Engine faults, on the real engine: dockerd is restarted (or killed, as a BuildKit panic kills it) in the
 * middle of a build, a follow-logs stream, a push and while the event feed is idle. Everything goes through
 * Berth's API (router: validated against the contract), and what the UI would be told is checked. The faults
 * outside dockerd (the registry killed, the data folder full) are in test/outside-faults.engine.test.ts.
 *
 * RESTARTS THE SHARED dockerd: run only under the engine lock, alone (`npm test` runs it in its exclusive
 * lane, with nothing else on the engine; see test/lanes.ts):
 *   flock /tmp/berth-engine.lock npx vitest run --project engine test/faults.engine.test.ts
 * afterAll makes sure dockerd runs again whatever happened. BERTH_FAULTS_OUT: see test/fault-harness.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../electron/api/backend';
import type { BuildModel, LogEvent } from '../electron/contract';
import { ensureDockerd, restartDockerd } from './dockerd-control';
import { docker, TEST_RUN_LABEL, waitFor } from './engine-harness';
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

/** Berth must be connected again within this long after the engine first answers (issue 9). */
const RECONNECT_DEADLINE_MS = 3000;

const { id: RUN, label: LABEL, testRun: TEST_RUN, nodeImage } = faultRun();

let dataDir: string;
let backend: Backend;
let engineFeed: ReturnType<typeof follow<'engine'>>;

beforeAll(async () => {
  await ensureDockerd();
  ({ backend, dataDir } = await connectedBackend());
  engineFeed = follow(backend, 'engine', {});
});

afterAll(async () => {
  // Whatever happened, the shared engine runs again before anything else.
  await ensureDockerd();
  engineFeed?.stop();
  await endFaultFile(LABEL, { backend, dataDir });
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
    const pushes = new PushFaults({ id: RUN, label: LABEL, testRun: TEST_RUN }, () => backend);
    beforeAll(() => pushes.setUp(), 180_000);
    beforeEach(() => pushes.next());
    afterEach(() => pushes.stop());

    it('restart of dockerd in the middle of a push: failed with the cause (or truly finished), no layer left pushing', async () => {
      const { stream, last, target } = await pushes.untilPushing('restart');
      const registry = pushes.registry;
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
      const { stream, last } = await pushes.untilPushing('crash');
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
  });
});
