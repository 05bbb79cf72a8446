/** Sends a packed context to the engine (`POST /build` through dockerode) and yields its JSON lines. */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { type Builder, type BuildRequest, JsonLines } from '../../contract';
import { engineSupportsBuildkit } from '../engine/builder-support';
import type { EngineHandle } from '../engine/engine-handle';
import type { StreamLine } from './build-event';

/** The builder a build uses: legacy when asked for, else BuildKit where the engine supports it (the engine room's rule). */
export async function chooseBuilder(engine: EngineHandle, wanted: BuildRequest['builder']): Promise<Builder> {
  if (wanted === 'legacy') return 'legacy';
  return (await engineSupportsBuildkit(engine)) ? 'buildkit' : 'legacy';
}

/** Starts the build; resolves once the engine answers, with the stream of its JSON lines. */
export async function sendBuild(
  docker: Dockerode,
  tar: Readable,
  dockerfile: string,
  request: BuildRequest,
  builder: Builder,
  signal: AbortSignal,
  labels: Readonly<Record<string, string>> = {},
  /** The BuildKit session serving the build's secrets (see secrets-session.ts). */
  session?: string,
): Promise<AsyncIterable<StreamLine>> {
  const options = {
    dockerfile,
    t: request.tags,
    buildargs: request.buildArgs,
    nocache: request.noCache,
    rm: true,
    forcerm: true,
    ...(request.target && { target: request.target }),
    ...(Object.keys(labels).length > 0 && { labels }),
    ...(builder === 'buildkit' && { version: '2' }),
    ...(session && { session }),
    abortSignal: signal,
  } as unknown as Dockerode.ImageBuildOptions;
  const response = session
    ? await buildInSession(docker, tar, options, signal)
    : ((await docker.buildImage(tar, options)) as NodeJS.ReadableStream);
  return jsonLines(response);
}

/**
 * `POST /build` naming our own session: dockerode's buildImage opens a session of its own for every
 * BuildKit build (auth only) and puts its id in `session`, so a build with secrets is dialled directly.
 */
function buildInSession(
  docker: Dockerode,
  tar: Readable,
  options: Dockerode.ImageBuildOptions,
  signal: AbortSignal,
): Promise<NodeJS.ReadableStream> {
  const { abortSignal: _, ...query } = options as Dockerode.ImageBuildOptions & { abortSignal?: AbortSignal };
  const modem = docker.modem as unknown as {
    dial(options: object, callback: (error: unknown, data: unknown) => void): void;
  };
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        ...{ path: '/build?', method: 'POST', file: tar, options: query, abortSignal: signal, isStream: true },
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (error, data) => (error ? reject(error) : resolve(data as NodeJS.ReadableStream)),
    );
  });
}

async function* jsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<StreamLine> {
  const lines = new JsonLines<StreamLine>();
  for await (const chunk of stream) yield* lines.push(chunk as Uint8Array | string);
  yield* lines.end();
}
