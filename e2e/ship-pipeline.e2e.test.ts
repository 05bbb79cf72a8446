/**
 * Issue 12's pipeline and watch mode through the UI, in Debian's Chromium against web mode:
 * - "Run as Heroku" on an image that ignores $PORT fails and names the port it listens on (parity-failed.png);
 * - the pipeline builds, runs as Heroku, tags, pushes to a real registry and deploys to Heroku, each stage
 *   with state and time, then the finished deploy's steps, release output and URL (pipeline.png). Berth is
 *   pointed at the Heroku stand-in (Platform API stub, real registry for registry.heroku.com) by the same
 *   BERTH_HEROKU_* variables a user would set;
 * - watch mode: a source edit in the project gives a round in which only the source layers were rebuilt, and
 *   a recreated container that serves the change (watch-mode.png); stopping it stops the watcher.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { runContainer } from '../electron/core/containers';
import {
  buildNotes,
  buildPortIgnoringApp,
  editHeading,
  FIXED_PORT,
  SOURCE_EDIT_MISSES,
} from '../electron/core/pipeline/test/images';
import { startHerokuStandIn } from '../test/deploy-stubs/heroku-stub';
import { EngineLitter, freePort, testLabels, uniqueName, waitFor } from '../test/engine-harness';
import { registryManifestDigest, startTestRegistry, type TestRegistry } from '../test/registry-harness';
import { type LaunchedBrowser, launchChromium } from './browser';
import { captureFailure } from './failure-capture';
import { REPO_ROOT, type RunningWebMode, signedInPage, startWebMode, untilConnected } from './web-mode';

/** Generous deadlines: on an idle machine each of these takes a few seconds at most. */
const CONNECT_DEADLINE_MS = 30_000;
const PARITY_DEADLINE_MS = 90_000;
/**
 * The deadline typed into the parity panel for the app that ignores $PORT: it never answers there, so the run
 * always waits all of it. 10 s is still generous for a one-line node server to listen on its own port (the
 * engine test's runs wait 3 s); the default 30 s only made this test wait.
 */
const IGNORED_PORT_DEADLINE_S = 10;
const PIPELINE_DEADLINE_MS = 240_000;
const ROUND_DEADLINE_MS = 240_000;
const SERVE_DEADLINE_MS = 60_000;
/** Tall enough for the pipeline run and its deploy in one screenshot. */
const SCREENSHOT_HEIGHT = 2000;

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const litter = new EngineLitter();
/** Unique per run: an edit the engine's cache has seen before (an earlier run) would rebuild nothing. */
const heading = `Notes ${uniqueName('watched')}`;
const engine = { docker: new Dockerode(), endpoint: 'unix:///var/run/docker.sock', labels: testLabels() };
let registry: TestRegistry;
let standIn: Awaited<ReturnType<typeof startHerokuStandIn>>;
const herokuApp = 'notas-iv';
let berth: RunningWebMode;
let launched: LaunchedBrowser;
let page: Page;
let project = '';
const tag = litter.image(`${uniqueName('e2e-watch')}:latest`);
const fixed = litter.image(`${uniqueName('e2e-fixed-port')}:latest`);

beforeAll(async () => {
  registry = await startTestRegistry({ username: 'berth', password: uniqueName('pw') });
  standIn = await startHerokuStandIn(herokuApp);
  // As a user would start Berth: the endpoints come from the environment, nothing else is told.
  process.env.BERTH_HEROKU_API_URL = standIn.heroku.server.url;
  process.env.BERTH_HEROKU_REGISTRY = standIn.registry.address;
  project = await buildNotes(engine, tag, inject('nodeImage'));
  await buildPortIgnoringApp(engine, fixed, inject('nodeImage'));
  berth = await startWebMode({ projectDir: project });
  launched = await launchChromium();
  page = await signedInPage(launched.browser, berth, CONNECT_DEADLINE_MS);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Ship' }).click();
});

afterEach((context) => captureFailure(context, page));

