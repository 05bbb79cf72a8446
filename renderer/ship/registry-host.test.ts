import { defaultTarget, registryOf } from './registry-host';

describe('registryOf / defaultTarget', () => {
  it('finds the registry host of a reference', () => {
    expect(registryOf('127.0.0.1:5000/notas-iv:latest')).toBe('127.0.0.1:5000');
    expect(registryOf('localhost/notas')).toBe('localhost');
    expect(registryOf('ghcr.io/me/notas')).toBe('ghcr.io');
    expect(registryOf('me/notas-iv')).toBe('docker.io');
    expect(registryOf('notas-iv:latest')).toBe('docker.io');
  });

  it('proposes a destination on the chosen registry', () => {
    expect(defaultTarget('notas-iv:latest', '127.0.0.1:5000')).toBe('127.0.0.1:5000/notas-iv:latest');
    expect(defaultTarget('127.0.0.1:5000/notas-iv:1.0', 'ghcr.io')).toBe('ghcr.io/notas-iv:1.0');
    expect(defaultTarget('notas-iv:latest', 'docker.io')).toBe('notas-iv:latest');
  });
});
