/**
 * Files of a container, in Debian's Chromium against web mode and the real engine: browse a folder, download
 * a file (the browser saves exactly what `docker cp` copies out), and upload one with progress (the docker
 * CLI finds exactly its bytes in the container). The screenshot goes to docs/screenshots/ for the README.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inject } from 'vitest';
import { docker, EngineLitter, uniqueName } from '../test/engine-harness';
import { REPO_ROOT, type SignedInBerth, startSignedIn } from './web-mode';

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
/** How long the page may take to show what the engine already has (a folder's archive, a finished upload). */
const UI_DEADLINE = 30_000;
/** The first connect shares two loaded cores with other work: generous, only reached on failure. */
const CONNECT_DEADLINE = 60_000;

const litter = new EngineLitter();
const name = litter.container(uniqueName('e2e-files'));
let session: SignedInBerth | undefined;
let page: Page;

beforeAll(async () => {
  const setup = [
    'mkdir -p /srv/app/config /srv/app/static',
    'printf "PORT=5000\\n" > /srv/app/config/app.env',
    'head -c 200000 /dev/urandom > /srv/app/static/logo.bin',
    'printf "hello from the container\\n" > /srv/app/notes.txt && chmod 640 /srv/app/notes.txt',
    'ln -s notes.txt /srv/app/README',
  ].join(' && ');
  await docker('run', '-d', '--name', name, inject('nodeImage'), 'sh', '-c', `${setup} && sleep 600`);
  await docker('exec', name, 'sh', '-c', 'while [ ! -L /srv/app/README ]; do sleep 0.05; done');
  session = await startSignedIn(CONNECT_DEADLINE);
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await litter.cleanup();
});

describe('files of a container', () => {
  it('browses a folder, downloads a file byte for byte, and uploads one with progress', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Containers' }).click();
    await page.getByRole('button', { name: `Files of ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Files in ${name}` });
    await dialog.getByLabel('Container path').fill('/srv/app/static/../');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => dialog.getByLabel('Container path').inputValue()).toBe('/srv/app');
    const table = dialog.getByRole('table', { name: 'Files in /srv/app' });
    const notes = table.getByRole('row').filter({ has: page.getByText('notes.txt', { exact: true }) });
    await notes.waitFor({ timeout: UI_DEADLINE });
    const names = (await docker('exec', name, 'ls', '-A', '/srv/app')).split('\n').sort();
    // The first cell of each row: a folder's button ("📁 config"), or a name with its link target ("README → notes.txt").
    const shown = (await table.locator('tbody tr td:first-child').allInnerTexts())
      .map((cell) =>
        cell
          .replace(/^📁\s*/, '')
          .replace(/ → .*$/, '')
          .trim(),
      )
      .sort();
    expect(shown).toEqual(names);
    await expect(notes.innerText()).resolves.toContain('rw-r-----');

    const saved = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download notes.txt' }).click();
    const download = await saved;
    expect(download.suggestedFilename()).toBe('notes.txt');
    const bytes = readFileSync((await download.path()) as string);
    const theirs = await docker('exec', name, 'cat', '/srv/app/notes.txt');
    expect(bytes.toString('utf8')).toBe(`${theirs}\n`);

    await dialog.getByRole('button', { name: 'Open static' }).click();
    await dialog.getByRole('table', { name: 'Files in /srv/app/static' }).waitFor({ timeout: UI_DEADLINE });
    const body = Buffer.from('uploaded from the browser\n'.repeat(4000));
    await dialog
      .getByLabel('Files to upload')
      .setInputFiles({ name: 'from browser.txt', mimeType: 'text/plain', buffer: body });
    await dialog.getByRole('button', { name: /^Upload 1 file$/ }).click();
    const progress = dialog.getByRole('progressbar', { name: 'Upload of from browser.txt' });
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: UI_DEADLINE }).toBe('100');
    await dialog
      .getByRole('table', { name: 'Files in /srv/app/static' })
      .getByRole('row')
      .filter({ hasText: 'from browser.txt' })
      .waitFor({ timeout: UI_DEADLINE });
    const landed = await docker('exec', name, 'sh', '-c', 'md5sum "/srv/app/static/from browser.txt" | cut -d" " -f1');
    const { createHash } = await import('node:crypto');
    expect(landed).toBe(createHash('md5').update(body).digest('hex'));

    await dialog.getByRole('button', { name: 'Up one folder' }).click();
    await dialog.getByRole('table', { name: 'Files in /srv/app' }).waitFor({ timeout: UI_DEADLINE });
    await page.screenshot({ path: join(SCREENSHOTS, 'container-files.png') });
  });

  it('says what is wrong with a path, and keeps the dialog usable', async () => {
    const dialog = page.getByRole('dialog', { name: `Files in ${name}` });
    await dialog.getByLabel('Container path').fill('/no/such/folder');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await dialog.getByText(/No such path/).waitFor({ timeout: UI_DEADLINE });
    await dialog.getByLabel('Container path').fill('relative');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await dialog.getByText('"relative" is not an absolute path.').waitFor({ timeout: UI_DEADLINE });
  });
});
