// Pre-script of `npm start` and `npm test`: installs what is missing on a fresh clone, then builds
// what is stale. Plain Node with no dependencies, because it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Electron's binary cannot be downloaded on machines without internet; it is fetched on first use instead.
const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };

function run(command, args, cwd) {
  console.log(`[setup] ${command} ${args.join(' ')}${cwd === root ? '' : `  (in ${cwd.replace(root, '')})`}`);
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[setup] "${command} ${args.join(' ')}" failed; fix the error above and run the command again.`);
    process.exit(result.status ?? 1);
  }
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function newestIn(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestIn(join(path, entry)));
  }
  return newest;
}

/** `npm ci` where node_modules is missing or older than the lockfile. */
function installDependencies(dir) {
  const installed = mtime(join(dir, 'node_modules', '.package-lock.json'));
  if (installed === 0 || installed < mtime(join(dir, 'package-lock.json'))) {
    run('npm', ['ci', '--no-audit', '--no-fund'], dir);
  }
}

installDependencies(root);
installDependencies(join(root, 'service'));

// Rebuild the app bundles (renderer, Electron main and preload, web server) when any source is newer.
const sources = ['electron', 'renderer', 'package-lock.json', 'vite.config.ts', 'scripts/build.ts'];
const built = mtime(join(root, 'dist', '.built'));
if (existsSync(join(root, 'scripts', 'build.ts')) && Math.max(...sources.map((s) => newestIn(join(root, s)))) > built) {
  run('npm', ['run', '--silent', 'build'], root);
}
