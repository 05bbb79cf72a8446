import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { ensureBaseImage } from '../scripts/base-image';
import { leaveMarkedSwarm } from './swarm-marker';
import { TEST_RUN_LABEL } from './test-run-label';

/**
 * Runs once before the engine and e2e tests, and once after them.
 *
 * Before: checks that dockerd answers, makes sure a Node base image exists (node:22-alpine where present;
 * otherwise, with no Docker Hub access, the offline base image built from this machine's node, which is kept
 * like the build cache), names this run (every test labels what it creates with TEST_RUN_LABEL=<run>), and
 * notes every image, container and volume on the engine.
 *
 * After: removes everything labelled with this run, and the untagged parents of its images (the legacy
 * builder's intermediate images), never anything that was there before; then checks that the engine holds
 * exactly what it held before, and fails loudly, listing the difference, if not. Nothing unlabelled is pruned.
 * Objects that another test run labelled as its own (a second suite running at the same time on this engine)
 * are left out of the comparison: they are that run's to remove. Unlabelled objects always count.
 *
 * The engine and e2e projects share one run: the first setup opens it, the last teardown closes it.
 *
 * In lanes (`npm test`, scripts/test.ts): the parent process opens the suite once (engine check, base image,
 * inventory) and gives each lane (a vitest process) its own run id and the base image in LANE_RUN_ENV and
 * NODE_IMAGE_ENV. A lane's teardown removes what its run labelled; the inventory check waits for the parent,
 * after every lane has ended (closeSuite), since one lane's objects come and go while another ends.
 */

/** Set by scripts/test.ts for a lane: the lane's run id. */
export const LANE_RUN_ENV = 'BERTH_TEST_LANE_RUN';
/** Set by scripts/test.ts for a lane: the Node base image it checked. */
export const NODE_IMAGE_ENV = 'BERTH_TEST_NODE_IMAGE';

export interface EngineInventory {
  images: string[];
  containers: string[];
  volumes: string[];
}

interface SuiteRun {
  id: string;
  nodeImage: string;
  before: EngineInventory;
  /** What other test runs held when this one began (see otherRuns). */
  othersBefore: EngineInventory;
  users: number;
  /** A lane of scripts/test.ts: the parent checks the inventory. */
  lane: boolean;
}

const shared = globalThis as { berthSuiteRun?: SuiteRun };

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}
const ids = (out: string): string[] => [...new Set(out.split('\n').filter(Boolean))].sort();

export function inventory(): EngineInventory {
  return {
    images: ids(docker('images', '-aq', '--no-trunc')),
    containers: ids(docker('ps', '-aq', '--no-trunc')),
    volumes: ids(docker('volume', 'ls', '-q')),
  };
}

/** Fails with the fix when dockerd does not answer; returns the Node base image to build tests on. */
export function checkEngineAndBase(): string {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'pipe', timeout: 10_000 });
  } catch {
    throw new Error('The Docker engine does not answer. Start it (bash .ci/run does), or set DOCKER_HOST.');
  }
  try {
    docker('image', 'inspect', 'node:22-alpine');
    return 'node:22-alpine';
  } catch {
    return ensureBaseImage();
  }
}

export const newRunId = (): string => randomBytes(6).toString('hex');

function openRun(): SuiteRun {
  const laneRun = process.env[LANE_RUN_ENV];
  const laneImage = process.env[NODE_IMAGE_ENV];
  if (laneRun && laneImage) {
    if (!/^[0-9a-f]{12}$/.test(laneRun)) throw new Error(`${LANE_RUN_ENV} must be 12 hex digits, not ${laneRun}`);
    const none = { images: [], containers: [], volumes: [] };
    return { id: laneRun, nodeImage: laneImage, before: inventory(), othersBefore: none, users: 0, lane: true };
  }
  const nodeImage = checkEngineAndBase();
  const id = newRunId();
  return { id, nodeImage, before: inventory(), othersBefore: otherRuns([id]), users: 0, lane: false };
}

const quietly = (...args: string[]): boolean => {
  try {
    docker(...args);
    return true;
  } catch {
    return false;
  }
};

/**
 * Removes what this run labelled, its images' untagged parents, and the untagged images built on top of them
 * (the legacy builder's intermediate images, other stages of a multi-stage build included), never anything
 * that was there before.
 */
export function removeRun(run: { id: string; before: EngineInventory }): void {
  const filter = `label=${TEST_RUN_LABEL}=${run.id}`;
  for (const id of ids(docker('ps', '-aq', '--no-trunc', '--filter', filter))) quietly('rm', '-f', '-v', id);
  for (const name of ids(docker('volume', 'ls', '-q', '--filter', filter))) quietly('volume', 'rm', '-f', name);
  for (const id of ids(docker('network', 'ls', '-q', '--no-trunc', '--filter', filter))) quietly('network', 'rm', id);

  const before = new Set(run.before.images);
  const labelled = ids(docker('images', '-aq', '--no-trunc', '--filter', filter));
  const parents: string[] = [];
  for (const image of labelled) {
    let parent = docker('image', 'inspect', '--format', '{{.Parent}}', image).trim();
    while (parent && !before.has(parent) && !parents.includes(parent)) {
      const [tags, next] = docker('image', 'inspect', '--format', '{{len .RepoTags}} {{.Parent}}', parent)
        .trim()
        .split(' ');
      if (tags !== '0') break; // a named image is someone's, never a leftover parent
      parents.push(parent);
      parent = next ?? '';
    }
  }
  const descendants = untaggedDescendants(labelled, before);
  // Children before parents; an image with children left is retried once they are gone.
  let pending = [...descendants, ...labelled.filter((i) => !before.has(i)), ...parents];
  for (let pass = 0; pass < 10 && pending.length > 0; pass++) {
    pending = pending.filter((image) => !quietly('rmi', '-f', '--no-prune', image));
  }
}

