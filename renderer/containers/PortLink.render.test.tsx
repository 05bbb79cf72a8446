import { screen, waitFor } from '@testing-library/react';
import type { EngineStatus, PortBinding } from '../../electron/contract';
import { FakeApi } from '../test/fake-api';
import { connectedStatus } from '../test/fixtures';
import { renderWithApi } from '../test/render';
import { PortLink } from './PortLink';

const remote: EngineStatus = { ...connectedStatus, endpoint: 'ssh://me@build.lan:2222', portHost: 'build.lan' };
const binding = (hostIp: string, hostPort: number): PortBinding => ({
  hostIp,
  hostPort,
  containerPort: 5000,
  protocol: 'tcp',
});

describe('a port link on a remote engine', () => {
  it("links to the engine's host when the port answers from here", async () => {
    const api = new FakeApi().on('engine.portReachable', ({ port }) => ({ host: 'build.lan', port, reachable: true }));
    renderWithApi(<PortLink port={binding('0.0.0.0', 6101)} />, api, remote);
    const link = await screen.findByRole('link', { name: 'Open build.lan:6101 → 5000 in the browser' });
    expect(link.getAttribute('href')).toBe('http://build.lan:6101/');
    // The link shows (reach unknown) as soon as the engine's host is known; the probe is asked in an effect
    // that React may run after that commit, so wait for it rather than assume it came first.
    await waitFor(() =>
      expect(api.calls.filter((c) => c.name === 'engine.portReachable')).toEqual([
        { name: 'engine.portReachable', input: { port: 6101 } },
      ]),
    );
  });

  it('says it is not reachable from here, with the reason and the way round, when the port does not answer', async () => {
    const reason = 'Nothing answers at build.lan:6102 from this machine. Forward it: ssh -L 6102:127.0.0.1:6102';
    const api = new FakeApi().on('engine.portReachable', ({ port }) => ({
      host: 'build.lan',
      port,
      reachable: false,
      reason,
    }));
    renderWithApi(<PortLink port={binding('0.0.0.0', 6102)} />, api, remote);
    const note = await screen.findByText('build.lan:6102 → 5000 (not reachable from here)');
    expect(note.getAttribute('title')).toBe(reason);
    expect(screen.queryByRole('link')).toBeNull();
  });

  it('never probes the ports of a local engine', async () => {
    const api = new FakeApi();
    renderWithApi(<PortLink port={binding('0.0.0.0', 6103)} />, api, { ...connectedStatus, portHost: '127.0.0.1' });
    await screen.findByRole('link', { name: 'Open 127.0.0.1:6103 → 5000 in the browser' });
    expect(api.calls.some((c) => c.name === 'engine.portReachable')).toBe(false);
  });
});
