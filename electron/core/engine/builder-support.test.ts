import { buildkitMissingReason, engineCapabilities, supportsBuildkit } from './builder-support';

describe('whether an engine can run BuildKit builds', () => {
  it.each([
    ['1.41', 'linux', true],
    ['1.39', 'linux', true],
    ['1.38', 'linux', false],
    ['1.45', 'windows', false],
    ['1.45', undefined, false],
    ['2.0', 'linux', true],
    [undefined, 'linux', false],
  ])('API %s on %s → %s', (api, os, expected) => {
    expect(supportsBuildkit(api, os)).toBe(expected);
  });
});

describe('the capabilities read from /version and /info', () => {
  const docker = { ApiVersion: '1.41', Os: 'linux', Components: [{ Name: 'Engine' }] };
  const podman = { ApiVersion: '1.41', Os: 'linux', Components: [{ Name: 'Podman Engine' }] };

  it('a recent dockerd has BuildKit, is not Podman, and is a swarm manager only when its node is active with Swarm.ControlAvailable', () => {
    expect(engineCapabilities(docker, { Swarm: { ControlAvailable: false } })).toEqual({
      buildkit: true,
      podman: false,
      swarmManager: false,
    });
    expect(
      engineCapabilities(docker, { Swarm: { LocalNodeState: 'active', ControlAvailable: true } }).swarmManager,
    ).toBe(true);
    expect(engineCapabilities(docker).swarmManager).toBe(false);
  });

  it('Podman reports API 1.41 but has no BuildKit, and says why', () => {
    expect(engineCapabilities(podman)).toEqual({ buildkit: false, podman: true, swarmManager: false });
    expect(buildkitMissingReason(podman)).toMatch(/Podman has no BuildKit/);
    expect(buildkitMissingReason(docker)).toBeUndefined();
  });

  it('an engine older than API 1.39 has no BuildKit, and the reason names the API it speaks', () => {
    const old = { ApiVersion: '1.38', Os: 'linux', Components: null };
    expect(engineCapabilities(old).buildkit).toBe(false);
    expect(buildkitMissingReason(old)).toBe('BuildKit needs API 1.39 or newer; this engine speaks 1.38.');
  });
});
