import type { MouseEvent } from 'react';
import type { PortBinding } from '../../electron/contract';
import { useApi } from '../app/api-context';
import { useEngine } from '../engine/engine-context';
import { toErrorShape } from '../ui/errors';

/**
 * The address a browser should open for a binding (0.0.0.0 and :: mean "every interface" → loopback).
 * Cookies ignore ports, so a page served from 127.0.0.1 (web mode) never links to 127.0.0.1: the browser
 * would send Berth's launch-token cookie to whatever the container serves there. It links to localhost,
 * the same machine under another cookie host, instead.
 */
export function portUrl(
  port: PortBinding,
  pageHost: string = window.location.hostname,
  engineHost = '127.0.0.1',
): string {
  const local = engineHost === '127.0.0.1';
  const bracket = (h: string) => (h.includes(':') ? `[${h}]` : h);
  const host =
    port.hostIp === '0.0.0.0' || port.hostIp === ''
      ? bracket(engineHost)
      : port.hostIp === '::'
        ? local
          ? '[::1]'
          : bracket(engineHost)
        : bracket(port.hostIp);
  const safeHost = host === '127.0.0.1' && pageHost === '127.0.0.1' ? 'localhost' : host;
  return `http://${safeHost}:${port.hostPort}/`;
}

export const portLabel = (port: PortBinding, engineHost = '127.0.0.1'): string => {
  const host = port.hostIp === '0.0.0.0' || port.hostIp === '' || port.hostIp === '::' ? engineHost : port.hostIp;
  return `${host}:${port.hostPort} → ${port.containerPort}`;
};

/** A port published on the loopback of a REMOTE engine's host answers only there, not on this machine. */
export const onRemoteLoopback = (port: PortBinding, engineHost: string): boolean =>
  engineHost !== '127.0.0.1' && (/^127\./.test(port.hostIp) || port.hostIp === '::1');

/**
 * `127.0.0.1:5550 → 5000`, opening in the system browser through the app; where the app cannot
 * (web mode answers UNSUPPORTED) it opens a new tab without giving it a handle on Berth. On a remote
 * engine the link points at the engine's host; a port published on that host's loopback cannot be
 * reached from here, and the link says so instead.
 */
export function PortLink({ port }: { port: PortBinding }) {
  const api = useApi();
  const engineHost = useEngine().status?.portHost ?? '127.0.0.1';
  const url = portUrl(port, window.location.hostname, engineHost);
  const label = portLabel(port, engineHost);
  if (port.protocol !== 'tcp') return <span className="mono">{`${label}/${port.protocol}`}</span>;
  if (onRemoteLoopback(port, engineHost)) {
    return (
      <span
        className="mono port-unreachable"
        title={`Published on the loopback of ${engineHost}, so only that machine can open it. Publish on 0.0.0.0, or forward it: ssh -L ${port.hostPort}:127.0.0.1:${port.hostPort} ${engineHost}`}
      >
        {`${engineHost}:${port.hostPort} → ${port.containerPort} (not reachable from here)`}
      </span>
    );
  }
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
      aria-label={`Open ${label} in the browser`}
    >
      {label}
    </a>
  );
}
