/**
 * The last line of defence for a test swarm: a test that inits one marks it in a file named by the test run,
 * holding the swarm node's id, and removes the mark when it leaves. Should the test worker die before its
 * afterAll (a crash, a kill), the suite's global teardown finds the mark and, if the engine is still that same
 * node, leaves the swarm and removes docker_gwbridge. A swarm someone else made has another node id and is
 * never touched. Pure node: the global setup imports it, outside any test worker.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const markPath = (runId: string): string => join(tmpdir(), `berth-test-swarm-${runId}`);

export function markSwarm(runId: string, nodeId: string): void {
  writeFileSync(markPath(runId), nodeId);
}

export function unmarkSwarm(runId: string): void {
  rmSync(markPath(runId), { force: true });
}

/** Runs the docker CLI and returns its stdout, trimmed; throws when it fails. */
type DockerCli = (...args: string[]) => string;

const dockerCli: DockerCli = (...args) =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** Leaves the swarm the run marked, if the engine is still that node; returns whether it did. */
export function leaveMarkedSwarm(runId: string, docker: DockerCli = dockerCli): boolean {
  let nodeId: string;
  try {
    nodeId = readFileSync(markPath(runId), 'utf8').trim();
  } catch {
    return false;
  }
  let left = false;
  try {
    if (nodeId && docker('info', '--format', '{{.Swarm.NodeID}}') === nodeId) {
      docker('swarm', 'leave', '--force');
      left = true;
    }
  } catch {
    // the engine no longer answers, or the swarm is already gone
  }
  if (left) {
    try {
      docker('network', 'rm', 'docker_gwbridge');
    } catch {
      // already gone
    }
  }
  unmarkSwarm(runId);
  return left;
}
