/**
 * Swarm on the real engine (issue 13): this file makes the engine a single-node Swarm manager
 * (`docker swarm init --advertise-addr 127.0.0.1`), deploys the notes service with 2 replicas and reaches each
 * task on its own host-mode port, rolls out an image whose HEALTHCHECK fails and sees the engine roll it back,
 * and scales to 3. The docker CLI is the oracle (docker service ps / ls / inspect, docker ps).
 * afterAll removes the service, leaves the swarm (`docker swarm leave --force`) and removes docker_gwbridge,
 * whatever happened; run it only under the engine lock, since the swarm is engine-wide.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { docker, EngineLitter, testLabels, uniqueName, waitFor } from '../../../test/engine-harness';
import { buildNotesService, initTestSwarm, publishedPorts, type TestSwarm } from '../../../test/swarm-harness';
import type { MergedLogEvent, SwarmService } from '../../contract';
import { Engine } from '../engine/engine';
import { followServiceLogs } from './service-logs';
import { deployService, inspectService, listServices, scaleService, swarmStatus } from './swarm-services';

/**
 * Generous deadlines: a new task is running once its first HEALTHCHECK passed (the notes image's own check,
 * run every SWARM_HEALTH_INTERVAL_S here; see test/swarm-harness.ts).
 */
const CONVERGE_DEADLINE_MS = 180_000;
const ROLLBACK_DEADLINE_MS = 240_000;
const HTTP_DEADLINE_MS = 60_000;
/**
 * The deploy's monitor period. The unhealthy image's tasks never reach running (Swarm calls a task running only
 * once its HEALTHCHECK passed), and the engine counts a task of the update that fails before running whatever
 * the monitor; the monitor is also how long the engine watches after the last task before it says
 * `rollback_completed`, which the rollback test waits for, so a long one only made that test wait.
 */
const MONITOR_MS = 3_000;
/** Each test's own limit: its deadlines added up, with room for the HTTP checks. */
const TEST_TIMEOUT_MS = CONVERGE_DEADLINE_MS + ROLLBACK_DEADLINE_MS + HTTP_DEADLINE_MS;

const litter = new EngineLitter();
const service = uniqueName('notes-swarm').slice(0, 40);
const good = litter.image(`${uniqueName('notes-swarm')}:good`);
const bad = litter.image(`${uniqueName('notes-swarm')}:unhealthy`);
let engine: Engine;
let swarm: TestSwarm | undefined;

/** Deploys (or rolls out) `image` as the test's service: 2 replicas of port 5000, PORT set, as the run settings give. */
const deploy = (image: string) =>
  deployService(engine, {
    name: service,
    image,
    env: { PORT: '5000' },
    containerPorts: [5000],
    replicas: 2,
    monitorMs: MONITOR_MS,
  });

const running = (s: SwarmService) => s.tasks.filter((t) => t.state === 'running' && t.desiredState === 'running');

async function converged(replicas: number, image: string): Promise<SwarmService> {
  return waitFor(
    async () => {
      const s = await inspectService(engine, service);
      const up = running(s);
      return up.length === replicas && up.every((t) => t.image === image && t.ports.length === 1) ? s : undefined;
    },
    CONVERGE_DEADLINE_MS,
    `${replicas} running tasks of ${image}`,
  );
}

const ok = (port: number) =>
  waitFor(
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
      return res.status === 200 ? res.status : undefined;
    },
    HTTP_DEADLINE_MS,
    `200 from 127.0.0.1:${port}`,
  );

