/**
 * Whether an engine can run BuildKit builds: decided here, ONCE, for both the engine bar's builder badge
 * (EngineStatus.buildkit) and the builder a build actually uses (core/build chooseBuilder), so the two
 * cannot disagree. BuildKit needs API 1.39 (Engine 18.09) and a Linux engine.
 */
import type Dockerode from 'dockerode';
import type { EngineHandle } from './engine-handle';

/** The rule, from the engine's /version answer. */
export function supportsBuildkit(apiVersion: string | undefined, os: string | undefined): boolean {
  const [major = 0, minor = 0] = (apiVersion ?? '').split('.').map(Number);
  return os === 'linux' && (major > 1 || (major === 1 && minor >= 39));
}

const known = new WeakMap<Dockerode, Promise<boolean>>();

/** Asks the engine (once per client) and applies the rule; false when the engine does not answer. */
export function engineSupportsBuildkit({ docker }: EngineHandle): Promise<boolean> {
  let answer = known.get(docker);
  if (!answer) {
    answer = docker.version().then(
      (v) => supportsBuildkit(v.ApiVersion, v.Os),
      () => {
        known.delete(docker); // ask again next time: the engine may come back
        return false;
      },
    );
    known.set(docker, answer);
  }
  return answer;
}
