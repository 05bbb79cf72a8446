import { isLoopbackRegistry, shortImageName } from './podman';

describe("Podman's image names and registries, as dockerd would have them", () => {
  it('drops the localhost/ and docker.io/library/ qualifiers Podman adds, and nothing else', () => {
    expect(shortImageName('localhost/berth-node-base:node-20')).toBe('berth-node-base:node-20');
    expect(shortImageName('docker.io/library/notes:1')).toBe('notes:1');
    expect(shortImageName('127.0.0.1:5000/notes:1')).toBe('127.0.0.1:5000/notes:1');
    expect(shortImageName('localhost/team/notes:1')).toBe('localhost/team/notes:1');
    expect(shortImageName('docker.io/someone/notes:1')).toBe('docker.io/someone/notes:1');
  });

  it('treats only loopback registries as dockerd trusts them over HTTP', () => {
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('registry.example:5000')).toBe(false);
    expect(isLoopbackRegistry('127.0.0.1.example')).toBe(false);
  });
});

describe('loopback login addresses on Podman', () => {
  it('are written localhost:<port>, the only form Podman checks without TLS', async () => {
    const { loginAddressFor } = await import('./podman');
    const podmanEngine = {
      endpoint: 'unix:///p.sock',
      docker: { version: async () => ({ Components: [{ Name: 'Podman Engine' }] }) },
    };
    const dockerEngine = {
      endpoint: 'unix:///d.sock',
      docker: { version: async () => ({ Components: [{ Name: 'Engine' }] }) },
    };
    const asHandle = (e: object) => e as Parameters<typeof loginAddressFor>[0];
    expect(await loginAddressFor(asHandle(podmanEngine), '127.0.0.1:5000')).toBe('localhost:5000');
    expect(await loginAddressFor(asHandle(podmanEngine), 'http://127.0.0.1:5000')).toBe('localhost:5000');
    expect(await loginAddressFor(asHandle(podmanEngine), 'registry.example:5000')).toBe('registry.example:5000');
    expect(await loginAddressFor(asHandle(dockerEngine), '127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
});
