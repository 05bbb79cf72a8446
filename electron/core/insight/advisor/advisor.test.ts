import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { listContextFiles, readContext, stillSent } from '../../build/context';
import { copyNotesContext } from '../../build/test/notes-build';
import { applyAdvice, checkAdvice } from './advisor';
import { unifiedDiff } from './diff';
import { measureBuild } from './measure';
import { keepForRemoval, writeProject as project, removeProjects, shownFix } from './test/project';

afterAll(removeProjects);

const DOCKERFILE =
  'FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm install && npm cache clean --force\nCOPY . .\nUSER node\nCMD ["node", "index.js"]\n';

describe('appended .dockerignore patterns, judged without walking the context again', () => {
  it.each([
    ['no .dockerignore', null],
    ['a plain one', 'secret.txt\n'],
    ['one that excludes all and lets a few back in', '*\n!src\n!node_modules/keep\n!Dockerfile\n'],
  ])('agree with listing the context again: %s', async (_, ignore) => {
    const dir = project({
      Dockerfile: 'FROM x\n',
      'src/a.js': 'a',
      'src/node_modules/n.js': 'nn',
      'node_modules/keep/k.js': 'kkk',
      'node_modules/other.js': 'oooo',
      'secret.txt': 's',
      'logs/x.txt': 'll',
      'dist/app.log': 'd',
      ...(ignore !== null && { '.dockerignore': ignore }),
    });
    const patterns = ['**/node_modules', '**/*.log', 'logs', 'dist'];
    const now = await listContextFiles(dir, 'Dockerfile');
    const again = await listContextFiles(dir, 'Dockerfile', `${ignore ?? ''}\n${patterns.join('\n')}\n`);
    expect(stillSent(now, 'Dockerfile', patterns)).toEqual(again);
  });
});

describe('the advice on real files', () => {
  it('gives the bundled Dockerfile no findings, on its own context', async () => {
    const dir = keepForRemoval(copyNotesContext());
    const report = await checkAdvice({ contextDir: dir });
    expect(report.findings).toEqual([]);
    expect(report.context.files).toBeGreaterThan(3);
  });

  it('measures what each .dockerignore entry keeps out, and the written fix sends exactly the predicted bytes', async () => {
    const dir = project({
      Dockerfile: DOCKERFILE,
      'package.json': '{"name":"x","version":"1.0.0"}\n',
      'index.js': 'console.log(1);\n',
      'node_modules/left-pad/index.js': 'x'.repeat(4000),
      'node_modules/left-pad/package.json': '{}',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'npm-debug.log': 'y'.repeat(700),
      'dist/bundle.js': 'z'.repeat(1500),
    });
    const before = await readContext(dir);
    const report = await checkAdvice({ contextDir: dir });
    const finding = report.findings.find((f) => f.rule === 'dockerignore');
    expect(finding?.title).toBe('.dockerignore is missing');
    expect(finding?.details).toEqual([
      { label: 'node_modules', bytes: 4002 },
      { label: '.git', bytes: 21 },
      { label: 'logs', bytes: 700 },
      { label: 'build output', bytes: 1500 },
    ]);
    expect(finding?.prediction.contextBytes?.before).toBe(before.bytes);

    const applied = await applyAdvice({ contextDir: dir, ...shownFix(finding!) });
    const written = readFileSync(join(dir, '.dockerignore'), 'utf8');
    expect(unifiedDiff('.dockerignore', null, written)).toBe(finding!.fix!.diff);
    const after = await readContext(dir);
    expect(after.bytes).toBe(finding!.prediction.contextBytes!.after);
    expect(applied.report.findings.map((f) => f.rule)).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.includes('berth-fix'))).toEqual([]);
  });

  it('writes a Dockerfile fix exactly as its diff showed it', async () => {
    const dir = project({
      Dockerfile: DOCKERFILE.replace('CMD ["node", "index.js"]', 'CMD node index.js'),
      '.dockerignore': '.git\n',
      'index.js': '',
    });
    const original = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const { findings } = await checkAdvice({ contextDir: dir });
    expect(findings.map((f) => f.id)).toEqual(['shell-form:7']);
    const fix = findings[0]!.fix!;
    await applyAdvice({ contextDir: dir, ...shownFix(findings[0]!) });
    expect(unifiedDiff('Dockerfile', original, readFileSync(join(dir, 'Dockerfile'), 'utf8'))).toBe(fix.diff);
  });
});

