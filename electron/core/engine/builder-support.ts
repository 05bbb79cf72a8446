/**
 * What an engine can do, decided here ONCE from its /version and /info answers, for both the engine bar
 * (EngineStatus) and the code that acts on it (core/build chooseBuilder, the swarm room), so the two
 * cannot disagree:
 * - BuildKit needs API 1.39 (Engine 18.09) and a Linux engine, and Podman has none whatever API it reports;
 * - Podman names itself in Version.Components ("Podman Engine");
 * - a Swarm manager has Info.Swarm.ControlAvailable.
 */
import type Dockerode from 'dockerode';
import type { EngineHandle } from './engine-handle';

/** The parts of GET /version the capabilities are read from. */
export interface VersionAnswer {
  ApiVersion?: string;
  Os?: string;
  Components?: ReadonlyArray<{ Name?: string }> | null;
}
/** The parts of GET /info the capabilities are read from. */
export interface InfoAnswer {
  Swarm?: { ControlAvailable?: boolean; LocalNodeState?: string } | null;
}

export interface Capabilities {
  buildkit: boolean;
  podman: boolean;
  swarmManager: boolean;
}

/** The lowest API version with BuildKit builds through POST /build?version=2. */
export const BUILDKIT_MIN_API = '1.39';

/** Whether the engine is Podman's Docker-compatible service. */
export function isPodman(version: VersionAnswer): boolean {
  return (version.Components ?? []).some((c) => /^podman/i.test(c.Name ?? ''));
}

/** The BuildKit rule from the API version and OS alone (Podman is ruled out by engineCapabilities). */
export function supportsBuildkit(apiVersion: string | undefined, os: string | undefined): boolean {
  const [major = 0, minor = 0] = (apiVersion ?? '').split('.').map(Number);
  return os === 'linux' && (major > 1 || (major === 1 && minor >= 39));
}

/** Whether a /info answer comes from an active Swarm manager (a worker or an inactive node is not). */
export function isSwarmManager(info: InfoAnswer | undefined): boolean {
  return info?.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable === true;
}

/** Every capability from the engine's answers; `info` may be missing when the engine refused it. */
export function engineCapabilities(version: VersionAnswer, info?: InfoAnswer): Capabilities {
  const podman = isPodman(version);
  return {
    buildkit: !podman && supportsBuildkit(version.ApiVersion, version.Os),
    podman,
    swarmManager: isSwarmManager(info),
  };
}

/** Why BuildKit is missing, for the UI and errors; undefined when the engine has it. */
export function buildkitMissingReason(version: VersionAnswer): string | undefined {
  if (isPodman(version)) return 'Podman has no BuildKit: builds use the legacy builder.';
  if (!supportsBuildkit(version.ApiVersion, version.Os)) {
    return version.Os !== 'linux'
      ? `BuildKit needs a Linux engine; this one runs ${version.Os ?? 'an unknown OS'}.`
      : `BuildKit needs API ${BUILDKIT_MIN_API} or newer; this engine speaks ${version.ApiVersion ?? 'an unknown API'}.`;
  }
  return undefined;
}

const known = new WeakMap<Dockerode, Promise<Capabilities>>();
const NONE: Capabilities = { buildkit: false, podman: false, swarmManager: false };

/** Asks the engine (once per client) and applies the rules; nothing when the engine does not answer. */
export function engineCapabilitiesOf({ docker }: EngineHandle): Promise<Capabilities> {
  let answer = known.get(docker);
  if (!answer) {
    answer = Promise.all([docker.version(), docker.info().catch(() => undefined)]).then(
      ([version, info]) => engineCapabilities(version as VersionAnswer, info as InfoAnswer | undefined),
      () => {
        known.delete(docker); // ask again next time: the engine may come back
        return NONE;
      },
    );
    known.set(docker, answer);
  }
  return answer;
}

/** Whether the engine can run BuildKit builds (the builder choice and the engine bar use the same rule). */
export async function engineSupportsBuildkit(engine: EngineHandle): Promise<boolean> {
  return (await engineCapabilitiesOf(engine)).buildkit;
}
