/**
 * The image of the state just before a failed build step: the build's own context and builder, with the
 * Dockerfile cut off before that step (see debug-plan.ts). The steps before it ran in the failed build, so
 * the cache answers them and no step runs again. (The legacy builder's intermediate image is that same
 * cached layer; BuildKit keeps none, so both are reached the same way.)
 *
 * The cut Dockerfile travels in the context under a name the context's .dockerignore leaves out, so COPY
 * sees exactly the files the failed build copied: a context without a .dockerignore gets one that excludes
 * itself and the cut Dockerfile, one that excludes itself gets the name added. (A .dockerignore that is itself
 * copied changes by that line: COPY steps that take it then run again, which `rebuiltSteps` reports.)
 */
import { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import * as tar from 'tar-stream';
import { BerthError, type BuildModel } from '../../contract';
import { BuildKitDecoder } from '../build/buildkit-decode';
import { readContext } from '../build/context';
import { sendBuild } from '../build/engine-build';
import { LegacyDecoder } from '../build/legacy-decode';
import { planSteps } from '../build/plan';
import { StepFold } from '../build/step-fold';
import type { EngineHandle } from '../engine/engine-handle';

/** The cut Dockerfile's name in the context. */
export const DEBUG_DOCKERFILE = '.berth-debug.Dockerfile';
const IGNORE_FILE = '.dockerignore';

export interface DebugImage {
  /** sha256:... */
  id: string;
  /** The steps that ran instead of coming from the cache, as the Dockerfile has them. */
  rebuilt: string[];
}

/** Builds `dockerfile` (the cut one) on the build's context and builder; the image carries the shell's `labels`. */
export async function buildDebugImage(
  engine: EngineHandle,
  build: Pick<BuildModel, 'request' | 'builder'>,
  dockerfile: string,
  labels: Record<string, string>,
  signal: AbortSignal,
): Promise<DebugImage> {
  const { request, builder } = build;
  const context = await readContext(request.contextDir, request.dockerfile);
  const tarStream = withDebugDockerfile(context.pack(), dockerfile);
  const lines = await sendBuild(
    engine.docker,
    tarStream,
    DEBUG_DOCKERFILE,
    { ...request, tags: [], target: undefined, noCache: false, secrets: [] },
    builder,
    signal,
    { ...engine.labels, ...labels },
  );
  const fold = new StepFold(planSteps(dockerfile), { builder });
  const decoder = builder === 'buildkit' ? new BuildKitDecoder() : new LegacyDecoder();
  const output: string[] = [];
  for await (const line of lines) {
    for (const event of decoder.push(line)) {
      fold.apply(event);
      if (event.kind === 'log') output.push(event.text);
    }
  }
  if (decoder instanceof LegacyDecoder) for (const event of decoder.end()) fold.apply(event);
  if (!fold.imageId || fold.error) {
    const detail = fold.error?.message ?? 'the engine ended the build without an image';
    throw new BerthError(
      'BUILD_FAILED',
      `The steps before this one no longer build: ${detail}`,
      'Build the project again; if an earlier step now fails, debug that one.',
    );
  }
  // A FROM that BuildKit resolves again is still the same base image: only the steps after it count.
  const rebuilt = fold
    .steps()
    .filter((s) => !s.metadataOnly && s.state === 'done' && !/^FROM\s/i.test(s.instruction))
    .map((s) => s.instruction);
  return { id: fold.imageId, rebuilt };
}

/** The context tar with the cut Dockerfile added, and a .dockerignore that keeps it out of COPY. */
export function withDebugDockerfile(context: Readable, dockerfile: string): Readable {
  const extract = tar.extract();
  const pack = tar.pack();
  let ignore: string | null = null;
  const now = new Date();
  let ignoreHeader: Partial<tar.Header> = { name: IGNORE_FILE, mode: 0o644, mtime: now, uid: 0, gid: 0 };
  extract.on('entry', (header, stream, next) => {
    if (header.name === IGNORE_FILE && header.type === 'file') {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        ignore = Buffer.concat(chunks).toString('utf8');
        const { size: _size, ...rest } = header;
        ignoreHeader = rest;
        next();
      });
      return;
    }
    stream.pipe(pack.entry(header, next));
  });
  extract.on('finish', () => {
    const patterns =
      ignore === null
        ? `${IGNORE_FILE}\n${DEBUG_DOCKERFILE}\n`
        : dockerignore().add(ignore).ignores(DEBUG_DOCKERFILE)
          ? ignore
          : `${ignore}${ignore.endsWith('\n') || ignore === '' ? '' : '\n'}${DEBUG_DOCKERFILE}\n`;
    pack.entry({ ...ignoreHeader, name: IGNORE_FILE }, patterns);
    pack.entry({ name: DEBUG_DOCKERFILE, mode: 0o644, mtime: now, uid: 0, gid: 0 }, dockerfile);
    pack.finalize();
  });
  extract.on('error', (error) => pack.destroy(error));
  context.on('error', (error) => pack.destroy(error));
  context.pipe(extract);
  return Readable.from(pack);
}
