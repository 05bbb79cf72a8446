/** Opens a URL in the user's browser when there is one; failure is silent (the URL is printed anyway). */
import { spawn } from 'node:child_process';

function opener(platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const { command, args } = opener(platform);
  try {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser here: the printed URL is enough.
  }
}
