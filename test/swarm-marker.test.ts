import { randomBytes } from 'node:crypto';
import { leaveMarkedSwarm, markSwarm, unmarkSwarm } from './swarm-marker';

/** A docker CLI that answers `docker info` with `nodeId` and records every command. */
function fakeDocker(nodeId: string) {
  const calls: string[] = [];
  const docker = (...args: string[]) => {
    calls.push(args.join(' '));
    return args[0] === 'info' ? nodeId : '';
  };
  return { calls, docker };
}

const runId = () => randomBytes(6).toString('hex');

describe('the mark of a test swarm', () => {
  it('makes the teardown leave the swarm and remove docker_gwbridge, once', () => {
    const run = runId();
    markSwarm(run, 'node-a');
    const { calls, docker } = fakeDocker('node-a');
    expect(leaveMarkedSwarm(run, docker)).toBe(true);
    expect(calls).toEqual(['info --format {{.Swarm.NodeID}}', 'swarm leave --force', 'network rm docker_gwbridge']);
    expect(leaveMarkedSwarm(run, docker)).toBe(false);
    expect(calls).toHaveLength(3);
  });

  it("never touches a swarm with another node id (someone else's), and drops the stale mark", () => {
    const run = runId();
    markSwarm(run, 'node-a');
    const { calls, docker } = fakeDocker('node-b');
    expect(leaveMarkedSwarm(run, docker)).toBe(false);
    expect(calls).toEqual(['info --format {{.Swarm.NodeID}}']);
    expect(leaveMarkedSwarm(run, fakeDocker('node-a').docker)).toBe(false);
  });

  it('does nothing when the test left its swarm itself', () => {
    const run = runId();
    markSwarm(run, 'node-a');
    unmarkSwarm(run);
    const { calls, docker } = fakeDocker('node-a');
    expect(leaveMarkedSwarm(run, docker)).toBe(false);
    expect(calls).toEqual([]);
  });
});
