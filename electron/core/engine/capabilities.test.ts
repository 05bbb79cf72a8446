import { capabilitiesOf } from './capabilities';

/** The parts of real answers that decide: Podman 4.3.1's /version (recorded here) and dockerd 20.10's. */
const podmanVersion = {
  ApiVersion: '1.41',
  Os: 'linux',
  Components: [{ Name: 'Podman Engine' }, { Name: 'Conmon' }, { Name: 'OCI Runtime (runc)' }],
};
const dockerVersion = { ApiVersion: '1.41', Os: 'linux', Components: [{ Name: 'Engine' }, { Name: 'containerd' }] };

describe('engine capabilities', () => {
  it('Podman answers API 1.41 but has no BuildKit', () => {
    expect(capabilitiesOf(podmanVersion, {})).toEqual({
      apiVersion: '1.41',
      podman: true,
      buildkit: false,
      swarmManager: false,
    });
    expect(capabilitiesOf(dockerVersion, {}).buildkit).toBe(true);
    expect(capabilitiesOf(dockerVersion, {}).podman).toBe(false);
  });

  it('a Swarm manager is an active node with control available; a worker or an inactive node is not', () => {
    const swarm = (LocalNodeState: string, ControlAvailable: boolean) =>
      capabilitiesOf(dockerVersion, { Swarm: { LocalNodeState, ControlAvailable } }).swarmManager;
    expect(swarm('active', true)).toBe(true);
    expect(swarm('active', false)).toBe(false);
    expect(swarm('inactive', false)).toBe(false);
    expect(swarm('pending', true)).toBe(false);
  });
});
