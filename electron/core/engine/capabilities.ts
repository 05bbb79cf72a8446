/**
 * The Swarm and Podman questions the rooms that adapt to an engine ask (the Services view, the build's
 * Podman decoder), answered from the ONE rule set in builder-support: this file only adds what they need on
 * top of it. The Swarm role is asked every time, since `docker swarm init|leave` changes it while connected.
 */
import type Dockerode from 'dockerode';
import {
  type Capabilities,
  engineCapabilities,
  type InfoAnswer,
  isPodman,
  isSwarmManager,
  type VersionAnswer,
} from './builder-support';

export { isSwarmManager };

import type { EngineHandle } from './engine-handle';

export interface EngineCapabilities extends Capabilities {
  apiVersion: string;
}

/** The capabilities, from the engine's /version and /info answers. */
export function capabilitiesOf(version: VersionAnswer, info: InfoAnswer | undefined): EngineCapabilities {
  return { ...engineCapabilities(version, info), apiVersion: version.ApiVersion ?? '' };
}

const versions = new WeakMap<Dockerode, Promise<VersionAnswer>>();

/** The engine's /version answer, asked once per client (it does not change while connected). */
function versionOf(docker: Dockerode): Promise<VersionAnswer> {
  let answer = versions.get(docker);
  if (!answer) {
    answer = (docker.version() as Promise<VersionAnswer>).catch((error: unknown) => {
      versions.delete(docker); // ask again next time: the engine may come back
      throw error;
    });
    versions.set(docker, answer);
  }
  return answer;
}

/** Asks the engine now (the Swarm role fresh each time). */
export async function currentCapabilities({ docker }: EngineHandle): Promise<EngineCapabilities> {
  const [version, info] = await Promise.all([versionOf(docker), docker.info() as Promise<InfoAnswer>]);
  return capabilitiesOf(version, info);
}

/** Whether the engine is Podman (false when it does not answer). */
export function engineIsPodman({ docker }: EngineHandle): Promise<boolean> {
  return versionOf(docker).then(isPodman, () => false);
}
