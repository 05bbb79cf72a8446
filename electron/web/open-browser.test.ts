import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forwardingPage, openBrowser } from './open-browser';

/** The stand-in opener writes its argv from a detached child; generous, only reached on failure. */
const OPENER_DEADLINE_MS = 15_000;

describe('openBrowser', () => {
  let dir: string;
  let savedPath: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-open-test-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, 'argv')}'\n`);
    chmodSync(join(dir, 'bin', 'xdg-open'), 0o755);
    savedPath = process.env.PATH;
    process.env.PATH = `${join(dir, 'bin')}:${savedPath}`;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the opener a private file, never the link, and removes it after keepMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const link = 'http://127.0.0.1:4000/?code=abc';
      const page = openBrowser(link, { platform: 'linux', parentDir: dir, keepMs: 60_000 })!;
      expect(statSync(dirname(page)).mode & 0o777).toBe(0o700);
      expect(statSync(page).mode & 0o777).toBe(0o600);
      expect(readFileSync(page, 'utf8')).toContain('url=http://127.0.0.1:4000/?code=abc"');
      await vi.waitFor(() => expect(existsSync(join(dir, 'argv'))).toBe(true), { timeout: OPENER_DEADLINE_MS });
      const argv = readFileSync(join(dir, 'argv'), 'utf8').trim();
      expect(fileURLToPath(argv)).toBe(page);
      expect(argv).not.toContain('code=');
      vi.advanceTimersByTime(60_000);
      expect(existsSync(dirname(page))).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('escapes the link in the forwarding page', () => {
    expect(forwardingPage('http://x/?a="><script>')).not.toContain('<script>');
  });
});
