/**
 * The README's pictures of a full day's views, taken in Debian's Chromium against web mode and the real
 * engine: the Disk view, live stats sparklines in the Containers list, and merged logs with coloured tags.
 * Each picture is taken only after the page shows what it is meant to show.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { docker, EngineLitter, uniqueName } from '../test/engine-harness';
import { REPO_ROOT, type SignedInBerth, startSignedIn } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** `system/df` walks every layer and cache record; on a busy engine it has taken tens of seconds. */
const DISK_DEADLINE = 180_000;
/** How long the page may take to show what the engine already has. */
const UI_DEADLINE = 30_000;
const CONNECT_DEADLINE = 60_000;
/** Stats samples come once a second; a sparkline worth a picture needs a few. */
const SPARKLINE_SAMPLES = 6;

const litter = new EngineLitter();
const tag = litter.image(`${uniqueName('e2e-merged')}:latest`);
const services = ['api', 'web', 'worker'].map((service) => ({
  service,
  name: litter.container(uniqueName(`e2e-${service}`)),
}));
let session: SignedInBerth | undefined;
let page: Page;

const openView = (view: 'Containers' | 'Logs' | 'Disk') =>
  page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view }).click();

beforeAll(async () => {
  await docker('tag', inject('nodeImage'), tag);
  for (const [index, { service, name }] of services.entries()) {
    // Numbered lines at different paces, then a little CPU work, so the sparklines and the merge have shape.
    const script =
      `i=0; while [ $i -lt 60 ]; do echo "${service}: request $i handled"; i=$((i+1)); sleep 0.${index + 2}; done; ` +
      `while :; do j=0; while [ $j -lt ${20000 * (index + 1)} ]; do j=$((j+1)); done; sleep 1; done`;
    await docker('run', '-d', '--cpus', '0.3', '--name', name, tag, 'sh', '-c', script);
  }
  session = await startSignedIn(CONNECT_DEADLINE);
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await litter.cleanup();
});

describe('the README pictures', () => {
  it('merged logs: every container of an image, interleaved, each line tagged', async () => {
    await openView('Logs');
    await page.getByLabel('Show').selectOption('image');
    await page.getByLabel('Image').selectOption(tag);
    const lines = page.getByLabel('Log lines');
    for (const { name } of services)
      await lines.locator('.log-tag', { hasText: name }).first().waitFor({ timeout: UI_DEADLINE });
    for (const { service } of services)
      await lines
        .getByText(new RegExp(`${service}: request \\d+ handled`))
        .first()
        .waitFor({ timeout: UI_DEADLINE });
    await page.screenshot({ path: join(SCREENSHOTS, 'logs-merged.png') });
  });

  it('live stats: CPU and memory sparklines in the Containers list', async () => {
    await openView('Containers');
    const first = services[0]?.name as string;
    const cpu = page.getByRole('img', { name: `CPU of ${first}` });
    await cpu.waitFor({ timeout: UI_DEADLINE });
    // A sparkline point per sample: wait for a few before the picture.
    await expect
      .poll(
        async () =>
          (await cpu.locator('polyline, path').first().getAttribute('points'))?.trim().split(/\s+/).length ?? 0,
        {
          timeout: UI_DEADLINE + SPARKLINE_SAMPLES * 2000,
        },
      )
      .toBeGreaterThanOrEqual(SPARKLINE_SAMPLES);
    await page
      .getByRole('table', { name: 'Containers' })
      .getByRole('row')
      .filter({ hasText: first })
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'containers-stats.png') });
  });

  it('the Disk view: usage and clean-ups', async () => {
    await openView('Disk');
    await page.getByRole('table', { name: 'Disk usage' }).waitFor({ timeout: DISK_DEADLINE });
    await page.screenshot({ path: join(SCREENSHOTS, 'disk.png') });
  });
});
