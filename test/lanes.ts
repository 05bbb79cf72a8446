/**
 * How `npm test` (scripts/test.ts) shares the engine between test files. Pure: no engine, no vitest.
 *
 * The engine and e2e files used to run one at a time, about 1,000 s on 2 cores: most of it waiting on dockerd,
 * registries and Chromium, not computing. Now they run in two phases:
 *
 *   1. the exclusive lane, alone on the engine (beside the unit and renderer tests, which never touch it):
 *      - files that restart dockerd (every container on the engine stops with it);
 *      - files that compare engine-wide totals (`docker system df`), which another lane's work would move;
 *      - files that build with no cache: dockerd 20.10's BuildKit panics ("failed to get edge", moby#42414,
 *        moby/buildkit#2303) when a no-cache build and a cached one ask for the same steps at the same time.
 *   2. the shared lanes, at the same time: every e2e file in the first (Chromium is the heaviest part), with
 *      the engine files that must not overlap one of them (WITH_E2E), and the other engine files spread over
 *      the lanes by their measured time, longest first.
 *
 * Inside a lane, files run one at a time. Every file labels what it creates with its lane's run id and cleans
 * up by label, so lanes never see each other's objects as their own.
 */

/** Files that must have the engine to themselves. */
export const EXCLUSIVE_FILES = [
  'test/faults.engine.test.ts', // restarts and kills dockerd
  'electron/core/disk/disk.engine.test.ts', // totals against `docker system df`
  'electron/core/build/notes.engine.test.ts', // no-cache builds of the notes service
  'electron/core/build/secrets.engine.test.ts', // a no-cache build
] as const;

/**
 * Engine files that must never run at the same time as an e2e file, so they run in the e2e lane:
 * - the Swarm and service-logs engine tests and the Services e2e test each make this engine a swarm manager and
 *   leave the swarm;
 * - the terminal test and the debug-shell e2e test both check that no debug shell (DEBUG_SHELL_LABEL) is left;
 * - the advice test and the advice e2e test both check that no measurement image (MEASURE_LABEL) is left.
 */
export const WITH_E2E = [
  'electron/core/deploy/swarm.engine.test.ts',
  'electron/core/deploy/service-logs.engine.test.ts',
  'electron/api/terminal.engine.test.ts',
  'electron/core/insight/advisor/advice.engine.test.ts',
] as const;

/** How many shared lanes run at once in phase 2. */
export const SHARED_LANES = 3;

/**
 * Seconds each file took in a clean-clone run under load (CI run 10, 2 cores), for balancing only: a file
 * that is not listed counts as DEFAULT_SECONDS. A stale figure makes the lanes uneven, never wrong.
 */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'test/outside-faults.engine.test.ts': 52,
  'electron/core/build/fidelity-stages.engine.test.ts': 55,
  'electron/core/build/fidelity-instructions.engine.test.ts': 55,
  'electron/core/deploy/swarm.engine.test.ts': 71,
  'electron/api/pipeline-deploy.contract.engine.test.ts': 45,
  'electron/core/engine/podman.engine.test.ts': 35,
  'test/hostile-input.engine.test.ts': 34,
  'test/service-container.engine.test.ts': 30,
  'electron/api/terminal.engine.test.ts': 30,
  'test/hostile-web.engine.test.ts': 29,
  'electron/core/build/cache-causes.engine.test.ts': 20,
  'electron/api/secrets.engine.test.ts': 17,
  'test/remote-engines.engine.test.ts': 17,
  'electron/api/deploy.contract.engine.test.ts': 15,
  'electron/core/pipeline/watch.engine.test.ts': 15,
  'electron/core/pipeline/parity-run.engine.test.ts': 15,
  'electron/core/insight/timeline.engine.test.ts': 13,
  'electron/core/containers/compose-groups.engine.test.ts': 13,
  'electron/core/insight/layers/layer-explorer.engine.test.ts': 11,
  'electron/core/containers/containers.engine.test.ts': 11,
  'electron/core/images/images.engine.test.ts': 9,
  'electron/web/stream-backpressure.engine.test.ts': 8,
};
export const DEFAULT_SECONDS = 5;
/** An e2e file's average time in CI run 10 (234 s for 18 files under load). */
export const E2E_SECONDS_EACH = 13;

export interface Lanes {
  exclusive: string[];
  /** SHARED_LANES lists; the first holds every e2e file. */
  shared: string[][];
}

const isE2e = (file: string): boolean => file.startsWith('e2e/');

/**
 * Splits the engine and e2e files (paths relative to the repository, with `/`) into the lanes. Deterministic:
 * the same files give the same lanes. Throws on a file that is neither an engine nor an e2e test file.
 */
export function planLanes(files: readonly string[], lanes = SHARED_LANES): Lanes {
  for (const file of files) {
    if (!file.endsWith('.engine.test.ts') && !(isE2e(file) && file.endsWith('.e2e.test.ts'))) {
      throw new Error(`${file} is neither an engine test (*.engine.test.ts) nor an e2e test (e2e/*.e2e.test.ts)`);
    }
  }
  const exclusive = files.filter((f) => (EXCLUSIVE_FILES as readonly string[]).includes(f)).sort();
  const shared: string[][] = Array.from({ length: lanes }, () => []);
  const load = Array.from({ length: lanes }, () => 0);
  const seconds = (file: string) => MEASURED_SECONDS[file] ?? DEFAULT_SECONDS;
  const e2e = files.filter(isE2e).sort();
  const withE2e = files.filter((f) => (WITH_E2E as readonly string[]).includes(f) && !exclusive.includes(f)).sort();
  shared[0]?.push(...withE2e, ...e2e);
  load[0] = e2e.length * E2E_SECONDS_EACH + withE2e.reduce((sum, f) => sum + seconds(f), 0);
  const rest = files
    .filter((f) => !isE2e(f) && !exclusive.includes(f) && !withE2e.includes(f))
    .sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b));
  for (const file of rest) {
    const lightest = load.indexOf(Math.min(...load));
    shared[lightest]?.push(file);
    load[lightest] = (load[lightest] ?? 0) + seconds(file);
  }
  return { exclusive, shared };
}