afterAll(async () => {
  delete process.env.BERTH_HEROKU_API_URL;
  delete process.env.BERTH_HEROKU_REGISTRY;
  await launched?.close();
  await berth?.close(); // stops any watch session still running
  await litter.cleanup();
  await registry?.stop();
  await standIn?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

it('"Run as Heroku" fails for an app that ignores $PORT and names the port it listens on', async () => {
  const image = page.getByRole('form', { name: 'Tag and push' }).getByLabel('Local image');
  // The view proposes a local image once the list loads: fill after that, so the proposal cannot land mid-fill.
  await waitFor(async () => ((await image.inputValue()) ? true : undefined), CONNECT_DEADLINE_MS, 'the proposed image');
  await image.fill(fixed);
  expect(await image.inputValue()).toBe(fixed);
  const panel = page.getByRole('region', { name: 'Platform-parity runs' });
  await panel.getByLabel('Deadline (s)').fill(String(IGNORED_PORT_DEADLINE_S));
  await panel.getByRole('button', { name: 'Run as Heroku' }).click();
  const result = panel.getByRole('region', { name: 'Run as Heroku' });
  await result.getByRole('alert').waitFor({ timeout: PARITY_DEADLINE_MS });
  const text = await result.innerText();
  expect(text).toMatch(new RegExp(`The app ignores \\$PORT \\(\\d+\\) and listens on ${FIXED_PORT}\\.`));
  expect(text).toContain('failed');
  // The run waited the deadline typed, and says so.
  expect(text).toContain(`within ${IGNORED_PORT_DEADLINE_S.toFixed(1)} s`);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: join(SCREENSHOTS, 'parity-failed.png') });
});

it('runs build, parity run, tag, push and a Heroku deploy as one pipeline, each stage with its state and time', async () => {
  const target = litter.image(`${registry.address}/${uniqueName('e2e-shipped')}:1.0`);
  const login = page.getByRole('form', { name: 'Registry login' });
  await login.getByLabel('Registry').fill(registry.address);
  await login.getByLabel('User name').fill(registry.username);
  await login.getByLabel('Password or token').fill(registry.password);
  // The Heroku key goes in once, in the Deploy panel; the pipeline's deploy stage uses that sign-in.
  const heroku = page.getByRole('region', { name: 'Heroku', exact: true });
  await heroku.getByRole('form', { name: 'Heroku sign-in' }).getByLabel('Heroku API key').fill(standIn.apiKey);
  await heroku.getByRole('button', { name: 'Sign in to Heroku' }).click();
  await heroku.getByText('Signed in as dev@example.com').waitFor({ timeout: CONNECT_DEADLINE_MS });

  const form = page.getByRole('form', { name: 'Ship pipeline' });
  await waitFor(
    async () => ((await form.getByLabel('Context folder').inputValue()) === project ? true : undefined),
    CONNECT_DEADLINE_MS,
    'the proposed project folder',
  );
  await form.getByLabel('Image tag').fill(tag);
  await form.getByLabel('Push to (optional)').fill(target);
  await form.getByRole('checkbox', { name: 'Run as Azure' }).uncheck();
  await form.getByLabel('Deploy to').selectOption('heroku');
  await form.getByLabel('App name').fill(herokuApp);
  await form.getByRole('button', { name: 'Run pipeline' }).click();

  const run = page.getByRole('region', { name: 'Pipeline run' });
  await waitFor(
    async () => {
      const state = await run.locator('.badge').first().innerText();
      if (state === 'failed') throw new Error(`the pipeline failed: ${await run.innerText()}`);
      return state === 'succeeded' ? true : undefined;
    },
    PIPELINE_DEADLINE_MS,
    'the pipeline to succeed',
  );
  for (const name of ['Build', 'Parity run', 'Tag', 'Push', 'Deploy']) {
    const stage = run.getByRole('listitem', { name });
    expect(await stage.innerText()).toMatch(/succeeded[\s\S]*\d+(\.\d+)? (ms|s)/);
  }
  const [path, version] = target.slice(registry.address.length + 1).split(':') as [string, string];
  const digest = await registryManifestDigest(registry, path, version);
  expect(await run.innerText()).toContain(digest);
  const url = `https://${herokuApp}-0123456789ab.herokuapp.com/`;
  expect(await run.getByRole('listitem', { name: 'Deploy' }).innerText()).toContain(url);
  // The deploy job the stage ran, under the run: its steps, Heroku's release output and the app's URL.
  const deploy = page
    .getByRole('region', { name: 'Heroku deploy' })
    .filter({ has: page.getByRole('link', { name: url }) });
  await deploy.waitFor({ timeout: CONNECT_DEADLINE_MS });
  expect(await deploy.getByRole('log', { name: 'Release output' }).innerText()).toContain('Release command finished');
  expect(await deploy.getByRole('list', { name: 'Deploy steps' }).innerText()).not.toMatch(/failed|waiting/);
  expect(await page.locator('body').innerText()).not.toContain(standIn.apiKey);
  expect(standIn.heroku.server.violations).toEqual([]);

  // One picture of the run and its deploy: a viewport tall enough for both, the run at its top.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1360, height: SCREENSHOT_HEIGHT });
  await run.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const [a, b] = [await run.boundingBox(), await deploy.boundingBox()];
  if (!a || !b) throw new Error('the run or its deploy is not on the page');
  await page.screenshot({
    path: join(SCREENSHOTS, 'pipeline.png'),
    clip: { x: a.x, y: a.y, width: a.width, height: b.y + b.height - a.y },
  });
  if (viewport) await page.setViewportSize(viewport);
  const history = page.getByRole('region', { name: 'Pipeline history' });
  await history.getByText('succeeded').first().waitFor({ timeout: CONNECT_DEADLINE_MS });
});

