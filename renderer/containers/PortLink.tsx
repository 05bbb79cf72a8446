import type { MouseEvent } from 'react';
import type { PortBinding } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { toErrorShape } from '../ui/errors';

/**
 * The address a browser should open for a binding (0.0.0.0 and :: mean "every interface" → loopback).
 * Cookies ignore ports, so a page served from 127.0.0.1 (web mode) never links to 127.0.0.1: the browser
 * would send Berth's launch-token cookie to whatever the container serves there. It links to localhost,
 * the same machine under another cookie host, instead.
 */
export function portUrl(port: PortBinding, pageHost: string = window.location.hostname): string {
  const host =
    port.hostIp === '0.0.0.0' || port.hostIp === ''
      ? '127.0.0.1'
      : port.hostIp === '::'
        ? '[::1]'
        : port.hostIp.includes(':')
          ? `[${port.hostIp}]`
          : port.hostIp;
  const safeHost = host === '127.0.0.1' && pageHost === '127.0.0.1' ? 'localhost' : host;
  return `http://${safeHost}:${port.hostPort}/`;
}

export const portLabel = (port: PortBinding): string => {
  const host = port.hostIp === '0.0.0.0' || port.hostIp === '' ? '127.0.0.1' : port.hostIp;
  return `${host}:${port.hostPort} → ${port.containerPort}`;
};

/**
 * `127.0.0.1:5550 → 5000`, opening in the system browser through the app; where the app cannot
 * (web mode answers UNSUPPORTED) it opens a new tab without giving it a handle on Berth.
 */
export function PortLink({ port }: { port: PortBinding }) {
  const api = useApi();
  const url = portUrl(port);
  if (port.protocol !== 'tcp') return <span className="mono">{`${portLabel(port)}/${port.protocol}`}</span>;
  const open = (event: MouseEvent) => {
    event.preventDefault();
    api.call('app.openExternal', { url }).catch((error: unknown) => {
      if (toErrorShape(error).code === 'UNSUPPORTED') window.open(url, '_blank', 'noopener,noreferrer');
    });
  };
  return (
    <a
      className="port-link mono"
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      onClick={open}
      aria-label={`Open ${portLabel(port)} in the browser`}
    >
      {portLabel(port)}
    </a>
  );
}
