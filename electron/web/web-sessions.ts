/**
 * Browser sessions in web mode, so one-time links (core/one-time-links.ts) belong to the page that asked
 * for them. The launch token proves a request may reach Berth at all; the session cookie, set beside it
 * at sign-in (or on the first request that shows the token cookie without one), tells one browser from
 * another. Tooling that sends the token as `Authorization: Bearer` and no session cookie is one session
 * of its own. A session ends when the server closes, or when more than MAX_SESSIONS were started (the
 * oldest goes); its links end with it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Response } from 'express';
import { cookieValue } from './launch-token';

/** Browsers signed in to one launch, remembered at once. */
export const MAX_SESSIONS = 32;
/** The one session of requests that show the token as a bearer header without a session cookie. */
export const TOOLING_SESSION = 'tooling';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The session a request that passed the request guard belongs to (set there). */
export const sessionOf = (res: Response): string | undefined => res.locals.session as string | undefined;

export const sessionCookieName = (port: number): string => `berth_session_${port}`;

export class WebSessions {
  private readonly ids = new Set<string>();

  constructor(private readonly onEnd: (session: string) => void) {}

  /** A new session, and the Set-Cookie value that carries it. */
  start(port: number): { session: string; cookie: string } {
    const session = randomBytes(32).toString('base64url');
    this.ids.add(session);
    while (this.ids.size > MAX_SESSIONS) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
      this.onEnd(oldest);
    }
    return { session, cookie: `${sessionCookieName(port)}=${session}; HttpOnly; SameSite=Strict; Path=/` };
  }

  /** The session a request's cookie names, when this server started it and it has not ended. */
  find(headers: IncomingHttpHeaders, port: number): string | undefined {
    const value = cookieValue(headers.cookie, sessionCookieName(port));
    return value !== undefined && SESSION_ID.test(value) && this.ids.has(value) ? value : undefined;
  }

  endAll(): void {
    for (const session of this.ids) this.onEnd(session);
    this.ids.clear();
    this.onEnd(TOOLING_SESSION);
  }
}
