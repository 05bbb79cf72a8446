/**
 * Whether a port published by a remote engine answers from this machine. Port links of a remote engine point
 * at its host; when that host cannot be reached directly (a firewall, a private network, a name only the
 * SSH config knows) the link would lead nowhere, so the UI asks first and says so instead.
 */
import { createConnection } from 'node:net';
import type { PortReach } from '../../contract';

/** Long enough for a host across a network; a closed port answers at once, a filtered one not at all. */
export const PORT_PROBE_TIMEOUT_MS = 3000;

/** Tries one TCP connection to host:port; true when it is accepted within the timeout. */
export function tcpAnswers(host: string, port: number, timeoutMs = PORT_PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** What to tell the user about host:port of an engine reached at `endpoint`, after probing it. */
export async function portReach(host: string, port: number, sshTarget: string | undefined): Promise<PortReach> {
  if (await tcpAnswers(host, port)) return { host, port, reachable: true };
  const forward = sshTarget
    ? `Forward it over the engine's SSH connection: ssh -L ${port}:127.0.0.1:${port} ${sshTarget}, then open http://localhost:${port}/.`
    : 'Open it from a machine on the same network as the engine, or publish it on an address this machine can reach.';
  return {
    host,
    port,
    reachable: false,
    reason: `Nothing answers at ${host}:${port} from this machine (a firewall or a private network between them). ${forward}`,
  };
}
