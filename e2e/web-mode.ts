import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { type Backend, type BackendOptions, createBackend } from '../electron/api/backend';
import { Engine, EngineChoice } from '../electron/core/engine';
import { MemorySecretStore } from '../electron/core/registry';
import { startWebServer } from '../electron/web/server';
import { testLabels } from '../test/engine-harness';
import { launchChromium } from './browser';
import { describeScreen } from './failure-capture';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
const RENDERER_DIR = join(REPO_ROOT, 'dist', 'renderer');

/** The files the notes service's image is built from, copied so a test can edit sources freely. */
const PROJECT_FILES = [
  'Dockerfile',
  '.dockerignore',
  'service/package.json',
  'service/package-lock.json',
  'service/tsconfig.json',
  'service/src',
];

export function copyNotesProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-e2e-project-'));
  for (const file of PROJECT_FILES) cpSync(join(REPO_ROOT, file), join(dir, file), { recursive: true });
  return dir;
}

export interface RunningWebMode {
  /** A fresh one-time sign-in link (the launch token itself never appears in a URL). */
  signInUrl(): string;
  port: number;
  backend: Backend;
  close(): Promise<void>;
}

/**
 * Berth in web mode, in this process, exactly as `npm start -- --web` assembles it, except that everything it
 * creates in the engine carries the test run's label (so the suite's teardown finds it).
 */
export async function startWebMode(options: {
  projectDir: string;
  dockerHost?: string;
  /** Where the docker CLI config and credential helpers are found (DOCKER_CONFIG, PATH); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Deploy settings a test needs besides the environment (a stub sign-in authority's CA). */
  deploy?: BackendOptions['deploy'];
  /** a docker config folder of the test's own (its contexts), instead of $DOCKER_CONFIG or ~/.docker */
  dockerConfig?: string;
  /** with dockerConfig: the HOME the engine reads ~/.ssh (keys, known_hosts) from, instead of the user's */
  engineHome?: string;
  /** Berth's data folder, kept after close (to start Berth again on it); a fresh one removed on close otherwise */
  dataDir?: string;
}): Promise<RunningWebMode> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} is missing: run \`npm run build\` (npm test's pre-script does).`);
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'berth-e2e-data-'));
  const engine = new Engine({
    labels: testLabels(),
    // As the app does: the engine chosen in the UI is remembered in the data folder.
    choice: new EngineChoice(dataDir),
    ...(options.dockerHost && { env: { DOCKER_HOST: options.dockerHost } }),
    ...(options.dockerConfig && { configDir: options.dockerConfig, env: { HOME: options.engineHome } }),
  });
  const backend = createBackend({
    dataDir,
    secretStore: new MemorySecretStore(),
    projectDir: options.projectDir,
    engine,
    ...(options.env && { env: options.env }),
    ...(options.deploy && { deploy: options.deploy }),
  });
  const server = await startWebServer({
    router: backend.router,
    links: backend.links,
    port: 0,
    staticDir: RENDERER_DIR,
  });
  return {
    signInUrl: () => server.signInUrl(),
    port: server.port,
    backend,
    async close() {
      await server.close();
      await backend.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How long the engine bar may take to say "connected" after sign-in. */
export const CONNECT_DEADLINE_MS = 20_000;

/** Waits until the page's engine bar says connected (after sign-in or a reload). */
export async function untilConnected(page: Page, deadlineMs = CONNECT_DEADLINE_MS): Promise<void> {
  await page
    .getByLabel('Engine connection')
    .filter({ hasText: /^\s*connected\s*$/i })
    .waitFor({ timeout: deadlineMs });
}

/** A new page of `browser`, signed in to `berth`, once the engine bar says connected. */
export async function signedInPage(
  browser: BrowserContext,
  berth: RunningWebMode,
  deadlineMs = CONNECT_DEADLINE_MS,
): Promise<Page> {
  const page = await browser.newPage();
  // Kept for a sign-in that fails. The blank page of CI runs 13, 16 and 18 was a view chunk aborted with
  // net::ERR_NETWORK_CHANGED (renderer/app/view-loading.ts); whatever comes next should explain itself too.
  const heard: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') heard.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => heard.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => heard.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) heard.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(berth.signInUrl());
  try {
    await untilConnected(page, deadlineMs);
  } catch (error) {
    // A sign-in that never shows "connected" says what the page showed and what the backend itself thinks.
    const backendSays = await berth.backend.router.call('engine.status', {}).then(
      (status) => JSON.stringify(status),
      (e: unknown) => `(engine.status failed: ${e})`,
    );
    const screen = await describeScreen(page, 'sign-in').catch((e: unknown) => `(no capture: ${e})`);
    const events = heard.length ? heard.slice(-30).join('\n') : '(no console error, page error or failed request)';
    throw new Error(
      `${(error as Error).message}\nBerth's backend says: ${backendSays}\nThe page said:\n${events}${screen}`,
    );
  }
  return page;
}

/** Berth in web mode on the real engine, and a Chromium page signed in to it: the start of most e2e tests. */
export interface SignedInBerth {
  berth: RunningWebMode;
  page: Page;
  /** Closes the browser, then Berth. */
  close(): Promise<void>;
}

export async function startSignedIn(deadlineMs = CONNECT_DEADLINE_MS): Promise<SignedInBerth> {
  const berth = await startWebMode({ projectDir: REPO_ROOT });
  const launched = await launchChromium().catch(async (error: unknown) => {
    await berth.close();
    throw error;
  });
  const page = await signedInPage(launched.browser, berth, deadlineMs);
  return {
    berth,
    page,
    async close() {
      await launched.close();
      await berth.close();
    },
  };
}
