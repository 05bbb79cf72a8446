/**
 * Test support: builds a small image from a Dockerfile text and files through dockerode, with the legacy
 * builder or BuildKit. Used by the engine tests and by fixtures/record.ts; not part of the app.
 */
import type Dockerode from 'dockerode';
import { pack } from 'tar-stream';

export interface TestImageSpec {
  tag: string;
  dockerfile: string;
  files?: Record<string, string>;
  buildargs?: Record<string, string>;
  buildkit?: boolean;
  /** Labels on the image (the test suite marks everything it makes). */
  labels?: Record<string, string>;
}

/** Builds the image and resolves when the engine has finished; rejects on a build error. */
export async function buildTestImage(docker: Dockerode, spec: TestImageSpec): Promise<void> {
  const context = pack();
  context.entry({ name: 'Dockerfile' }, spec.dockerfile);
  for (const [name, text] of Object.entries(spec.files ?? {})) context.entry({ name }, text);
  context.finalize();
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
    t: spec.tag,
    buildargs: spec.buildargs ?? {},
    ...(spec.labels && { labels: spec.labels }),
    ...(spec.buildkit && { version: '2' as const }),
  });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: Array<{ error?: string }>) => {
        const failed = error ?? events.find((e) => e.error);
        if (failed) reject(new Error(`build of ${spec.tag} failed: ${JSON.stringify(failed)}`));
        else resolve();
      },
      () => undefined,
    );
  });
}

/**
 * Makes a dangling image: builds `tag` twice from `baseImage` with different labels, so the first build's
 * image loses its tag. Returns that image's id. `keep` registers each made image for cleanup (tag, then id).
 */
export async function buildDanglingImage(
  docker: Dockerode,
  spec: { tag: string; baseImage: string; labels: Record<string, string>; keep: (ref: string) => string },
): Promise<string> {
  const build = (round: string) =>
    buildTestImage(docker, {
      tag: spec.keep(spec.tag),
      dockerfile: `FROM ${spec.baseImage}\nLABEL berth.test=${round}-${Math.random().toString(36).slice(2)}\n`,
      labels: spec.labels,
    });
  await build('old');
  const old = spec.keep((await docker.getImage(spec.tag).inspect()).Id);
  await build('new');
  return old;
}