/** Untagged images, new since the run began, whose parent chain reaches one of `roots`. */
function untaggedDescendants(roots: string[], before: Set<string>): string[] {
  const all = ids(docker('images', '-aq', '--no-trunc'));
  if (all.length === 0 || roots.length === 0) return [];
  const children = new Map<string, string[]>();
  const untagged = new Set<string>();
  for (const line of docker('image', 'inspect', '--format', '{{.Id}} {{.Parent}} {{len .RepoTags}}', ...all).split(
    '\n',
  )) {
    const [id, parent, tags] = line.trim().split(' ');
    if (!id) continue;
    if (tags === '0' && !before.has(id)) untagged.add(id);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), id]);
  }
  const found: string[] = [];
  const queue = [...roots];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (!untagged.has(child) || found.includes(child)) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found.reverse();
}

/**
 * What another test run (a second worktree's suite, say, running at the same time) holds on the engine: objects
 * labelled TEST_RUN_LABEL with a value other than this run's (or these lanes'). They are that run's to remove, not this one's
 * leftovers; anything unlabelled still counts.
 */
export function otherRuns(runIds: readonly string[]): EngineInventory {
  const labelled = (list: (filter: string) => string) => {
    const mine = new Set(runIds.flatMap((runId) => ids(list(`label=${TEST_RUN_LABEL}=${runId}`))));
    return ids(list(`label=${TEST_RUN_LABEL}`)).filter((id) => !mine.has(id));
  };
  return {
    images: labelled((f) => docker('images', '-aq', '--no-trunc', '--filter', f)),
    containers: labelled((f) => docker('ps', '-aq', '--no-trunc', '--filter', f)),
    volumes: labelled((f) => docker('volume', 'ls', '-q', '--filter', f)),
  };
}

/** An inventory without the objects of `other`. */
export function without(inventory: EngineInventory, other: EngineInventory): EngineInventory {
  const drop = (list: string[], gone: string[]) => list.filter((id) => !gone.includes(id));
  return {
    images: drop(inventory.images, other.images),
    containers: drop(inventory.containers, other.containers),
    volumes: drop(inventory.volumes, other.volumes),
  };
}

/** What differs between two inventories, as text; empty when they hold the same things. */
export function difference(before: EngineInventory, after: EngineInventory): string {
  const lines: string[] = [];
  for (const kind of ['images', 'containers', 'volumes'] as const) {
    const had = new Set(before[kind]);
    const has = new Set(after[kind]);
    const left = after[kind].filter((x) => !had.has(x));
    const gone = before[kind].filter((x) => !has.has(x));
    if (left.length) lines.push(`${left.length} ${kind} left behind: ${left.join(' ')}`);
    if (gone.length) lines.push(`${gone.length} ${kind} that were not the suite's are gone: ${gone.join(' ')}`);
  }
  return lines.join('\n');
}

function describeLeftovers(diff: string): string {
  const listing = (args: string[]) => {
    try {
      return docker(...args).trim();
    } catch {
      return '';
    }
  };
  return [
    diff,
    listing(['images', '-a', '--format', '{{.ID}} {{.Repository}}:{{.Tag}} {{.CreatedSince}}']),
    listing(['ps', '-a', '--format', '{{.ID}} {{.Names}} {{.Image}} {{.Status}} {{.Labels}}']),
    listing(['volume', 'ls', '--format', '{{.Name}} {{.Labels}}']),
  ]
    .filter(Boolean)
    .join('\n');
}

export default function setup(project: TestProject): () => void {
  shared.berthSuiteRun ??= openRun();
  const run = shared.berthSuiteRun;
  run.users++;
  project.provide('nodeImage', run.nodeImage);
  project.provide('testRun', run.id);
  return () => {
    run.users--;
    if (run.users > 0) return;
    shared.berthSuiteRun = undefined;
    if (run.lane) {
      endRun(run);
      return;
    }
    const diff = closeSuite({ before: run.before, othersBefore: run.othersBefore, runIds: [run.id] });
    if (diff) {
      // Vitest logs an error thrown here but still exits 0: set the exit code so the run fails.
      process.exitCode = 1;
      throw new Error(diff);
    }
  };
}

/** Removes what one run labelled, and the swarm it marked if its worker died before leaving it. */
function endRun(run: { id: string; before: EngineInventory }): void {
  // A swarm test whose worker died before its afterAll: its swarm's task containers would come back.
  if (leaveMarkedSwarm(run.id)) console.warn(`[berth] run ${run.id}: left the swarm a test did not leave`);
  removeRun(run);
}

/**
 * Ends the runs (one, or every lane's) and checks that the engine holds exactly what it held before them;
 * returns the difference as a message ('' when there is none). Objects of other test runs are left out.
 */
export function closeSuite(suite: {
  before: EngineInventory;
  othersBefore: EngineInventory;
  runIds: string[];
}): string {
  for (const id of suite.runIds) endRun({ id, before: suite.before });
  const now = otherRuns(suite.runIds);
  const others: EngineInventory = {
    images: [...suite.othersBefore.images, ...now.images],
    containers: [...suite.othersBefore.containers, ...now.containers],
    volumes: [...suite.othersBefore.volumes, ...now.volumes],
  };
  const diff = difference(without(suite.before, others), without(inventory(), others));
  if (!diff) return '';
  return `The test suite did not leave the engine as it found it (runs ${suite.runIds.join(', ')}, label ${TEST_RUN_LABEL}).\n${describeLeftovers(diff)}`;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nodeImage: string;
    /** This run's value of TEST_RUN_LABEL, on everything the tests create. */
    testRun: string;
  }
}
