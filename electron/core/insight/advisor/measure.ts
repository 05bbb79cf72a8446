/**
 * Measures what the advice predicts, with real builds: a temporary copy of the files the build sends is built,
 * then one source file of the COPY is edited in that copy and built again. The user's files are never touched.
 * Reports the context bytes, the image size, and how many layer steps (FROM left out) stayed cached.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { type AdviceMeasurement, BerthError, type BuildModel, invalidInput, MeasureInput } from '../../../contract';
import { startBuild } from '../../build';
import { listContextFiles } from '../../build/context';
import type { EngineHandle } from '../../engine/engine-handle';
import { readDockerfile } from '../../project/dockerfile-file';
import { chooseEditedFile } from './predict';

/** The label on the images a measurement builds (they are removed when it ends). */
export const MEASURE_LABEL = 'io.berth.advice-measure';

/** The line appended to the edited file: a comment in its own language, so the file stays valid. */
function editLine(path: string, stamp: string): string {
  if (/\.(m?[jt]sx?|c[jt]s|go|java|kt|cs|rs|php|c|h|cpp|swift)$/.test(path)) return `\n// berth edit ${stamp}\n`;
  if (/\.(py|rb|sh|ya?ml|toml|conf|r|pl)$/i.test(path)) return `\n# berth edit ${stamp}\n`;
  if (/\.css$/.test(path)) return `\n/* berth edit ${stamp} */\n`;
  if (/\.html?$/.test(path)) return `\n<!-- berth edit ${stamp} -->\n`;
  return `\n${stamp}\n`;
}

const isLayerStep = (step: BuildModel['steps'][number]): boolean =>
  !step.metadataOnly && !/^FROM\b/i.test(step.instruction) && (step.state === 'cached' || step.state === 'done');

export async function measureBuild(
  engine: EngineHandle,
  input: z.input<typeof MeasureInput>,
): Promise<AdviceMeasurement> {
  const parsed = MeasureInput.safeParse(input);
  if (!parsed.success) throw invalidInput('measurement request', parsed.error.issues);
  const args = parsed.data;
  const file = await readDockerfile(args.contextDir, args.dockerfile);
  const files = await listContextFiles(file.contextDir, file.dockerfile);
  const paths = files.map((f) => f.path);
  const editedFile = args.editedFile ?? chooseEditedFile(file.text, paths);
  if (editedFile !== null && !paths.includes(editedFile)) {
    throw new BerthError(
      'INVALID_INPUT',
      `${editedFile} is not a file the build sends.`,
      'Name a source file inside the context that .dockerignore lets in.',
      { editedFile: ['not in the build context'] },
    );
  }
  const copy = await mkdtemp(join(tmpdir(), 'berth-advice-'));
  const tag = `berth-advice-${randomBytes(6).toString('hex')}:measure`;
  const docker = engine.docker;
  // Both builds' images: the second retags, leaving the first untagged. An image the engine already had (a
  // fully cached build gives the user's own image id) is never removed; only new, untagged ones are.
  const made = new Set<string>();
  const before = new Set((await docker.listImages({ all: true })).map((i) => i.Id));
  try {
    for (const f of files) {
      const from = join(file.contextDir, f.path);
      const to = join(copy, f.path);
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
      await chmod(to, (await stat(from)).mode & 0o7777);
    }
    const labelled: EngineHandle = { ...engine, labels: { ...engine.labels, [MEASURE_LABEL]: 'true' } };
    const build = async (): Promise<BuildModel> => {
      const model = await startBuild(labelled, {
        contextDir: copy,
        dockerfile: file.dockerfile,
        buildArgs: args.buildArgs,
        ...(args.target && { target: args.target }),
        builder: args.builder,
        tags: [tag],
      }).done;
      if (model.imageId) made.add(model.imageId);
      if (model.state !== 'succeeded') {
        throw new BerthError(
          'BUILD_FAILED',
          `The measuring build failed: ${model.failure?.message ?? model.state}`,
          model.failure?.fix ?? 'Build the project in the Build view first, and fix what fails there.',
        );
      }
      return model;
    };
    const first = await build();
    const image = await docker.getImage(first.imageId ?? tag).inspect();
    let second = first;
    if (editedFile !== null) {
      await appendFile(join(copy, editedFile), editLine(editedFile, new Date().toISOString()));
      second = await build();
    }
    const layers = second.steps.filter(isLayerStep);
    return {
      contextBytes: first.context?.bytes ?? files.reduce((sum, f) => sum + f.size, 0),
      contextFiles: first.context?.files ?? files.length,
      imageBytes: image.Size,
      layerSteps: layers.length,
      cachedAfterEdit: editedFile === null ? layers.length : layers.filter((s) => s.state === 'cached').length,
      editedFile,
      builder: first.builder,
      at: Date.now(),
    };
  } finally {
    await docker
      .getImage(tag)
      .remove({ noprune: false })
      .catch(() => undefined);
    for (const id of [...made].filter((i) => !before.has(i))) {
      const info = await docker
        .getImage(id)
        .inspect()
        .catch(() => null);
      if (info && (info.RepoTags ?? []).length === 0)
        await docker
          .getImage(id)
          .remove()
          .catch(() => undefined);
    }
    await rm(copy, { recursive: true, force: true });
  }
}
