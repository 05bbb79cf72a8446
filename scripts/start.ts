/**
 * `npm start`: the Electron app when its binary is installed and there is a display, otherwise web mode
 * (printing a sign-in link with a one-time code; Enter, or SIGUSR2 to this process, prints a new one).
 * `npm start -- --web` forces web mode; --port N and --no-open are passed to it. The Electron binary is found without importing `electron` (that would download it).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prepareOfflineBase } from './offline-base';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** node_modules/electron/dist/<path.txt>, when the package's install step fetched it. */
export function installedElectronBinary(repoRoot = root): string | undefined {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform === 'linux') return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  return true;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, signals: NodeJS.Signals[] = []): void {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', ...signals] as NodeJS.Signals[]) process.on(signal, forward(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const forceWeb = args.includes('--web');
  const webArgs = args.filter((arg) => arg !== '--web');
  const electron = installedElectronBinary();
  await prepareOfflineBase();

  if (!forceWeb && electron && hasDisplay()) {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    console.log('[start] launching the Berth desktop app');
    run(electron, [root], env);
    return;
  }

  const server = join(root, 'dist', 'web', 'server.mjs');
  if (!existsSync(server)) {
    console.error('[start] dist/web/server.mjs is missing; run `npm run build` first.');
    process.exit(1);
  }
  const reason = forceWeb ? '--web' : electron ? 'no display found' : 'the Electron binary is not installed';
  console.log(`[start] web mode (${reason})`);
  // SIGUSR2 asks web mode for a fresh sign-in link; it reads Enter from the shared terminal itself.
  run(process.execPath, [server, ...webArgs], process.env, process.platform === 'win32' ? [] : ['SIGUSR2']);
}

// Run only as a script: tests import the detection helpers above.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
