/**
 * Web mode: Berth's renderer and API over HTTP + WebSocket, on 127.0.0.1 only, behind a per-launch
 * token, an exact Host allowlist and an Origin check. No CORS headers are ever sent.
 *
 * The token reaches a browser only as an HttpOnly cookie, set when it opens a sign-in link whose
 * one-time code (launch-codes.ts) dies on first use. Sockets without the token are closed quickly and
 * capped (connection-guard.ts). No listener here may throw: a bad request is answered, never fatal.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import express from 'express';
import { WebSocketServer } from 'ws';
import { FAVICON_FILE, FAVICON_REQUEST_PATH } from '../api/favicon';
import type { Links } from '../api/links';
import type { Router } from '../api/router';
import { type ErrorShape, STREAM_PATH } from '../contract';
import { callRoutes, errorReply, logRequestFailure } from './call-route';
import { ConnectionGuard, type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from './connection-guard';
import { fileRoutes } from './file-routes';
import { forbiddenHost, forbiddenOrigin, missingToken, replyOnSocket } from './http-replies';
import { LaunchCodes } from './launch-codes';
import { carriesToken, newLaunchToken } from './launch-token';
import { logDownloadRoutes } from './log-download-route';
import { isAllowedHost, isAllowedOrigin, launchHostName } from './origin-policy';
import { requestGuard, securityHeaders } from './request-guard';
import { badTarget, parseRequestTarget } from './request-target';
import { serveStreams } from './stream-socket';
import { WebSessions } from './web-sessions';

export interface WebServerOptions {
  router: Router;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Milliseconds, as Date.now(): the clock one-time codes expire by (tests inject their own). */
  now?: () => number;
  /** Connection limits and timeouts; absent fields keep the defaults. */
  limits?: Partial<ConnectionLimits>;
  /**
   * The backend's one-time links (log exports, file downloads and uploads); without them those routes
   * are absent. A session's links are revoked when it ends, when its last stream socket closes (the page
   * went away) and when the server closes.
   */
  links?: Links;
}

