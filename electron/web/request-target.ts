/**
 * The request target (`GET <target> HTTP/1.1`) as web mode accepts it: origin-form only, a path that
 * starts with one `/`, parsed without throwing. Absolute-form (`http://[`), authority-form, `*` and
 * protocol-relative targets (`//[/`) are refused with 400 before any other code looks at them.
 */
import type { ErrorShape } from '../contract';

export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || !raw.startsWith('/') || raw.startsWith('//')) return null;
  // A backslash is read as a slash by WHATWG URL parsing: `/\evil` would become protocol-relative.
  if (raw.includes('\\')) return null;
  try {
    const url = new URL(raw, 'http://127.0.0.1');
    return url.host === '127.0.0.1' ? { pathname: url.pathname, searchParams: url.searchParams } : null;
  } catch {
    return null;
  }
}

export const badTarget = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'The request target is not a path Berth understands.',
  fix: 'Send a path that starts with a single "/", such as /api/call/engine.status.',
});
