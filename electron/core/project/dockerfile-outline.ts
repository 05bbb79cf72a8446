/**
 * The Dockerfile's shape for the build form and the text view: its stages, its ARGs with their defaults,
 * and each instruction's line range. Parsed with dockerfile-ast.
 *
 * Stand-in: the build step model is moving to a shared dockerfile-ast module with the same facts; once it
 * lands, this becomes a thin mapping over it.
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { DockerfileOutline } from '../../contract';

export function outlineDockerfile(source: string): DockerfileOutline {
  const parsed = DockerfileParser.parse(source);
  const stages: DockerfileOutline['stages'] = [];
  const args: DockerfileOutline['args'] = [];
  const instructions: DockerfileOutline['instructions'] = [];
  let stage: number | null = null;
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const range = instruction.getRange();
    const line = range.start.line + 1;
    if (keyword === 'FROM') {
      const from = instruction as unknown as { getBuildStage(): string | null; getImage(): string | null };
      stage = stages.length;
      stages.push({ index: stage, name: from.getBuildStage(), base: from.getImage() ?? '', line });
    }
    if (keyword === 'ARG') {
      const property = (
        instruction as unknown as { getProperty(): { getName(): string; getValue(): string | null } | null }
      ).getProperty();
      if (property?.getName()) {
        args.push({ name: property.getName(), defaultValue: property.getValue(), line, stage });
      }
    }
    instructions.push({ keyword, line, endLine: range.end.line + 1, stage });
  }
  return { stages, args, instructions };
}

/** The stages a build of `target` runs through, by index: the target and every stage before it. */
export function stagesUpTo(outline: DockerfileOutline, target: string | null | undefined): number[] {
  const last = target
    ? outline.stages.find((s) => s.name?.toLowerCase() === target.toLowerCase())?.index
    : outline.stages.length - 1;
  if (last === undefined) return outline.stages.map((s) => s.index);
  return outline.stages.filter((s) => s.index <= last).map((s) => s.index);
}