export interface WebServer {
  /** http://127.0.0.1:PORT, with no secret in it. */
  origin: string;
  port: number;
  /** The long-lived launch token, for in-process tooling (`Authorization: Bearer`); never put in a URL. */
  token: string;
  /** This launch's own host name, berth-<random>.localhost (see origin-policy.ts). */
  launchHost: string;
  /**
   * A fresh sign-in link, http://berth-<random>.localhost:PORT/?code=CODE, valid once within
   * CODE_LIFETIME_MS. Its host keeps the session cookie away from every other server on 127.0.0.1.
   */
  signInUrl(): string;
  /** Sockets currently waiting to show the token, and those that showed it. */
  connectionCounts(): { pending: number; authenticated: number };
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const MAX_MESSAGE_BYTES = 1024 * 1024;
const NOT_FOUND: ErrorShape = { code: 'NOT_FOUND', message: 'Nothing here.', fix: 'Check the address.' };
const INTERNAL: ErrorShape = { code: 'INTERNAL', message: 'Something went wrong inside Berth.' };

/** Node's codes for requests its parser refuses, mapped to the status and words the client gets. */
function clientErrorReply(code: string | undefined): { status: number; error: ErrorShape } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      error: { code: 'INVALID_INPUT', message: 'The request headers are too large.', fix: 'Send smaller headers.' },
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      status: 408,
      error: {
        code: 'INVALID_INPUT',
        message: 'The request took too long to arrive.',
        fix: 'Send the whole request at once.',
      },
    };
  }
  return {
    status: 400,
    error: { code: 'INVALID_INPUT', message: 'The request is not valid HTTP/1.1.', fix: 'Send a well-formed request.' },
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = newLaunchToken();
  const codes = new LaunchCodes({ ...(options.now && { now: options.now }) });
  const launchHost = launchHostName();
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
  const connections = new ConnectionGuard(limits);
  const links = options.links;
  const sessions = new WebSessions((session) => links?.revokeSession(session));
  /** Open stream sockets by session: the page's socket closing means the page is gone. */
  const openSockets = new Map<string, number>();
  let port = 0;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(requestGuard({ token, codes, connections, port: () => port, launchHost, sessions }));
  app.use(callRoutes(options.router));
  if (links) app.use(fileRoutes(links), logDownloadRoutes(links));
  app.get(FAVICON_REQUEST_PATH, (_req, res, next) => {
    res.type('image/svg+xml');
    res.sendFile(FAVICON_FILE, { root: options.staticDir }, (error) => error && next());
  });
  app.use(express.static(options.staticDir, { dotfiles: 'ignore', index: ['index.html'], redirect: false }));
  app.use((_req, res) => {
    res.status(404).json({ ok: false, error: NOT_FOUND });
  });
  app.use(errorReply);

  // Targets Express's URL parsing would throw on (`//[/`, `http://[`) are answered before it runs.
  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (!parseRequestTarget(req.url)) {
        const body = JSON.stringify({ ok: false, error: badTarget() });
        res.writeHead(400, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'Cache-Control': 'no-store',
          Connection: 'close',
        });
        res.end(body);
        return;
      }
      app(req, res);
    } catch (error) {
      logRequestFailure(error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json', Connection: 'close' });
      res.end(JSON.stringify({ ok: false, error: INTERNAL }));
    }
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
      // Node would answer a request without Host with an empty 400; the Host check answers it in Berth's words.
      requireHostHeader: false,
    },
    handleRequest,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxPendingSockets + limits.maxAuthenticatedSockets;
  server.on('connection', (socket: Socket) => connections.admit(socket));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own default: no answer on a reset socket, nor in the middle of a response already begun.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { status, error: shape } = clientErrorReply(error.code);
    replyOnSocket(socket, status, shape);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on('connection', (ws, req: IncomingMessage) => {
    serveStreams(ws, options.router);
    const session = sessions.find(req.headers, port);
    if (session === undefined) return;
    openSockets.set(session, (openSockets.get(session) ?? 0) + 1);
    ws.on('close', () => {
      const left = (openSockets.get(session) ?? 1) - 1;
      if (left > 0) return void openSockets.set(session, left);
      openSockets.delete(session);
      links?.revokeSession(session);
    });
  });
  // A handshake ws itself refuses (no Sec-WebSocket-Key, a bad version...) gets Berth's error shape too.
  sockets.on('wsClientError', (error: Error, socket: Duplex) => {
    replyOnSocket(socket, 400, {
      code: 'INVALID_INPUT',
      message: `The WebSocket handshake is invalid: ${error.message}`,
      fix: 'Open the stream with a standard WebSocket client.',
    });
  });

  /** Why an upgrade is refused, or null when it may become a WebSocket. */
  const upgradeRefusal = (req: IncomingMessage): { status: number; error: ErrorShape } | null => {
    if (!isAllowedHost(req.headers.host, port, launchHost)) return { status: 403, error: forbiddenHost() };
    // Browsers always send Origin on WebSocket upgrades; without an allowed one, refuse.
    if (!isAllowedOrigin(req.headers.origin, port, launchHost)) return { status: 403, error: forbiddenOrigin() };
    const target = parseRequestTarget(req.url);
    if (!target) return { status: 400, error: badTarget() };
    if (!carriesToken(req.headers, token, port)) return { status: 401, error: missingToken() };
    if (target.pathname !== STREAM_PATH) return { status: 404, error: NOT_FOUND };
    return null;
  };
  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const refusal = upgradeRefusal(req);
    if (refusal) {
      replyOnSocket(socket, refusal.status, refusal.error);
      return;
    }
    connections.authenticate(socket as Socket);
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      handleUpgrade(req, socket, head);
    } catch (error) {
      logRequestFailure(error);
      replyOnSocket(socket, 500, INTERNAL);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, a server error (EMFILE on accept, for one) must not end the process.
  server.on('error', logRequestFailure);
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;

  return {
    origin,
    port,
    token,
    launchHost,
    signInUrl: () => `http://${launchHost}:${port}/?code=${codes.issue()}`,
    connectionCounts: () => connections.counts(),
    close: () =>
      new Promise<void>((resolve) => {
        sessions.endAll();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        connections.destroyAll();
        server.close(() => resolve());
      }),
  };
}
