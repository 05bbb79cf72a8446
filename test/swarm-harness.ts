/**
 * A single-node Swarm for one test file (shared/REFERENCE.md section 8): `docker swarm init --advertise-addr
 * 127.0.0.1`, and afterwards, whatever happened, the test's services removed (their task containers and
 * anonymous volumes go with them), `docker swarm leave --force`, and docker_gwbridge removed. Should the test
 * worker die before that, the suite's global teardown leaves the swarm it finds marked (test/swarm-marker.ts).
 * A swarm is engine-wide: run these files only under the engine lock.
 */
import { resolve } from 'node:path';
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
 * Builds the notes service (the repository's Dockerfile) as `tag` with the docker CLI, labelled; the legacy
 * builder's step images, other stages' included, go to `litter` so that nothing is left behind.
 */
export async function buildNotesService(litter: EngineLitter, tag: string, nodeImage: string): Promise<string> {
  const output = await docker('build', '--build-arg', `NODE_IMAGE=${nodeImage}`, '-t', litter.image(tag), REPO_ROOT);
  litter.legacySteps(output);
  return tag;
}
