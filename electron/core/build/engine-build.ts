/** Sends a packed context to the engine (`POST /build` through dockerode) and yields its JSON lines. */
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { type Builder, type BuildRequest, JsonLines } from '../../contract';
import type { StreamLine } from './build-event';

const buildKitSupport = new WeakMap<Dockerode, Promise<boolean>>();

/** BuildKit needs API 1.39 (Engine 18.09) and a Linux engine. */
export function supportsBuildKit(docker: Dockerode): Promise<boolean> {
  let known = buildKitSupport.get(docker);
  if (!known) {
    known = docker.version().then(
      (v) => v.Os === 'linux' && compareVersions(v.ApiVersion, '1.39') >= 0,
      () => false,
    );
    buildKitSupport.set(docker, known);
  }
  return known;
}

function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

export async function chooseBuilder(docker: Dockerode, wanted: BuildRequest['builder']): Promise<Builder> {
  if (wanted === 'legacy') return 'legacy';
  return (await supportsBuildKit(docker)) ? 'buildkit' : 'legacy';
}

/** Starts the build; resolves once the engine answers, with the stream of its JSON lines. */
export async function sendBuild(
  docker: Dockerode,
  tar: Readable,
  dockerfile: string,
  request: BuildRequest,
  builder: Builder,
  signal: AbortSignal,
): Promise<AsyncIterable<StreamLine>> {
  const options = {
    dockerfile,
    t: request.tags,
    buildargs: request.buildArgs,
    nocache: request.noCache,
    rm: true,
    forcerm: true,
    ...(request.target && { target: request.target }),
    ...(builder === 'buildkit' && { version: '2' }),
    abortSignal: signal,
  } as unknown as Dockerode.ImageBuildOptions;
  const response = (await docker.buildImage(tar, options)) as NodeJS.ReadableStream;
  return jsonLines(response);
}

async function* jsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<StreamLine> {
  const lines = new JsonLines<StreamLine>();
  for await (const chunk of stream) yield* lines.push(chunk as Uint8Array | string);
  yield* lines.end();
}
