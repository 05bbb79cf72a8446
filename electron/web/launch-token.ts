/**
 * The per-launch secret that proves a request comes from whoever read Berth's printed URL. It travels
 * once in that URL, then as an HttpOnly cookie (or an `Authorization: Bearer` header for tooling).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const newLaunchToken = (): string => randomBytes(32).toString('base64url');

/** Cookies are per host, not per port: the port in the name keeps two Berths on one machine apart. */
export const tokenCookieName = (port: number): string => `berth_token_${port}`;

/** Constant-time comparison; different lengths (or a missing value) never match. */
export function tokensMatch(expected: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(candidate, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer ([A-Za-z0-9_-]+)$/);
  return match?.[1];
}

/** True when the request carries this launch's token in its cookie or Authorization header. */
export function carriesToken(headers: IncomingHttpHeaders, token: string, port: number): boolean {
  return carriesTokenCookie(headers, token, port) || tokensMatch(token, bearerToken(headers.authorization));
}

export const carriesTokenCookie = (headers: IncomingHttpHeaders, token: string, port: number): boolean =>
  tokensMatch(token, cookieValue(headers.cookie, tokenCookieName(port)));

export const tokenCookie = (token: string, port: number): string =>
  `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
