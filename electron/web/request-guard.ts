/**
 * Express middleware that every web-mode request passes before anything else: security headers, the
 * Host allowlist, the Origin check, the request target, the one-time code handshake, then the token.
 * A request that is refused is answered and its connection closed; one that carries the token marks
 * its socket authenticated (connection-guard.ts).
 */
import type { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy';
import type { ErrorShape } from '../contract';
import type { ConnectionGuard } from './connection-guard';
import {
  codeExpired,
  codeUnknown,
  codeUsed,
  forbiddenHost,
  forbiddenOrigin,
  missingToken,
  replyError,
  replyErrorPage,
  tokenInUrl,
} from './http-replies';
import type { LaunchCodes, Redemption } from './launch-codes';
import { carriesToken, carriesTokenCookie, tokenCookie } from './launch-token';
import { isAllowedHost, isAllowedOrigin } from './origin-policy';
import { badTarget, parseRequestTarget } from './request-target';
import { TOOLING_SESSION, type WebSessions } from './web-sessions';

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

export interface GuardOptions {
  token: string;
  codes: LaunchCodes;
  connections: ConnectionGuard;
  port: () => number;
  /** The per-launch name sign-in links use (see origin-policy.ts). */
  launchHost: string;
  /** Browser sessions: a request let through carries its own in `res.locals.session` (web-sessions.ts). */
  sessions: WebSessions;
}

const REFUSED_CODE: Record<Exclude<Redemption, 'accepted'>, () => ErrorShape> = {
  used: codeUsed,
  expired: codeExpired,
  unknown: codeUnknown,
};

interface Refusal {
  status: number;
  error: ErrorShape;
  /** Answer with an HTML page (a person opened a link) rather than JSON. */
  page?: boolean;
}

export function requestGuard({ token, codes, connections, port, launchHost, sessions }: GuardOptions) {
  /** Null when the request may go on (its socket then counts as authenticated), else why not. */
  const check = (req: Request, res: Response): Refusal | null | 'handled' => {
    const ownPort = port();
    if (!isAllowedHost(req.headers.host, ownPort, launchHost)) return { status: 403, error: forbiddenHost() };
    const origin = req.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, ownPort, launchHost))
      return { status: 403, error: forbiddenOrigin() };
    const target = parseRequestTarget(req.originalUrl);
    if (!target) return { status: 400, error: badTarget() };

    const isLanding = req.method === 'GET' && target.pathname === '/';
    // The long-lived token never travels in an address, not even to be accepted once.
    if (target.searchParams.has('token')) return { status: 401, error: tokenInUrl(), page: isLanding };

    const hasToken = carriesToken(req.headers, token, ownPort);
    if (target.searchParams.has('code')) {
      if (!isLanding) return { status: 401, error: codeUnknown() };
      // Spent even when the browser already holds the cookie, so no live code lingers in history.
      const outcome = codes.redeem(target.searchParams.get('code'));
      if (outcome !== 'accepted' && !hasToken) return { status: 401, error: REFUSED_CODE[outcome](), page: true };
      connections.authenticate(req.socket as Socket);
      if (outcome === 'accepted')
        res.setHeader('Set-Cookie', [tokenCookie(token, ownPort), sessions.start(ownPort).cookie]);
      res.redirect(302, '/');
      return 'handled';
    }
    if (!hasToken) return { status: 401, error: missingToken() };
    connections.authenticate(req.socket as Socket);
    let session = sessions.find(req.headers, ownPort);
    if (session === undefined && carriesTokenCookie(req.headers, token, ownPort)) {
      const started = sessions.start(ownPort);
      res.append('Set-Cookie', started.cookie);
      session = started.session;
    }
    res.locals.session = session ?? TOOLING_SESSION;
    return null;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const refusal = check(req, res);
    if (refusal === null) {
      next();
    } else if (refusal !== 'handled') {
      // Whoever is refused gets an answer and loses the connection (connection-guard.ts).
      res.setHeader('Connection', 'close');
      if (refusal.page) replyErrorPage(res, refusal.status, refusal.error);
      else replyError(res, refusal.status, refusal.error);
    }
  };
}