beforeAll(async () => {
  engine = new Engine({ labels: testLabels() });
  expect(await swarmStatus(engine)).toEqual({ manager: false, reason: expect.stringMatching(/not a Swarm manager/) });
  swarm = await initTestSwarm(() => [service]);
  await buildNotesService(litter, good, inject('nodeImage'));
  const dir = await mkdtemp(join(tmpdir(), 'berth-swarm-'));
  try {
    await writeFile(
      join(dir, 'Dockerfile'),
      `FROM ${good}\nHEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["node", "-e", "process.exit(1)"]\n`,
    );
    litter.legacySteps(await docker('build', '-t', bad, dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  engine?.close();
  await swarm?.leave();
  await litter.cleanup();
});

describe('Swarm services', () => {
  it(
    'deploys the notes service with 2 replicas, each task reachable on its own host-mode port',
    async () => {
      expect(await swarmStatus(engine)).toEqual({ manager: true, reason: null });
      await deploy(good);
      const deployed = await converged(2, good);
      const ports = running(deployed).map((t) => t.ports[0]?.hostPort ?? 0);
      expect(new Set(ports).size).toBe(2);
      for (const port of ports) expect(await ok(port)).toBe(200);

      // The oracle: docker service ps and docker ps agree on the tasks and their ports.
      const states = await docker(
        'service',
        'ps',
        service,
        '--filter',
        'desired-state=running',
        '--format',
        '{{.CurrentState}}',
      );
      expect(states.split('\n').filter((s) => s.startsWith('Running'))).toHaveLength(2);
      const published = await publishedPorts(service);
      for (const port of ports) expect(published).toContain(`:${port}->5000/tcp`);
      expect((await listServices(engine)).map((s) => s.name)).toContain(service);

      // The service's logs: each task said where it listens.
      const lines: string[] = [];
      const history = {
        deliver: (event: MergedLogEvent) => {
          if (event.kind === 'lines') lines.push(...event.lines.map((l) => l.text));
        },
      };
      await followServiceLogs(engine, service, history, { tail: 1000, follow: false });
      expect(lines.filter((l) => l.includes('Listening at http://0.0.0.0:5000')).length).toBeGreaterThanOrEqual(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rolls out an image whose HEALTHCHECK fails, and the engine rolls the service back by itself',
    async () => {
      await deploy(bad);
      const rolledBack = await waitFor(
        async () => {
          const s = await inspectService(engine, service);
          return s.update?.state === 'rollback_completed' ? s : undefined;
        },
        ROLLBACK_DEADLINE_MS,
        'the automatic rollback',
      );
      expect(rolledBack.image).toBe(good);
      expect(rolledBack.tasks.some((t) => t.image === bad && t.state !== 'running')).toBe(true);
      const back = await converged(2, good);
      for (const task of running(back)) expect(await ok(task.ports[0]?.hostPort ?? 0)).toBe(200);
      // The oracle: the engine itself says it rolled back, to the good image.
      expect(await docker('service', 'inspect', '--format', '{{.UpdateStatus.State}}', service)).toBe(
        'rollback_completed',
      );
      expect(
        await docker('service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', service),
      ).toMatch(new RegExp(`^${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'scales to 3',
    async () => {
      await scaleService(engine, service, 3);
      const scaled = await converged(3, good);
      const ports = running(scaled).map((t) => t.ports[0]?.hostPort ?? 0);
      expect(new Set(ports).size).toBe(3);
      for (const port of ports) expect(await ok(port)).toBe(200);
      // The oracle: the engine counts 3 of 3 replicas, and docker ps shows the three tasks' own ports.
      expect(await docker('service', 'ls', '--filter', `name=${service}`, '--format', '{{.Replicas}}')).toBe('3/3');
      const published = await publishedPorts(service);
      for (const port of ports) expect(published).toContain(`:${port}->5000/tcp`);
    },
    TEST_TIMEOUT_MS,
  );

  it('refuses bad input with the field at fault, and creates nothing', async () => {
    await expect(
      deployService(engine, { name: 'no spaces allowed', image: good, env: {}, replicas: 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      deployService(engine, { name: 'ok-name', image: good, env: {}, replicas: 1000 }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect((await listServices(engine)).map((s) => s.name)).not.toContain('ok-name');
  });
});
