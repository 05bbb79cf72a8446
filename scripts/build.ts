/**
 * `npm run build`: the renderer (Vite, into dist/renderer), the Electron main process and preload
 * (CommonJS, into dist/electron), and the web-mode server (ESM, into dist/web); then dist/.built,
 * which scripts/setup.mjs compares with source times to decide whether to build again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build as esbuild } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

const common: BuildOptions = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };

/** The Electron bundles; also used by the electronegativity test, which scans what this produces. */
export function electronBundles(outDir = join(root, 'dist', 'electron')): BuildOptions[] {
  return [
    {
      ...common,
      entryPoints: [join(root, 'electron/shell/main.ts')],
      outfile: join(outDir, 'main.cjs'),
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      // node_modules stay outside the bundle; electron-builder packs the production dependencies.
      packages: 'external',
      external: ['electron'],
    },
    {
      ...common,
      entryPoints: [join(root, 'electron/shell/preload.ts')],
      outfile: join(outDir, 'preload.cjs'),
      // A sandboxed preload can require only `electron`: everything else is bundled in.
      platform: 'browser',
      format: 'cjs',
      target: 'chrome130',
      external: ['electron'],
    },
  ];
}

export function webBundle(outDir = join(root, 'dist', 'web')): BuildOptions {
  return {
    ...common,
    entryPoints: [join(root, 'electron/web/main.ts')],
    outfile: join(outDir, 'server.mjs'),
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  };
}

async function buildRenderer(): Promise<void> {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ root: join(root, 'renderer'), configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

export async function buildAll(): Promise<void> {
  const started = Date.now();
  // Everything builds even when one part fails, so each failure is reported in one run.
  const results = await Promise.allSettled([
    buildRenderer(),
    ...[...electronBundles(), webBundle()].map((options) => esbuild(options)),
  ]);
  const failed = results.filter((result) => result.status === 'rejected');
  if (failed.length > 0) throw new Error(`${failed.length} of ${results.length} bundles failed (see above)`);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', '.built'), `${new Date().toISOString()}\n`);
  console.log(`[build] renderer, electron and web bundles in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildAll().catch((error: unknown) => {
    console.error('[build] failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
