/**
 * The Dockerfile's shape for the build form and the text view: its stages, its ARGs with their defaults,
 * and each instruction's line range. A mapping over the one parsed Dockerfile (core/dockerfile) that the
 * step plan uses too, so the form, the text view and the steps never disagree about the file.
 */
import type { DockerfileOutline } from '../../contract';
import { parseDockerfile } from '../dockerfile';

/** The contract says "no stage" with null where the parser says -1 (the global ARGs before the first FROM). */
const stageOf = (index: number): number | null => (index < 0 ? null : index);

export function outlineDockerfile(source: string): DockerfileOutline {
  const parsed = parseDockerfile(source);
  return {
    stages: parsed.stages.map(({ index, name, base, line }) => ({ index, name, base, line })),
    args: parsed.args.map(({ name, defaultValue, line, stage }) => ({
      name,
      defaultValue,
      line,
      stage: stageOf(stage),
    })),
    instructions: parsed.instructions.map(({ keyword, line, endLine, stage }) => ({
      keyword,
      line,
      endLine,
      stage: stageOf(stage),
    })),
  };
}

/** The stages a build of `target` runs through, by index: the target and every stage before it. */
export function stagesUpTo(outline: DockerfileOutline, target: string | null | undefined): number[] {
  const last = target
    ? outline.stages.find((s) => s.name?.toLowerCase() === target.toLowerCase())?.index
    : outline.stages.length - 1;
  if (last === undefined) return outline.stages.map((s) => s.index);
  return outline.stages.filter((s) => s.index <= last).map((s) => s.index);
}
