/**
 * 1. The initial JS/CSS the page loads (entry script, modulepreloads, stylesheets), gzipped, against a minimal
 *    React + ReactDOM bundle built here with esbuild (the floor any React dashboard pays). Sizes are exact, so
 *    one measurement is the figure (no spread).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { fmt } from '../lib/stats';
import { KB, RENDERER, ROOT, type Row } from './setup';

export interface Sizes {
  files: string[];
  raw: number;
  gzip9: number;
  gzipDefault: number;
}

export function sizesOf(files: string[]): Sizes {
  let raw = 0;
  let gzip9 = 0;
  let gzipDefault = 0;
  for (const file of files) {
    const bytes = readFileSync(join(RENDERER, file));
    raw += bytes.length;
    gzip9 += gzipSync(bytes, { level: 9 }).length;
    gzipDefault += gzipSync(bytes, { level: constants.Z_DEFAULT_COMPRESSION }).length;
  }
  return { files, raw, gzip9, gzipDefault };
}

/** What index.html makes the browser fetch before anything else: entry module, modulepreloads, stylesheets. */
function initialFiles(): string[] {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const src = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (!src || /^[a-z]+:/i.test(src)) continue;
    const isEntry = tag.startsWith('<script') && /type="module"/.test(tag);
    const isPreload = /rel="(modulepreload|stylesheet)"/.test(tag);
    if (isEntry || isPreload) files.add(src.replace(/^\.?\//, ''));
  }
  if (files.size === 0) throw new Error('no entry script found in dist/renderer/index.html');
  return [...files];
}

/** The floor: React + ReactDOM rendering one element, minified for production, gzipped at level 9. */
async function reactFloor(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-react-'));
  try {
    const entry = join(dir, 'entry.js');
    writeFileSync(
      entry,
      "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\n" +
        "createRoot(document.getElementById('root')).render(createElement('p', null, 'hi'));\n",
    );
    const result = await esbuild({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      nodePaths: [join(ROOT, 'node_modules')],
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureBundle(): Promise<Row[]> {
  const initial = sizesOf(initialFiles());
  const floor = await reactFloor();
  console.log(`[bench] initial bundle ${initial.files.join(', ')}: ${fmt(initial.gzip9 / KB, 1)} KB gzip -9`);
  return [
    {
      measure: `Initial JS + CSS, gzip -9 (${initial.files.length} files: entry, modulepreloads, CSS; exact, one measurement)`,
      result: `${fmt(initial.gzip9 / KB, 1)} KB`,
      goal: '< 300 KB',
      met: initial.gzip9 < 300 * KB,
      ratio: `${fmt(initial.gzip9 / floor, 2)} × a bare React + ReactDOM bundle (${fmt(floor / KB, 1)} KB)`,
    },
    { measure: 'same, gzip default level', result: `${fmt(initial.gzipDefault / KB, 1)} KB` },
    { measure: 'same, raw', result: `${fmt(initial.raw / KB, 1)} KB` },
  ];
}
