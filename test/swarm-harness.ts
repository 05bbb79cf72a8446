/**
 * A single-node Swarm for one test file (shared/REFERENCE.md section 8): `docker swarm init --advertise-addr
 * 127.0.0.1`, and afterwards, whatever happened, the test's services removed (their task containers and
 * anonymous volumes go with them), `docker swarm leave --force`, and docker_gwbridge removed. Should the test
 * worker die before that, the suite's global teardown leaves the swarm it finds marked (test/swarm-marker.ts).
 * A swarm is engine-wide: run these files only under the engine lock.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { docker, type EngineLitter, waitFor } from './engine-harness';
import { markSwarm, unmarkSwarm } from './swarm-marker';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Generous: a removed service's containers are gone within seconds here. */
const SERVICE_GONE_DEADLINE_MS = 120_000;

export interface TestSwarm {
  /** Removes the services, leaves the swarm and removes docker_gwbridge; safe to call twice. */
  leave(): Promise<void>;
}

const quietly = (p: Promise<unknown>) => p.catch(() => undefined);

/** Makes the engine a Swarm manager; refuses when it already is in a swarm (someone else's). */
export async function initTestSwarm(services: () => string[]): Promise<TestSwarm> {
  const state = await docker('info', '--format', '{{.Swarm.LocalNodeState}}');
  if (state !== 'inactive') throw new Error(`The engine is already in a swarm (${state}); a test makes its own.`);
  const runId = inject('testRun');
  let joined = true;
  const leave = async () => {
    for (const service of services()) {
      await quietly(docker('service', 'rm', service));
      await quietly(
        waitFor(
          async () =>
            (await docker('ps', '-aq', '--filter', `label=com.docker.swarm.service.name=${service}`)) === ''
              ? true
              : undefined,
          SERVICE_GONE_DEADLINE_MS,
          `the containers of service ${service} to go`,
        ),
      );
    }
    if (joined) await quietly(docker('swarm', 'leave', '--force'));
    joined = false;
    await quietly(docker('network', 'rm', 'docker_gwbridge'));
    unmarkSwarm(runId);
  };
  try {
    await docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
    markSwarm(runId, await docker('info', '--format', '{{.Swarm.NodeID}}'));
  } catch (error) {
    await leave();
    throw error;
  }
  return { leave };
}

/** The oracle for a service's ports: `docker ps` of its task containers, one `{{.Ports}}` line each. */
export const publishedPorts = (service: string): Promise<string> =>
  docker('ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.Ports}}');

/**
 * How often the notes image's own HEALTHCHECK runs in the swarm tests. Swarm calls a task running only once
 * its first check passed, and the Dockerfile's 10 s interval made every deploy, rollback and scale wait 10 s
 * for that first check; the check itself (its command, timeout, start period and retries) is the image's.
 */
export const SWARM_HEALTH_INTERVAL_S = 2;

const NS_PER_S = 1_000_000_000;

interface Healthcheck {
  Test?: string[];
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

/**
 * Builds the notes service (the repository's Dockerfile) with the docker CLI, labelled, then `tag` FROM it with
 * the same HEALTHCHECK run every SWARM_HEALTH_INTERVAL_S; the legacy builder's step images, other stages'
 * included, go to `litter` so that nothing is left behind.
 */
export async function buildNotesService(litter: EngineLitter, tag: string, nodeImage: string): Promise<string> {
  const notes = litter.image(`${tag}-notes`);
  litter.legacySteps(await docker('build', '--build-arg', `NODE_IMAGE=${nodeImage}`, '-t', notes, REPO_ROOT));
  const check = JSON.parse(
    await docker('image', 'inspect', '--format', '{{json .Config.Healthcheck}}', notes),
  ) as Healthcheck | null;
  if (check?.Test?.[0] !== 'CMD' || !check.Timeout || !check.Retries) {
    throw new Error(`the notes image's HEALTHCHECK is not the exec form this helper copies: ${JSON.stringify(check)}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'berth-swarm-notes-'));
  try {
    const flags = [
      `--interval=${SWARM_HEALTH_INTERVAL_S}s`,
      `--timeout=${check.Timeout / NS_PER_S}s`,
      `--start-period=${(check.StartPeriod ?? 0) / NS_PER_S}s`,
      `--retries=${check.Retries}`,
    ];
    await writeFile(
      join(dir, 'Dockerfile'),
      `FROM ${notes}\nHEALTHCHECK ${flags.join(' ')} CMD ${JSON.stringify(check.Test.slice(1))}\n`,
    );
    litter.legacySteps(await docker('build', '-t', litter.image(tag), dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return tag;
}
