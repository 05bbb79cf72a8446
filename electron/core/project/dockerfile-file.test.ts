import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_DOCKERFILE_BYTES, readDockerfile } from './dockerfile-file';

let root: string;
let context: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-dockerfile-read-'));
  context = join(root, 'context');
  mkdirSync(join(context, 'docker'), { recursive: true });
  writeFileSync(join(root, 'Dockerfile'), 'FROM outside\n');
  writeFileSync(
    join(context, 'Dockerfile'),
    'ARG BASE=alpine:3\nFROM ${BASE} AS deps\nARG GREETING=hello\nARG TOKEN\nRUN echo "$GREETING" \\\n  > /greet\nFROM ${BASE}\nCOPY --from=deps /greet /greet\n',
  );
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('reading the Dockerfile of a context', () => {
  it('returns the text, its size and its outline: stages, ARGs with defaults, instruction line ranges', async () => {
    const file = await readDockerfile(context, 'Dockerfile');
    expect(file).toMatchObject({ contextDir: context, dockerfile: 'Dockerfile', bundled: false });
    expect(file.bytes).toBe(Buffer.byteLength(file.text));
    expect(file.outline.stages).toEqual([
      { index: 0, name: 'deps', base: '${BASE}', line: 2 },
      { index: 1, name: null, base: '${BASE}', line: 7 },
    ]);
    expect(file.outline.args).toEqual([
      { name: 'BASE', defaultValue: 'alpine:3', line: 1, stage: null },
      { name: 'GREETING', defaultValue: 'hello', line: 3, stage: 0 },
      { name: 'TOKEN', defaultValue: null, line: 4, stage: 0 },
    ]);
    expect(file.outline.instructions.find((i) => i.keyword === 'RUN')).toEqual({
      keyword: 'RUN',
      line: 5,
      endLine: 6,
      stage: 0,
    });
  });

  it('says when the folder is the bundled project', async () => {
    expect((await readDockerfile(`${context}/`, './Dockerfile', context)).bundled).toBe(true);
    writeFileSync(join(context, 'docker', 'Dockerfile'), 'FROM x\n');
    expect((await readDockerfile(context, 'docker/Dockerfile', context)).bundled).toBe(false);
  });

  it('refuses a Dockerfile that is a symlink to /etc/passwd, and leaves nothing read', async () => {
    symlinkSync('/etc/passwd', join(context, 'Dockerfile.evil'));
    await expect(readDockerfile(context, 'Dockerfile.evil')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('/etc/passwd'),
      fix: expect.any(String),
      fields: { dockerfile: ['outside the context folder'] },
    });
  });

  it('refuses a folder symlink inside the context that leads out of it', async () => {
    symlinkSync(root, join(context, 'up'));
    await expect(readDockerfile(context, 'up/Dockerfile')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('follows a context folder that is itself a symlink, comparing resolved paths on both sides', async () => {
    const link = join(root, 'link-to-context');
    symlinkSync(context, link);
    const file = await readDockerfile(link, 'Dockerfile');
    expect(file.contextDir).toBe(context);
  });

  it('refuses ".." and absolute Dockerfile paths with a fix', async () => {
    for (const path of ['../Dockerfile', 'docker/../../Dockerfile', '/etc/passwd', '..']) {
      await expect(readDockerfile(context, path)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        fix: expect.stringContaining('context folder'),
        fields: { dockerfile: ['outside the context folder'] },
      });
    }
  });

  it('refuses a relative context folder', async () => {
    await expect(readDockerfile('context', 'Dockerfile')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      fields: { contextDir: ['not an absolute path'] },
    });
  });

  it(`refuses a file over ${MAX_DOCKERFILE_BYTES} bytes, naming the limit`, async () => {
    writeFileSync(join(context, 'Dockerfile.big'), '');
    truncateSync(join(context, 'Dockerfile.big'), MAX_DOCKERFILE_BYTES + 1);
    await expect(readDockerfile(context, 'Dockerfile.big')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('1 MiB'),
      fields: { dockerfile: ['too large'] },
    });
    truncateSync(join(context, 'Dockerfile.big'), MAX_DOCKERFILE_BYTES);
    expect((await readDockerfile(context, 'Dockerfile.big')).bytes).toBe(MAX_DOCKERFILE_BYTES);
  });

  it('answers NOT_FOUND with a fix for a missing file, a dangling link and a missing folder', async () => {
    symlinkSync(join(context, 'nowhere'), join(context, 'Dockerfile.dangling'));
    for (const [dir, path] of [
      [context, 'Dockerfile.missing'],
      [context, 'Dockerfile.dangling'],
      [join(root, 'missing'), 'Dockerfile'],
    ] as const) {
      await expect(readDockerfile(dir, path)).rejects.toMatchObject({ code: 'NOT_FOUND', fix: expect.any(String) });
    }
  });

  it('refuses a folder given as the Dockerfile', async () => {
    await expect(readDockerfile(context, 'docker')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      fix: expect.any(String),
    });
  });
});
