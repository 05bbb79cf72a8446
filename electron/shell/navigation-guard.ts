/**
 * What Berth's windows may do beyond their own pages: nothing. Navigation and redirects away from
 * app://berth are stopped, new windows are denied (http(s) links go to the system browser instead),
 * webviews are never attached, and every permission request and check is refused.
 */
import type { Session } from 'electron';
import { vetExternalUrl } from '../api/external-url';
import { isAppUrl } from './app-origin';

export { vetExternalUrl } from '../api/external-url';
export { isAppUrl } from './app-origin';

type PreventableEvent = { preventDefault(): void; url?: string };
export interface WebContentsLike {
  on(event: string, listener: (event: PreventableEvent, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}
export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** Opens only vetted http(s) URLs; everything else is dropped. Resolves whether the URL was opened. */
export function createExternalOpener(openExternal: (vettedUrl: string) => Promise<void>) {
  return async (raw: unknown): Promise<boolean> => {
    const vetted = vetExternalUrl(raw);
    if (!vetted) return false;
    try {
      await openExternal(vetted.href);
      return true;
    } catch {
      return false;
    }
  };
}

export function hardenWebContents(contents: WebContentsLike, openLink: (raw: unknown) => Promise<boolean>): void {
  const stayInApp = (event: PreventableEvent, legacyUrl?: unknown): void => {
    const target = event.url ?? legacyUrl;
    if (!isAppUrl(target)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openLink(url);
    return { action: 'deny' };
  });
}

export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
