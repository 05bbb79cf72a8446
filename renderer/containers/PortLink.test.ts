import type { PortBinding } from '../../electron/contract';
import { onRemoteLoopback, portLabel, portUrl } from './PortLink';

const binding = (hostIp: string, hostPort = 5550): PortBinding => ({
  hostIp,
  hostPort,
  containerPort: 5000,
  protocol: 'tcp',
});

describe('the address a port link opens', () => {
  // Cookies ignore ports: a page on 127.0.0.1 would send web mode's launch-token cookie (set for host
  // 127.0.0.1 by Berth on its own port) to whatever server the container runs on 127.0.0.1:<hostPort>.
  it.each(['0.0.0.0', '', '127.0.0.1'])(
    'never shares the host of a web-mode Berth page on 127.0.0.1 (published on "%s")',
    (hostIp) => {
      expect(new URL(portUrl(binding(hostIp), '127.0.0.1')).host).toBe('localhost:5550');
    },
  );

  it.each([
    ['localhost', '0.0.0.0', 'http://127.0.0.1:5550/'],
    ['berth', '0.0.0.0', 'http://127.0.0.1:5550/'], // the Electron window (app://berth)
    ['127.0.0.1', '::', 'http://[::1]:5550/'],
    ['127.0.0.1', '192.168.1.20', 'http://192.168.1.20:5550/'],
  ])('on a page at %s, a port published on "%s" opens %s', (pageHost, hostIp, url) => {
    expect(portUrl(binding(hostIp), pageHost)).toBe(url);
  });
});

describe('port links of a remote engine', () => {
  it('point at the engine host for ports published on every interface', () => {
    expect(portUrl(binding('0.0.0.0'), 'localhost', 'build.lan')).toBe('http://build.lan:5550/');
    expect(portUrl(binding('::'), 'localhost', 'fd00::5')).toBe('http://[fd00::5]:5550/');
    expect(portLabel(binding(''), 'build.lan')).toBe('build.lan:5550 → 5000');
  });

  it('know that a port on the remote host loopback is not reachable from here, and a local one is', () => {
    expect(onRemoteLoopback(binding('127.0.0.1'), 'build.lan')).toBe(true);
    expect(onRemoteLoopback(binding('::1'), 'build.lan')).toBe(true);
    expect(onRemoteLoopback(binding('0.0.0.0'), 'build.lan')).toBe(false);
    expect(onRemoteLoopback(binding('127.0.0.1'), '127.0.0.1')).toBe(false);
  });
});
