import type Dockerode from 'dockerode';
import { shortImageName } from '../engine/podman';

/** The base image the bundled notes service asks for (`ARG NODE_IMAGE` in its Dockerfile). */
export const TUTORIAL_NODE_IMAGE = 'node:22-alpine';
/** Local base images made by `npm run base-image` on machines that cannot pull from Docker Hub. */
export const OFFLINE_BASE_REPOSITORY = 'berth-node-base';

export interface DefaultProject {
  contextDir: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  tags: string[];
}

/**
 * The NODE_IMAGE build arg for the notes service: BERTH_NODE_IMAGE when set; else node:22-alpine when it
 * is present locally (or nothing better is); else the newest offline base image, so that the default
 * project builds on a machine that cannot reach Docker Hub without shadowing a user's own node image.
 */
export async function defaultNodeImage(docker: Dockerode, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.BERTH_NODE_IMAGE) return env.BERTH_NODE_IMAGE;
  try {
    const images = await docker.listImages();
    // Short names: Podman lists the offline base image, loaded from dockerd, as localhost/berth-node-base:...
    const tagsOf = (image: { RepoTags?: string[] | null }) => (image.RepoTags ?? []).map(shortImageName);
    const tags = images.flatMap(tagsOf);
    if (tags.includes(TUTORIAL_NODE_IMAGE)) return TUTORIAL_NODE_IMAGE;
    const offline = images
      .filter((image) => tagsOf(image).some((tag) => tag.startsWith(`${OFFLINE_BASE_REPOSITORY}:`)))
      .sort((a, b) => b.Created - a.Created)[0];
    const offlineTag = offline && tagsOf(offline).find((tag) => tag.startsWith(`${OFFLINE_BASE_REPOSITORY}:`));
    return offlineTag ?? TUTORIAL_NODE_IMAGE;
  } catch {
    return TUTORIAL_NODE_IMAGE; // engine down: the build itself will say so
  }
}

/** Berth's default project: the notes service at the repository root, as the tutorial builds it. */
export async function defaultProject(projectDir: string, docker: Dockerode): Promise<DefaultProject> {
  return {
    contextDir: projectDir,
    dockerfile: 'Dockerfile',
    buildArgs: { NODE_IMAGE: await defaultNodeImage(docker) },
    tags: ['notas-iv:latest'],
  };
}
