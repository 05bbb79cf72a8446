import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { DEBUG_DOCKERFILE, withDebugDockerfile } from './debug-image';
import { planDebugShell, shellQuote } from './debug-plan';

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=alpine',
  'FROM ${BASE} AS deps',
  'RUN echo deps',
  'FROM ${BASE} AS app',
  'ARG MODE=prod',
  'ARG LEVEL=${MODE}-3',
  'ARG UNSET',
  'WORKDIR /app',
  'RUN --mount=type=cache,target=/root/.cache \\',
  '    ./build.sh "$MODE" && \\',
  '    echo done',
  'RUN ["/bin/false", "it\'s"]',
  'COPY --from=deps /x /y',
  '',
].join('\n');

describe('planDebugShell', () => {
  it('cuts the Dockerfile before the step, so its stage is the last one', () => {
    const plan = planDebugShell(DOCKERFILE, 10, {});
    expect(plan.dockerfile.split('\n').slice(-2)).toEqual(['WORKDIR /app', '']);
    expect(plan.dockerfile).toContain('FROM ${BASE} AS app');
    expect(plan.instruction).toBe('RUN --mount=type=cache,target=/root/.cache     ./build.sh "$MODE" &&     echo done');
  });

  it('gives the command as the builder ran it, without RUN flags, noting what the shell lacks', () => {
    const plan = planDebugShell(DOCKERFILE, 10, {});
    expect(plan.command).toBe(`/bin/sh -c './build.sh "$MODE" &&     echo done'`);
    expect(plan.notes).toEqual(["The step's --mount=type=cache,target=/root/.cache is not applied in this shell."]);
  });

  it('gives the stage ARGs in scope: build args over defaults, defaults expanded, unset ones left out', () => {
    expect(planDebugShell(DOCKERFILE, 10, {}).args).toEqual([
      ['MODE', 'prod'],
      ['LEVEL', 'prod-3'],
    ]);
    expect(planDebugShell(DOCKERFILE, 10, { MODE: 'dev', UNSET: 'u', BASE: 'x' }).args).toEqual([
      ['MODE', 'dev'],
      ['LEVEL', 'dev-3'],
      ['UNSET', 'u'],
    ]);
  });

  it('quotes an exec-form RUN into one shell line', () => {
    expect(planDebugShell(DOCKERFILE, 13, {}).command).toBe(`/bin/false 'it'\\''s'`);
  });

  it('has no command for a COPY, and refuses a FROM or a line with no instruction', () => {
    const copy = planDebugShell(DOCKERFILE, 14, {});
    expect(copy.command).toBeNull();
    expect(copy.notes[0]).toMatch(/COPY/);
    expect(() => planDebugShell(DOCKERFILE, 5, {})).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => planDebugShell(DOCKERFILE, 11, {})).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('runs a shell-form RUN through the stage SHELL', () => {
    const plan = planDebugShell('FROM a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN false | true\n', 3, {});
    expect(plan.command).toBe(`/bin/bash -o pipefail -c 'false | true'`);
  });

  it('quotes words for a POSIX shell', () => {
    expect(shellQuote('plain/path-1.2')).toBe('plain/path-1.2');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('')).toBe("''");
  });
});

async function entries(stream: Readable): Promise<Map<string, string>> {
  const extract = tar.extract();
  const files = new Map<string, string>();
  extract.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: unknown) => chunks.push(c as Buffer));
    body.on('end', () => {
      files.set(header.name, Buffer.concat(chunks).toString());
      next();
    });
  });
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  stream.pipe(extract);
  await done;
  return files;
}

function tarOf(files: Record<string, string>): Readable {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name }, body);
  pack.finalize();
  return Readable.from(pack);
}

describe('withDebugDockerfile', () => {
  it('adds the cut Dockerfile and a .dockerignore that leaves out itself and it, when there was none', async () => {
    const files = await entries(withDebugDockerfile(tarOf({ Dockerfile: 'FROM a', 'src/x': 'x' }), 'FROM a\n'));
    expect(files.get(DEBUG_DOCKERFILE)).toBe('FROM a\n');
    expect(files.get('.dockerignore')).toBe(`.dockerignore\n${DEBUG_DOCKERFILE}\n`);
    expect(files.get('src/x')).toBe('x');
  });

  it('adds the name to an existing .dockerignore, and leaves one that already excludes it alone', async () => {
    const added = await entries(withDebugDockerfile(tarOf({ '.dockerignore': 'node_modules' }), 'FROM a\n'));
    expect(added.get('.dockerignore')).toBe(`node_modules\n${DEBUG_DOCKERFILE}\n`);
    const kept = await entries(withDebugDockerfile(tarOf({ '.dockerignore': '.*\n' }), 'FROM a\n'));
    expect(kept.get('.dockerignore')).toBe('.*\n');
  });
});
