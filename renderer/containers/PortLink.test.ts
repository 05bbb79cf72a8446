import type { PortBinding } from '../../electron/contract';
import { portUrl } from './PortLink';

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
