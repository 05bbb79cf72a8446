/**
 * Opens the sign-in link in the user's browser without putting the link in any process's argv.
 *
 * An opener's argv is public while it runs (/proc/<pid>/cmdline is readable by every local user), so
 * the opener is handed only the path of a small page in a private folder (mode 0700, file 0600); that
 * page forwards the browser to the one-time link. The folder is removed once the code has expired, and
 * when Berth exits. Failure is silent: the link is printed in the terminal anyway.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function opener(platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The forwarding page: a meta refresh (no script), plus a link for browsers that block refreshes. */
export function forwardingPage(url: string): string {
  const href = escapeHtml(url);
  return `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${href}"><title>Opening Berth</title><p><a href="${href}">Open Berth</a></p>\n`;
}

export interface OpenBrowserOptions {
  platform?: NodeJS.Platform;
  /** Where the private folder is made: $XDG_RUNTIME_DIR when set (per-user, mode 0700), else the temp dir. */
  parentDir?: string;
  /** How long the forwarding page is kept: the one-time code is dead after this anyway. */
  keepMs: number;
}

/** mkdtemp makes the folder with mode 0700, whichever parent it is in. */
function privateFolder(parentDir: string | undefined): string {
  const parents = parentDir ? [parentDir] : [process.env.XDG_RUNTIME_DIR, tmpdir()];
  let lastError: unknown;
  for (const parent of parents) {
    if (!parent) continue;
    try {
      return mkdtempSync(join(parent, 'berth-open-'));
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Returns the private page's path (for tests), or undefined when nothing could be opened. */
export function openBrowser(url: string, options: OpenBrowserOptions): string | undefined {
  const { command, args } = opener(options.platform ?? process.platform);
  let folder: string | undefined;
  const removeFolder = (): void => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  };
  try {
    folder = privateFolder(options.parentDir);
    const page = join(folder, 'open.html');
    writeFileSync(page, forwardingPage(url), { mode: 0o600, flag: 'wx' });
    const child = spawn(command, [...args, pathToFileURL(page).href], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    setTimeout(removeFolder, options.keepMs).unref();
    process.once('exit', removeFolder);
    return page;
  } catch {
    // No browser, or no private folder could be made: the printed link is enough.
    removeFolder();
    return undefined;
  }
}
