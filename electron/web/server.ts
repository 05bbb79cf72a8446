/**
 * Web mode: Berth's renderer and API over HTTP + WebSocket, on 127.0.0.1 only, behind a per-launch
 * token, an exact Host allowlist and an Origin check. No CORS headers are ever sent.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import express from 'express';
import { WebSocketServer } from 'ws';
import type { Router } from '../api/router';
import { STREAM_PATH } from '../api/wire';
import { callRoutes, errorReply } from './call-route';
import { forbiddenHost, forbiddenOrigin, missingToken } from './http-replies';
import { carriesToken, newLaunchToken } from './launch-token';
import { isAllowedHost, isAllowedOrigin } from './origin-policy';
import { requestGuard, securityHeaders } from './request-guard';
import { serveStreams } from './stream-socket';

export interface WebServerOptions {
  router: Router;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
}

export interface WebServer {
  /** http://127.0.0.1:PORT/?token=TOKEN: the one address to open. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_MESSAGE_BYTES = 1024 * 1024;

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, error: object): void {
  const body = JSON.stringify({ ok: false, error });
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = newLaunchToken();
  let port = 0;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(requestGuard(token, () => port));
  app.use(callRoutes(options.router));
  app.use(express.static(options.staticDir, { dotfiles: 'ignore', index: ['index.html'], redirect: false }));
  app.use((_req, res) => {
    res.status(404).json({ ok: false, error: { code: 'NOT_FOUND', message: 'Nothing here.' } });
  });
  app.use(errorReply);

  const server = createServer(app);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on('connection', (ws) => serveStreams(ws, options.router));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, port)) return refuseUpgrade(socket, 403, forbiddenHost());
    // Browsers always send Origin on WebSocket upgrades; without an allowed one, refuse.
    if (!isAllowedOrigin(req.headers.origin, port)) return refuseUpgrade(socket, 403, forbiddenOrigin());
    if (!carriesToken(req.headers, token, port)) return refuseUpgrade(socket, 401, missingToken());
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== STREAM_PATH) {
      return refuseUpgrade(socket, 404, { code: 'NOT_FOUND', message: 'Nothing here.' });
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
