/**
 * The advice's predictions against real rebuilds on the engine: apply a fix, rebuild a temporary copy (twice,
 * the second after a source edit), and compare what was measured with what was predicted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { inject } from 'vitest';
import { docker as cli, testLabels } from '../../../../test/engine-harness';
import type { AdviceFinding } from '../../../contract';
import type { EngineHandle } from '../../engine/engine-handle';
import { applyAdvice, checkAdvice } from './advisor';
import { MEASURE_LABEL, measureBuild } from './measure';
import { writeProject as project, removeProjects, shownFix } from './test/project';

/** Two builds per measurement, of a tiny Node app: generous on a loaded 2-core machine. */
const MEASURE_TIMEOUT_MS = 240_000;

afterAll(removeProjects);

const engine = (): EngineHandle => ({
  docker: new Dockerode(),
  endpoint: 'unix:///var/run/docker.sock',
  labels: testLabels(),
});

/** The Dockerfile from the tutorial's mistake: the whole context before the install. No deps, so no network. */
const CARELESS =
  'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nWORKDIR /app\nCOPY . .\nRUN npm install --no-audit --no-fund && npm cache clean --force\nUSER node\nCMD ["node", "index.js"]\n';

async function fixOf(dir: string, rule: AdviceFinding['rule']): Promise<AdviceFinding> {
  const report = await checkAdvice({ contextDir: dir });
  const finding = report.findings.find((f) => f.rule === rule);
  expect(finding?.fix).toBeTruthy();
  return finding!;
}

const measure = (dir: string) =>
  measureBuild(engine(), { contextDir: dir, buildArgs: { NODE_IMAGE: inject('nodeImage') } });

describe('a fix, rebuilt on the engine, has the effect it predicted', () => {
  it('COPY before the install: more steps stay cached after a source edit, as many as predicted', {
    timeout: 2 * MEASURE_TIMEOUT_MS,
  }, async () => {
    const dir = project({
      Dockerfile: CARELESS,
      '.dockerignore': '.git\n',
      'package.json': '{"name":"advice-test","version":"1.0.0","private":true}\n',
      'index.js': `console.log(${Date.now()});\n`,
    });
    const finding = await fixOf(dir, 'copy-before-install');
    const predicted = finding.prediction.cachedAfterEdit!;
    expect(predicted).toMatchObject({ before: 1, after: 3, editedFile: 'index.js' });

    const before = await measure(dir);
    expect(before).toMatchObject({ editedFile: 'index.js', cachedAfterEdit: predicted.before, layerSteps: 3 });
    await applyAdvice({ contextDir: dir, ...shownFix(finding) });
    const after = await measure(dir);
    expect(after).toMatchObject({ editedFile: 'index.js', cachedAfterEdit: predicted.after, layerSteps: predicted.of });
    expect([before.contextBytes, after.contextBytes]).toEqual([
      finding.prediction.contextBytes?.before,
      finding.prediction.contextBytes?.after,
    ]);
    expect(after.cachedAfterEdit).toBeGreaterThan(before.cachedAfterEdit);
    // The user's source file was never edited: the edits went to temporary copies.
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toMatch(/^console\.log\(\d+\);\n$/);
    // Nothing the measurements built is left behind.
    expect(await cli('images', '-q', '--filter', `label=${MEASURE_LABEL}`)).toBe('');
  });

  it('.dockerignore: the context shrinks by exactly the predicted bytes, and the image with it', {
    timeout: 2 * MEASURE_TIMEOUT_MS,
  }, async () => {
    const dir = project({
      Dockerfile: CARELESS.replace('COPY . .\nRUN npm install', 'COPY package.json ./\nRUN npm install').replace(
        'npm cache clean --force\n',
        'npm cache clean --force\nCOPY . .\n',
      ),
      'package.json': '{"name":"advice-test-ignore","version":"1.0.0","private":true}\n',
      'index.js': 'console.log("hi");\n',
      'node_modules/big/index.js': 'x'.repeat(300_000),
      '.git/objects/pack': 'y'.repeat(120_000),
      'logs/app.log': 'z'.repeat(50_000),
    });
    const finding = await fixOf(dir, 'dockerignore');
    const predicted = finding.prediction.contextBytes!;
    expect(finding.prediction.image).toBe('smaller');

    const before = await measure(dir);
    expect(before.contextBytes).toBe(predicted.before);
    await applyAdvice({ contextDir: dir, ...shownFix(finding) });
    const after = await measure(dir);
    expect(after.contextBytes).toBe(predicted.after);
    expect(before.contextBytes - after.contextBytes).toBe(predicted.before - predicted.after);
    expect(after.imageBytes).toBeLessThan(before.imageBytes);
  });
});
