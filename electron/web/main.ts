/**
 * Web mode entry point (plain Node, no Electron): builds the backend, serves it on 127.0.0.1 and
 * prints a sign-in link. The link carries a one-time code, never the launch token: it opens Berth
 * once, within CODE_LIFETIME_MS. Enter on stdin, or SIGUSR2, prints a fresh one. The browser gets its
 * own code, through a private forwarding page: an opener's argv is public while it runs.
 * Flags: --port N, --no-open.
 */
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBackend } from '../api/backend';
import { MemorySecretStore } from '../core/registry/credentials';
import { CODE_LIFETIME_MS } from './launch-codes';
import { openBrowser } from './open-browser';
import { startWebServer } from './server';

// Both electron/web/main.ts and its bundle dist/web/server.mjs sit two folders below the repository.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new Error(`--port must be a whole number between 0 and 65535, not "${values.port}"`);
  }

  const backend = createBackend({
    dataDir: process.env.BERTH_DATA_DIR ?? join(homedir(), '.berth'),
    // Web mode has no OS keychain: saved logins last until Berth stops.
    secretStore: new MemorySecretStore(),
    projectDir: repoRoot,
  });
  const server = await startWebServer({
    router: backend.router,
    links: backend.links,
    port,
    staticDir: join(repoRoot, 'dist', 'renderer'),
  });
  const renew =
    process.platform === 'win32' ? 'press Enter here' : `press Enter here or send SIGUSR2 to ${process.pid}`;
  console.log(`Berth is running at ${server.signInUrl()}`);
  console.log(`That link opens Berth once, within ${CODE_LIFETIME_MS / 1000} s; for a new one, ${renew}.`);
  const printFreshLink = (): void => console.log(`New sign-in link: ${server.signInUrl()}`);
  createInterface({ input: process.stdin }).on('line', printFreshLink);
  if (process.platform !== 'win32') process.on('SIGUSR2', printFreshLink);
  if (!values['no-open'] && !process.env.CI) openBrowser(server.signInUrl(), { keepMs: CODE_LIFETIME_MS });

  const stop = async (): Promise<void> => {
    await server.close();
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`Berth could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
