/** The image list and one image in detail, with how many containers (in any state) use each image. */
import type Dockerode from 'dockerode';
import type { ImageDetail, ImageSummary } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { tagsAsShown } from '../engine/podman';
import { toBerthError } from '../errors';

const NO_TAG = '<none>:<none>';
const NO_DIGEST = '<none>@<none>';

const realTags = (tags: string[] | null | undefined): string[] => (tags ?? []).filter((t) => t !== NO_TAG);
const isDangling = (tags: string[] | null | undefined, digests: string[] | null | undefined): boolean =>
  realTags(tags).length === 0 && (digests ?? []).filter((d) => d !== NO_DIGEST).length === 0;

/** Containers (running or not) per image id. */
export async function containersByImage(docker: Dockerode): Promise<Map<string, string[]>> {
  const containers = await docker.listContainers({ all: true });
  const byImage = new Map<string, string[]>();
  for (const c of containers) {
    const name = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
    byImage.set(c.ImageID, [...(byImage.get(c.ImageID) ?? []), name]);
  }
  return byImage;
}

/** Every top-level image, newest first. */
export async function listImages(engine: EngineHandle): Promise<ImageSummary[]> {
  try {
    const [images, users] = await Promise.all([engine.docker.listImages(), containersByImage(engine.docker)]);
    const shown = await Promise.all(images.map((image) => tagsAsShown(engine, realTags(image.RepoTags))));
    return images
      .map(
        (image, i): ImageSummary => ({
          id: image.Id,
          tags: shown[i] ?? [],
          created: image.Created * 1000,
          size: image.Size,
          containers: users.get(image.Id)?.length ?? 0,
          dangling: isDangling(image.RepoTags, image.RepoDigests),
        }),
      )
      .sort((a, b) => b.created - a.created);
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'image');
  }
}

const keys = (record: Record<string, unknown> | null | undefined): string[] => Object.keys(record ?? {});

/** One image in detail: its config (env, ports, command, ...) and how many containers use it. */
export async function inspectImage(engine: EngineHandle, ref: string): Promise<ImageDetail> {
  try {
    const [info, users] = await Promise.all([engine.docker.getImage(ref).inspect(), containersByImage(engine.docker)]);
    const config = info.Config ?? {};
    return {
      id: info.Id,
      tags: await tagsAsShown(engine, realTags(info.RepoTags)),
      created: Date.parse(info.Created),
      size: info.Size,
      containers: users.get(info.Id)?.length ?? 0,
      dangling: isDangling(info.RepoTags, info.RepoDigests),
      architecture: info.Architecture ?? '',
      os: info.Os ?? '',
      env: config.Env ?? [],
      exposedPorts: keys(config.ExposedPorts),
      cmd: config.Cmd ?? null,
      entrypoint: typeof config.Entrypoint === 'string' ? [config.Entrypoint] : (config.Entrypoint ?? null),
      workingDir: config.WorkingDir ?? '',
      user: config.User ?? '',
      volumes: keys(config.Volumes),
      labels: config.Labels ?? {},
      healthcheck: config.Healthcheck?.Test ?? null,
    };
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `image "${ref}"`);
  }
}
