/**
 * Express middleware that every web-mode request passes before anything else: security headers, the
 * Host allowlist, the Origin check, the one-time token handshake, then the token itself.
 */
import type { NextFunction, Request, Response } from 'express';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy';
import { forbiddenHost, forbiddenOrigin, missingToken, replyError } from './http-replies';
import { carriesToken, tokenCookie, tokensMatch } from './launch-token';
import { isAllowedHost, isAllowedOrigin } from './origin-policy';

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  next();
}

export function requestGuard(token: string, port: () => number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ownPort = port();
    if (!isAllowedHost(req.headers.host, ownPort)) {
      replyError(res, 403, forbiddenHost());
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, ownPort)) {
      replyError(res, 403, forbiddenOrigin());
      return;
    }

    const url = new URL(req.originalUrl, 'http://127.0.0.1');
    if (url.searchParams.has('token')) {
      // The handshake: only GET / with exactly this launch's token; it never stays in the address bar.
      if (req.method !== 'GET' || url.pathname !== '/' || !tokensMatch(token, url.searchParams.get('token'))) {
        replyError(res, 401, missingToken());
        return;
      }
      res.setHeader('Set-Cookie', tokenCookie(token, ownPort));
      res.redirect(302, '/');
      return;
    }
    if (!carriesToken(req.headers, token, ownPort)) {
      replyError(res, 401, missingToken());
      return;
    }
    next();
  };
}