it('watch mode rebuilds after a source edit (only the source layers) and the recreated container serves it', async () => {
  const hostPort = await freePort();
  const name = litter.container(uniqueName('e2e-watched'));
  await runContainer(engine, { image: tag, name, env: { PORT: '5000' }, ports: [{ hostPort, containerPort: 5000 }] });
  const url = `http://127.0.0.1:${hostPort}/`;
  const page$ = async () => (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
  await waitFor(
    async () => ((await page$()).includes('<h1>Notes</h1>') ? true : undefined),
    SERVE_DEADLINE_MS,
    'the first page',
  );

  await page.reload();
  await untilConnected(page, CONNECT_DEADLINE_MS);
  const watch = page.getByRole('region', { name: 'Watch mode' });
  await waitFor(
    async () => ((await watch.getByLabel('Watched folder').inputValue()) === project ? true : undefined),
    CONNECT_DEADLINE_MS,
    'the proposed project folder',
  );
  await watch.getByLabel('Rebuilt tag').fill(tag);
  await watch.getByLabel('Container to recreate').selectOption(name);
  await watch.getByRole('button', { name: 'Start watching' }).click();
  await watch.getByText('Waiting for a change…').waitFor({ timeout: CONNECT_DEADLINE_MS });

  editHeading(project, heading);
  const round = watch.getByRole('listitem', { name: 'Round 1' });
  await round.getByText('succeeded', { exact: true }).waitFor({ timeout: ROUND_DEADLINE_MS });
  const text = await round.innerText();
  expect(text).toContain('service/src/notes-page.ts');
  expect(text).toContain('container recreated');
  // Compared with the pipeline's build of the same project: the cause names the edited file.
  expect(text).toMatch(/Why: .*notes-page\.ts/);
  const rebuilt = /rebuilt: (.*)/.exec(text)?.[1]?.split(' · ');
  expect(rebuilt).toEqual(SOURCE_EDIT_MISSES);
  await waitFor(
    async () => ((await page$()).includes(`<h1>${heading}</h1>`) ? true : undefined),
    SERVE_DEADLINE_MS,
    'the edited page from the recreated container',
  );
  await watch.scrollIntoViewIfNeeded();
  await watch.screenshot({ path: join(SCREENSHOTS, 'watch-mode.png') });

  await watch.getByRole('button', { name: 'Stop watching' }).click();
  await watch.getByText('stopped', { exact: true }).waitFor({ timeout: CONNECT_DEADLINE_MS });
  expect(readFileSync(join(project, 'service/src/notes-page.ts'), 'utf8')).toContain(heading);
});
