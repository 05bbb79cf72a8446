/**
 * The window's security settings and policies, checked from code with stand-ins for Electron's
 * objects: webPreferences, navigation, new windows, webviews, permissions and the link guard.
 */
import {
  createExternalOpener,
  denyAllPermissions,
  hardenWebContents,
  isAppUrl,
  vetExternalUrl,
} from './navigation-guard';
import { mainWindowOptions, secureWebPreferences } from './window';

type Listener = (event: { preventDefault(): void; url?: string }, ...args: unknown[]) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
  };
  /** Fires `event` the way Electron 41 does (details object first) and says whether it was prevented. */
  const fire = (event: string, url: string): boolean => {
    let prevented = false;
    listeners.get(event)?.({ url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('webPreferences', () => {
  it('follow the security checklist exactly', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    });
  });

  it('are the ones the main window uses', () => {
    expect(mainWindowOptions('/p.cjs').webPreferences).toEqual(secureWebPreferences('/p.cjs'));
  });
});

describe('isAppUrl', () => {
  it.each(['app://berth/', 'app://berth/index.html', 'APP://berth/assets/x.js'])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });
  it.each([
    'app://berth.evil/',
    'app://evil/berth',
    'app://berth@evil/',
    'app://berth:81/',
    'https://berth/',
    'file:///app/index.html',
    'app:berth',
    '/index.html',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('the external link guard (vetExternalUrl)', () => {
  it.each([
    'http://127.0.0.1:5550/',
    'http://127.0.0.1:5550',
    'https://docs.docker.com/engine/',
    'HTTPS://example.com/a?b=c#d',
  ])('allows %s', (url) => {
    expect(vetExternalUrl(url)?.protocol).toMatch(/^https?:$/);
  });

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'http://user:pass@example.com/',
    'http://user@example.com/',
    'http:evil',
    'http:\\\\evil.example',
    '/relative/path',
    'example.com',
    '//example.com/',
    ' http://example.com/',
    'http://exa\tmple.com/',
    'ftp://example.com/',
    'smb://server/share',
    'vscode://extension',
    '',
  ])('refuses %s', (url) => {
    expect(vetExternalUrl(url)).toBeNull();
  });

  it('refuses values that are not strings', () => {
    expect(vetExternalUrl(undefined)).toBeNull();
    expect(vetExternalUrl({ href: 'http://x/' })).toBeNull();
  });

  it('opens only what it allows', async () => {
    const opened: string[] = [];
    const open = createExternalOpener(async (url) => {
      opened.push(url);
    });
    expect(await open('javascript:alert(1)')).toBe(false);
    expect(await open('http://127.0.0.1:5550/')).toBe(true);
    expect(opened).toEqual(['http://127.0.0.1:5550/']);
  });
});

describe('hardenWebContents', () => {
  const setup = () => {
    const links: unknown[] = [];
    const fake = fakeContents();
    hardenWebContents(fake.contents, async (url) => {
      links.push(url);
      return true;
    });
    return { ...fake, links };
  };

  it('stops navigation and redirects away from app://berth', () => {
    const { fire } = setup();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(event, 'https://evil.example/')).toBe(true);
      expect(fire(event, 'file:///etc/passwd')).toBe(true);
      expect(fire(event, 'app://berth/index.html')).toBe(false);
    }
  });

  it('denies every new window and hands http(s) links to the guard', () => {
    const { open, links } = setup();
    expect(open('https://docs.docker.com/')).toEqual({ action: 'deny' });
    expect(open('app://berth/index.html')).toEqual({ action: 'deny' });
    expect(links).toEqual(['https://docs.docker.com/', 'app://berth/index.html']);
  });

  it('never attaches a webview', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview', 'app://berth/index.html')).toBe(true);
  });
});

describe('denyAllPermissions', () => {
  it('refuses every permission request and check', () => {
    let request: ((...args: never[]) => void) | undefined;
    let check: ((...args: never[]) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (handler) => {
        request = handler as never;
      },
      setPermissionCheckHandler: (handler) => {
        check = handler as never;
      },
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      (request as unknown as (...args: unknown[]) => void)({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect((check as unknown as (...args: unknown[]) => boolean)({}, permission, 'app://berth', {})).toBe(false);
    }
  });
});
