/**
 * What every dashboard measurement shares: the built app, the web-mode server, Chromium, labelled containers
 * that print logs on cue, what the page reported while measuring, and the table rows each measurement returns.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type LaunchedBrowser, launchChromium } from '../../e2e/browser';
import { ensureBaseImage } from '../../scripts/base-image';
import {
  type BenchRun,
  benchRun,
  type EngineCounts,
  engineCounts,
  loadAverage,
  onInterrupt,
  removeLabelled,
} from '../lib/engine';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RENDERER = join(ROOT, 'dist', 'renderer');
const SERVER = join(ROOT, 'dist', 'web', 'server.mjs');
export const KB = 1024;
export const MB = 1024 * 1024;
export const run = promisify(execFile);

export const bench = benchRun('dashboard');
export const image = ensureBaseImage();

/** One row of the section's table. */
export interface Row {
  measure: string;
  result: string;
  goal?: string;
  met?: boolean;
  ratio?: string;
}

export const yes = (met: boolean): string => (met ? 'yes' : '**no**');

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));

export async function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  await run(command, args, { timeout: 30_000 });
  return performance.now() - started;
}

function newestIn(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules' && entry !== 'dist') newest = Math.max(newest, newestIn(join(path, entry)));
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than any source (the rule scripts/setup.mjs applies). */
export function ensureBuilt(): void {
  const sources = ['electron', 'renderer', 'package-lock.json', 'vite.config.ts', 'scripts/build.ts'];
  const builtFile = join(ROOT, 'dist', '.built');
  const built = existsSync(builtFile) ? statSync(builtFile).mtimeMs : 0;
  const stale = Math.max(...sources.map((s) => newestIn(join(ROOT, s)))) > built;
  if (!stale && existsSync(SERVER) && existsSync(join(RENDERER, 'index.html'))) return;
  console.log('[bench] dist/ is stale: npm run build');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** What a browser benchmark notes before it starts: the load, the engine's counts and version, the clock. */
export interface BenchStart {
  loadAtStart: ReturnType<typeof loadAverage>;
  countsBefore: EngineCounts;
  startedAt: number;
  /** `<server version> (API <version>)` */
  engineVersion: string;
}

/** Notes the start of a browser benchmark, after making sure the built app is current. */
export async function startOfBench(): Promise<BenchStart> {
  const loadAtStart = loadAverage();
  const countsBefore = await engineCounts();
  ensureBuilt();
  const startedAt = performance.now();
  const { stdout } = await run('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']);
  return { loadAtStart, countsBefore, startedAt, engineVersion: stdout.trim() };
}

/** The Chromium version the benchmark drives, as the binary reports it. */
export function chromiumVersion(): string {
  const out = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  return (
    out
      .trim()
      .replace(/^Chromium\s+/, '')
      .split(' ')[0] ?? ''
  );
}

// ───────────────────────────── what the run holds, for cleanup ─────────────────────────────

const servers: Server[] = [];
const browsers: LaunchedBrowser[] = [];

export async function browser(): Promise<LaunchedBrowser> {
  const launched = await launchChromium();
  browsers.push(launched);
  return launched;
}

export async function closeAll(): Promise<void> {
  for (const launched of browsers.splice(0)) await launched.close().catch(() => undefined);
  for (const server of servers.splice(0)) await server.stop().catch(() => undefined);
}

// ───────────────────────────── web mode server ─────────────────────────────

export interface Server {
  /** The sign-in link printed at start; it opens the dashboard once. */
  url: string;
  /** Asks the running server for another one-time link (SIGUSR2) and reads it from its output. */
  freshUrl(): Promise<string>;
  /** From `started` to the "Berth is running at" line. */
  urlMs: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `node dist/web/server.mjs --no-open --port 0` with a fresh data dir; resolves on its URL line. */
export async function startServer(started = performance.now()): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-data-'));
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server while a bench runs.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('node', [...nodeArgs, SERVER, '--no-open', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, BERTH_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await withTimeout(exited, 5_000, 'server stop').catch(() => child.kill('SIGKILL'));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  let output = '';
  try {
    const url = await withTimeout(
      new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const found = /Berth is running at (\S+)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.stderr!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.once('exit', (code) => reject(new Error(`server exited (${code}) before printing its URL: ${output}`)));
        child.once('error', reject);
      }),
      20_000,
      'web server start',
    );
    const urlMs = performance.now() - started;
    const freshUrl = async (): Promise<string> => {
      const seen = output.length;
      const fresh = new Promise<string>((resolve) => {
        const look = () => {
          const found = /New sign-in link: (\S+)/.exec(output.slice(seen));
          if (!found) return;
          child.stdout!.off('data', look);
          resolve(found[1]!);
        };
        child.stdout!.on('data', look);
      });
      child.kill('SIGUSR2');
      return withTimeout(fresh, 10_000, 'fresh sign-in link');
    };
    const server = { url, freshUrl, urlMs, child, stop };
    servers.push(server);
    return server;
  } catch (error) {
    await stop();
    throw error;
  }
}

// ───────────────────────────── containers that print on cue ─────────────────────────────

/** Waits (printing nothing) until /tmp/go exists, so the view is following before the first line. */
const WAIT_FOR_GO = `const fs=require('fs');const go=(f)=>{const w=setInterval(()=>{if(fs.existsSync('/tmp/go')){clearInterval(w);f()}},20)};`;

/**
 * `rate` lines/s for `seconds`, paced on the clock in 10 ms batches; every 10th line has ANSI colours. A `tag`
 * (letters and digits) starts every line, so lines from several containers can be told apart.
 */
export const ratePrinter = (rate: number, seconds: number, tag = ''): string =>
  WAIT_FOR_GO +
  String.raw`go(()=>{const p='${tag ? `${tag} ` : ''}';const t0=Date.now();const end=${rate * seconds};let n=0;const iv=setInterval(()=>{const due=Math.min(end,Math.floor((Date.now()-t0)*${rate}/1000));let out='';for(;n<due;n++){const t=Date.now();out+=n%10===0?p+'\x1b[32mINFO\x1b[0m line '+n+' t='+t+' \x1b[1;31mcolour\x1b[0m\n':p+'line '+n+' t='+t+' plain text\n'}if(out)process.stdout.write(out);if(n>=end)clearInterval(iv)},10)});`;

/** `count` lines as fast as node can write them (blocks of 1000, waiting for drain); every 10th coloured. */
export const burstPrinter = (count: number): string =>
  WAIT_FOR_GO +
  String.raw`go(()=>{let i=0;const next=()=>{while(i<${count}){const b=[];for(let k=0;k<1000;k++,i++)b.push(i%10===0?'\x1b[33mWARN\x1b[0m line '+i+' the quick brown fox':'line '+i+' the quick brown fox jumps over the lazy dog');if(!process.stdout.write(b.join('\n')+'\n')){process.stdout.once('drain',next);return}}};next()});`;

let containerCount = 0;

/** A container running `script` with node, labelled for `owner` (this benchmark run by default). */
export async function startContainer(kind: string, script: string, owner: BenchRun = bench): Promise<string> {
  containerCount += 1;
  const name = `berth-bench-${owner.id}-${kind}-${containerCount}`;
  await run('docker', ['run', '-d', '--label', owner.label, '--name', name, image, 'node', '-e', script], {
    timeout: 30_000,
  });
  return name;
}

export const go = (name: string) => run('docker', ['exec', name, 'touch', '/tmp/go'], { timeout: 15_000 });

// ───────────────────────────── what the page said ─────────────────────────────

/** Page errors, HTTP errors and console errors, each tagged with the phase it was seen in. */
export const notes: string[] = [];

// ───────────────────────────── the whole run ─────────────────────────────

/**
 * Runs a browser benchmark's `main` within `limitMs`, then (also on failure or Ctrl-C) closes its browsers and
 * servers and removes what `owner` labelled; exits 1 when it failed, so `npm run bench` keeps the old section.
 */
export async function runBrowserBenchmark(owner: BenchRun, main: () => Promise<void>, limitMs: number): Promise<never> {
  const cleanup = async () => {
    await closeAll();
    await removeLabelled(owner);
  };
  onInterrupt(cleanup);
  let failed = false;
  try {
    await withTimeout(main(), limitMs, 'the whole benchmark');
  } catch (error) {
    failed = true;
    console.error('[bench] failed:', error);
  } finally {
    await cleanup();
  }
  process.exit(failed ? 1 : 0);
}
