/**
 * Serves the built renderer at app://berth/ (registered as a standard, secure scheme), with the CSP on
 * every response. Paths are resolved inside the renderer folder only; anything else is refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy';
import { FAVICON_FILE, FAVICON_REQUEST_PATH } from '../api/favicon';
import { APP_HOST, APP_SCHEME } from './app-origin';

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const headers = (contentType: string): Record<string, string> => ({
  'Content-Type': contentType,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
});

const refuse = (status: number): Response => new Response(null, { status, headers: headers('text/plain') });

/** The file under `root` a request names, or null when it would leave `root` or is malformed. */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL;
  let pathname: string;
  try {
    url = new URL(requestUrl);
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || pathname.includes('\0')) return null;
  if (pathname.includes('\\')) return null;
  const named = pathname === '/' ? '/index.html' : pathname === FAVICON_REQUEST_PATH ? `/${FAVICON_FILE}` : pathname;
  const file = resolve(root, `.${named}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

export function createAppProtocolHandler(rendererDir: string) {
  const root = resolve(rendererDir);
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = resolveAppPath(root, request.url);
    if (!file) return refuse(403);
    try {
      if (!(await stat(file)).isFile()) return refuse(404);
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: headers(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'),
      });
    } catch {
      return refuse(404);
    }
  };
}
