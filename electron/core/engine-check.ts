/**
 * Whether the engine still takes new connections, for telling "the engine went away" from other ends of a
 * stream. A ping over a kept-alive connection is not enough: a dockerd that is shutting down closes its
 * listener first and then keeps serving the connections it already has (stopping containers, which ends
 * their log streams) before it exits, so only a fresh connection shows that it is going.
 */

import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type Dockerode from 'dockerode';
import { SshEngineAgent } from './engine/ssh-agent';

/** How long the engine gets to answer a ping after a stream broke off. */
export const ENGINE_CHECK_MS = 2000;

interface ModemAddress {
  /** docker-modem keeps a function here (finding the default socket) when it was given no address. */
  socketPath?: string | (() => Promise<string> | string);
  host?: string;
  port?: number | string;
  protocol?: string;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
  agent?: { options?: { rejectUnauthorized?: boolean } } | SshEngineAgent;
}

function freshPing(modem: ModemAddress, ms: number): Promise<boolean> | undefined {
  if (typeof modem.socketPath === 'function') {
    const find = modem.socketPath;
    return Promise.resolve()
      .then(find)
      .then(
        (socketPath) => freshPing({ ...modem, socketPath }, ms) ?? false,
        () => false,
      );
  }
  const common = { path: '/_ping', method: 'GET', agent: false as const, timeout: ms };
  let req: ReturnType<typeof httpRequest>;
  const ssh = modem.agent instanceof SshEngineAgent ? modem.agent : undefined;
  // ssh: a new dial-stdio channel on the engine's shared SSH connection is a new connection to dockerd.
  // (No agent at all: with `agent: false` node would make a plain Agent and ignore createConnection.)
  if (ssh)
    req = httpRequest({
      ...common,
      agent: undefined,
      host: modem.host,
      createConnection: ssh.createConnection.bind(ssh),
    });
  else if (modem.socketPath) req = httpRequest({ ...common, socketPath: modem.socketPath });
  else if (modem.protocol === 'http') req = httpRequest({ ...common, host: modem.host, port: modem.port });
  else if (modem.protocol === 'https') {
    req = httpsRequest({
      ...common,
      host: modem.host,
      port: modem.port,
      ca: modem.ca as string | undefined,
      cert: modem.cert as string | undefined,
      key: modem.key as string | undefined,
      rejectUnauthorized:
        (modem.agent as { options?: { rejectUnauthorized?: boolean } })?.options?.rejectUnauthorized ?? true,
    });
  } else return undefined;
  return new Promise((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** True when the engine answers a ping on a new connection within `ms`; never rejects. */
export function engineAnswers(docker: Dockerode, ms = ENGINE_CHECK_MS): Promise<boolean> {
  const fresh = freshPing(docker.modem as unknown as ModemAddress, ms);
  if (fresh) return fresh;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const ping = docker.ping().then(
    () => true,
    () => false,
  );
  return Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
}
