import { type MouseEvent, useEffect, useState } from 'react';
import type { PortBinding, PortReach } from '../../electron/contract';
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

/** How long a remote port's answer is trusted before it is tried again. */
const REACH_FRESH_MS = 30_000;
const reachCache = new Map<string, { at: number; reach: PortReach }>();

/**
 * Whether a remote engine's port answers from here: asked once per engine and port (then every 30 s at
 * most); undefined while unknown, and always for a local engine (its ports are on this machine).
 */
function useRemoteReach(endpoint: string | undefined, engineHost: string, hostPort: number, probe: boolean) {
  const api = useApi();
  const key = `${endpoint}|${hostPort}`;
  const fresh = () => {
    const hit = reachCache.get(key);
    return hit && Date.now() - hit.at < REACH_FRESH_MS ? hit.reach : undefined;
  };
  const [reach, setReach] = useState<PortReach | undefined>(fresh);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `fresh` reads the cache for this key only
  useEffect(() => {
    if (!probe || engineHost === '127.0.0.1') return;
    const known = fresh();
    setReach(known);
    if (known) return;
    let live = true;
    api.call('engine.portReachable', { port: hostPort }).then(
      (answer) => {
        reachCache.set(key, { at: Date.now(), reach: answer });
        if (live) setReach(answer);
      },
      () => undefined, // unknown: the link stays as it is
    );
    return () => {
      live = false;
    };
  }, [api, key, probe, engineHost, hostPort]);
  return probe && engineHost !== '127.0.0.1' ? reach : undefined;
}

/**
 * `127.0.0.1:5550 → 5000`, opening in the system browser through the app; where the app cannot
 * (web mode answers UNSUPPORTED) it opens a new tab without giving it a handle on Berth. On a remote
 * engine the link points at the engine's host; a port published on that host's loopback cannot be
 * reached from here, and one that Berth tried and found not answering from here (a firewall, a private
 * network) cannot either: the link says so instead, with the way round.
 */
export function PortLink({ port }: { port: PortBinding }) {
  const api = useApi();
  const status = useEngine().status;
  const engineHost = status?.portHost ?? '127.0.0.1';
  const url = portUrl(port, window.location.hostname, engineHost);
  const label = portLabel(port, engineHost);
  const tcp = port.protocol === 'tcp';
  // Only a port on every interface is at the engine's host; one on a named address is linked as published.
  const everywhere = port.hostIp === '0.0.0.0' || port.hostIp === '' || port.hostIp === '::';
  const reach = useRemoteReach(status?.endpoint, engineHost, port.hostPort, tcp && everywhere);
  if (!tcp) return <span className="mono">{`${label}/${port.protocol}`}</span>;
  if (reach && !reach.reachable) {
    return (
      <span className="mono port-unreachable" title={reach.reason}>
        {`${label} (not reachable from here)`}
      </span>
    );
  }
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
