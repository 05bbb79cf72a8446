/**
 * The Content-Security-Policy Berth's pages are served with, in Electron (app://berth) and in web mode
 * alike: only Berth's own scripts, styles and connections; no plugins, no framing, no base rewriting.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');
