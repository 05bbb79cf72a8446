/**
 * Berth's own pages live at app://berth/. `app:` is not a "special" URL scheme, so URL.origin is
 * "null" for it; compare the parsed parts instead, never string prefixes.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'berth';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export function isAppUrl(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  try {
    const url = new URL(raw);
    return (
      url.protocol === `${APP_SCHEME}:` &&
      url.host === APP_HOST &&
      url.username === '' &&
      url.password === '' &&
      url.port === ''
    );
  } catch {
    return false;
  }
}

/** The default sender check for IPC: the message comes from a frame showing one of Berth's pages. */
export const isAppFrame = (frame: { url: string } | null | undefined): boolean => isAppUrl(frame?.url);
