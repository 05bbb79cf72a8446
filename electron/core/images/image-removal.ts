/** Removing an image (refused while containers use it, unless forced), pruning dangling ones, and tagging. */
import { BerthError, parseImageReference } from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { toBerthError } from '../errors';
import { containersByImage } from './image-list';

export interface ImageRemoval {
  untagged: string[];
  deleted: string[];
}

/** Whether `ref` is (a prefix of) the image id rather than a name. */
const namesId = (ref: string, id: string): boolean =>
  /^(sha256:)?[0-9a-f]{12,64}$/.test(ref) && id.replace(/^sha256:/, '').startsWith(ref.replace(/^sha256:/, ''));

function inUse(ref: string, containers: string[]): BerthError {
  const names = containers.map((c) => `"${c}"`).join(', ');
  const noun = containers.length === 1 ? 'container' : 'containers';
  return new BerthError(
    'CONFLICT',
    `The image "${ref}" is used by the ${noun} ${names}.`,
    `Remove the ${noun} first (docker rm ${containers.join(' ')}), or remove the image with force.`,
  );
}

/**
 * Removes an image or one of its tags. When removing would delete the image itself (the ref is its id,
 * or its only tag) and a container uses it, this refuses with CONFLICT unless `force`.
 */
export async function removeImage(engine: EngineHandle, ref: string, force = false): Promise<ImageRemoval> {
  const what = `image "${ref}"`;
  try {
    const image = engine.docker.getImage(ref);
    const [info, users] = await Promise.all([image.inspect(), containersByImage(engine.docker)]);
    const tags = (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    const deletesImage = namesId(ref, info.Id) || tags.length <= 1;
    const containers = users.get(info.Id) ?? [];
    if (!force && deletesImage && containers.length > 0) throw inUse(ref, containers);
    const answer = (await image.remove({ force })) as Array<{ Untagged?: string; Deleted?: string }>;
    return {
      untagged: answer.flatMap((a) => (a.Untagged ? [a.Untagged] : [])),
      deleted: answer.flatMap((a) => (a.Deleted ? [a.Deleted] : [])),
    };
  } catch (error) {
    if (error instanceof BerthError) throw error;
    const berth = toBerthError(error, engine.endpoint, what);
    // e.g. force on an image a running container uses: the engine refuses even then
    if (berth.code === 'CONFLICT')
      throw new BerthError('CONFLICT', berth.message, 'Stop the containers using it first.');
    throw berth;
  }
}

/** Removes every dangling image (no tag, no digest); with `labels`, only those carrying all of them. */
export async function pruneImages(
  engine: EngineHandle,
  options: { labels?: Readonly<Record<string, string>> } = {},
): Promise<{ deleted: number; reclaimedBytes: number }> {
  const label = Object.entries(options.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  try {
    const answer = await engine.docker.pruneImages({
      filters: { dangling: ['true'], ...(label.length > 0 && { label }) },
    });
    const deleted = (answer.ImagesDeleted ?? []).filter((d) => d.Deleted).length;
    return { deleted, reclaimedBytes: answer.SpaceReclaimed ?? 0 };
  } catch (error) {
    throw toBerthError(error, engine.endpoint, 'image');
  }
}

/** The repository and tag a tag target names ("latest" when none); INVALID_INPUT for a digest or a bad name. */
function tagTarget(target: string): { repo: string; tag: string } {
  const ref = parseImageReference(target);
  if (!ref || ref.digest) {
    const problem = ref ? 'a tag target cannot contain a digest' : 'not a valid image reference';
    throw new BerthError('INVALID_INPUT', `"${target}" cannot be a tag: ${problem}.`, 'Use [host[:port]/]name:tag.', {
      target: [problem],
    });
  }
  return { repo: ref.repository, tag: ref.tag ?? 'latest' };
}

/** Gives the image `source` the extra name `target`. */
export async function tagImage(engine: EngineHandle, source: string, target: string): Promise<{ ok: true }> {
  const { repo, tag } = tagTarget(target);
  try {
    await engine.docker.getImage(source).tag({ repo, tag });
    return { ok: true };
  } catch (error) {
    throw toBerthError(error, engine.endpoint, `image "${source}"`);
  }
}