describe('an unpinned base image', () => {
  it('is pinned to the digest the engine reports for it; only unpinned bases are looked up', async () => {
    const dir = project({
      Dockerfile: 'FROM alpine:3 AS tools\nFROM node\nUSER node\nCMD ["node", "x.js"]\n',
      '.dockerignore': '.git\n',
    });
    const digest = `node@sha256:${'3'.repeat(64)}`;
    const asked: string[] = [];
    const lookup = async (ref: string) => {
      asked.push(ref);
      return ref === 'node' ? digest : null;
    };
    const { findings } = await checkAdvice({ contextDir: dir }, lookup);
    expect(asked).toEqual(['node']);
    expect(findings.map((f) => f.id)).toEqual(['unpinned-base:2']);
    expect(findings[0]?.fix?.diff).toContain(`-FROM node\n+FROM ${digest}\n`);
    await applyAdvice({ contextDir: dir, ...shownFix(findings[0]!) }, lookup);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(`\nFROM ${digest}\n`);
  });
});

/** Every refusal says how to put it right. */
const NO_DIFF = '0'.repeat(64);
const FIX = expect.stringMatching(/\w/);

describe('the apply path refuses, with a code, a message and a fix, and writes nothing', () => {
  it('refuses a Dockerfile path that leaves the context, and a Dockerfile linked from outside', async () => {
    const outside = project({ Dockerfile: 'FROM node\nCMD node x.js\n' });
    const dir = project({ 'index.js': '' });
    symlinkSync(join(outside, 'Dockerfile'), join(dir, 'Dockerfile'));
    for (const dockerfile of ['../../etc/passwd', `../${outside.split('/').pop()}/Dockerfile`, 'Dockerfile']) {
      await expect(
        applyAdvice({ contextDir: dir, dockerfile, findingId: 'shell-form:2', fileSha256: null, diffSha256: NO_DIFF }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/outside the context/),
        fix: FIX,
      });
    }
    expect(readFileSync(join(outside, 'Dockerfile'), 'utf8')).toBe('FROM node\nCMD node x.js\n');
  });

  it('refuses a relative folder, and a measurement of a file the build does not send, before touching the engine', async () => {
    await expect(checkAdvice({ contextDir: 'relative/dir' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fix: FIX,
    });
    const dir = project({ Dockerfile: DOCKERFILE, '.dockerignore': 'secret.txt\n', 'index.js': '', 'secret.txt': 's' });
    // An engine that answers nothing: a refusal must come before any call to it.
    const nowhere = { docker: new Dockerode({ socketPath: join(dir, 'no-engine.sock') }), endpoint: 'unix:///nowhere' };
    for (const editedFile of ['../../etc/passwd', 'secret.txt', '/etc/passwd']) {
      await expect(measureBuild(nowhere, { contextDir: dir, editedFile })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        fields: { editedFile: expect.any(Array) },
        fix: FIX,
      });
    }
  });

  it('refuses a .dockerignore that is a link to a file outside the context', async () => {
    const outside = project({ secrets: 'top secret\n' });
    const dir = project({ Dockerfile: DOCKERFILE, 'index.js': '' });
    symlinkSync(join(outside, 'secrets'), join(dir, '.dockerignore'));
    await expect(checkAdvice({ contextDir: dir })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fix: expect.stringContaining('.dockerignore'),
    });
  });

  it('refuses a fix that would now write other than the diff shown, though the file is the same', async () => {
    const dir = project({
      Dockerfile: DOCKERFILE,
      '.dockerignore': '*.tmp\n',
      'index.js': '',
      'node_modules/a.js': 'a',
    });
    const shown = (await checkAdvice({ contextDir: dir })).findings.find((f) => f.rule === 'dockerignore')!;
    expect(shown.fix?.diff).toContain('+**/node_modules');
    // The context changes: .git now leaks too, so the fix would add a line the diff did not show.
    writeFileSync(join(dir, '.git'), 'gitdir: elsewhere\n');
    await expect(applyAdvice({ contextDir: dir, ...shownFix(shown) })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/other than the diff shown/),
      fix: FIX,
    });
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('*.tmp\n');
  });

  it('refuses a stale diff: the file changed after the diff was shown', async () => {
    const dir = project({
      Dockerfile: 'FROM node:22-alpine\nUSER node\nCMD node x.js\n',
      '.dockerignore': '.git\n',
      'x.js': '',
    });
    const { findings } = await checkAdvice({ contextDir: dir });
    const shown = findings.find((f) => f.rule === 'shell-form')!;
    const edited = 'FROM node:22-alpine\nUSER node\nCMD node x.js --verbose\n';
    writeFileSync(join(dir, 'Dockerfile'), edited);
    await expect(applyAdvice({ contextDir: dir, ...shownFix(shown) })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/changed since the diff/),
      fix: FIX,
    });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(edited);
    // A finding that no longer exists, and a finding with no fix to write, are refused too.
    await expect(
      applyAdvice({ contextDir: dir, findingId: 'runs-as-root:1', fileSha256: null, diffSha256: NO_DIFF }),
    ).rejects.toMatchObject({ code: 'CONFLICT', fix: FIX });
    await expect(
      applyAdvice({ contextDir: dir, findingId: 'x', fileSha256: 'not a sha', diffSha256: NO_DIFF }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { fileSha256: expect.any(Array) },
    });
  });
});
