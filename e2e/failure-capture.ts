import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { TestContext } from 'vitest';

/** The repository (the e2e folder's parent). */
const REPO_ROOT = resolve(import.meta.dirname, '..');

/** Where failing end-to-end steps leave their screenshot and page text. */
export const FAILURE_DIR = join(REPO_ROOT, 'test-results', 'e2e');

/**
 * For an afterEach: when the step failed, saves a screenshot and everything the page says in alerts and
 * error notices (plus the engine bar and the visible text) next to it, and adds both to the failure message,
 * so a failure explains itself.
 */
export async function captureFailure(context: TestContext, page: Page | undefined): Promise<void> {
  const result = context.task.result;
  if (result?.state !== 'fail' || !page || page.isClosed()) return;
  const note = await describeScreen(page, context.task.name);
  for (const error of result.errors ?? []) error.message = `${error.message}${note}`;
}

/**
 * Saves a screenshot and what the page says (alerts and error notices, the engine bar, the visible text) under
 * FAILURE_DIR, named after `what`; returns the same as text, to add to a failure message.
 */
export async function describeScreen(page: Page, what: string): Promise<string> {
  mkdirSync(FAILURE_DIR, { recursive: true });
  const base = join(FAILURE_DIR, `${what.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${Date.now()}`);
  const read = async (get: () => Promise<string[]>) => get().catch((e: unknown) => [`(could not read: ${e})`]);
  const alerts = await read(() =>
    page.locator('[role="alert"], .error-notice, [aria-label="Engine unreachable"]').allInnerTexts(),
  );
  const engineBar = await read(() => page.getByLabel('Engine connection').allInnerTexts());
  const visible = await read(async () => [(await page.locator('body').innerText({ timeout: 5000 })).slice(0, 4000)]);
  const shot = `${base}.png`;
  const screenshot = await page.screenshot({ path: shot, fullPage: true, timeout: 10_000 }).then(
    () => shot,
    (e: unknown) => `(no screenshot: ${e})`,
  );
  const report = [
    `url: ${page.url()}`,
    `engine: ${engineBar.join(' | ')}`,
    `alerts on screen (${alerts.length}):`,
    ...alerts.map((a) => `  - ${a.replace(/\s+/g, ' ').trim()}`),
    `screenshot: ${screenshot}`,
    'page text:',
    visible.join('\n'),
  ].join('\n');
  writeFileSync(`${base}.txt`, `${report}\n`);
  return `\n--- on screen when it failed (also in ${base}.txt) ---\n${report}`;
}
