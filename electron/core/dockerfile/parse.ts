/**
 * A Dockerfile read by dockerfile-ast (a maintained parser), turned into what Berth needs from it: the
 * instructions with their line ranges and the text the builders print for them, the stages with their names
 * and indexes, the ARGs with their defaults, and the `# syntax=` directive. Pure: no file or engine access.
 * The step plan (core/build/plan.ts), the build form's stages and ARGs, and the Dockerfile text view share it.
 */
import { DockerfileParser } from 'dockerfile-ast';

export interface DockerfileInstruction {
  /** Upper-case keyword, as the builders print it ("RUN", "ENV"; an unknown one as written, upper-cased). */
  keyword: string;
  /**
   * The instruction as the legacy builder prints it in "Step n/m : ...": the physical lines joined with their
   * escape characters and comment lines left out, the keyword upper-cased.
   */
  text: string;
  /** The text after the keyword. */
  args: string;
  /** 1-based line of the instruction's first physical line. */
  line: number;
  /** 1-based line of its last physical line (continuations and heredoc bodies included). */
  endLine: number;
  /** Index of its stage; -1 for the global ARGs before the first FROM. */
  stage: number;
  /** The legacy builder's `Step n`: every instruction counts, the global ARGs too. */
  legacyNumber: number;
  /** The instruction carries a heredoc (`RUN <<EOF`), which needs a frontend that supports it. */
  heredoc: boolean;
  /** The `--name=value` flags before the arguments (`--from=build`, `--chown=node`, `--mount=...`); value null for a bare `--flag`. */
  flags: Array<{ name: string; value: string | null }>;
  /** The arguments after the flags, split on blanks as dockerfile-ast reads them (variables not expanded). */
  words: string[];
  /** The exec (JSON array) form's strings, when the arguments are one: `CMD ["node", "x"]`; null otherwise. */
  json: string[] | null;
  /** An ENV's variables as dockerfile-ast reads them (`A=1 B="x y"`, or the old `A value`), values unquoted; else []. */
  env: Array<{ name: string; value: string }>;
}

export interface DockerfileStage {
  index: number;
  /** The `AS name`, lower-cased as both builders do; null when the stage has none. */
  name: string | null;
  /** How BuildKit names the stage in its steps: the name, or `stage-<index>`. */
  id: string;
  /** The image (or earlier stage) after FROM, as written: `${NODE_IMAGE}`, `build`, `alpine:3`. */
  base: string;
  /** Line of its FROM. */
  line: number;
  instructions: DockerfileInstruction[];
}

export interface DockerfileArg {
  name: string;
  /** The default after `=`, as written (variables not expanded); null when there is none. */
  defaultValue: string | null;
  line: number;
  /** -1 for a global ARG (before the first FROM, usable in FROM lines), else its stage's index. */
  stage: number;
}

export interface ParsedDockerfile {
  instructions: DockerfileInstruction[];
  stages: DockerfileStage[];
  args: DockerfileArg[];
  /** The `# syntax=` directive: the frontend image the engine must fetch before anything else. */
  syntax: { image: string; line: number } | null;
  escape: string;
}

/** Instructions that only change the image's configuration: no file-system layer, no BuildKit vertex. */
export const METADATA_KEYWORDS: ReadonlySet<string> = new Set([
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
]);

export function parseDockerfile(source: string): ParsedDockerfile {
  const ast = DockerfileParser.parse(source);
  const escapeChar = ast.getEscapeCharacter();
  const lines = source.split(/\r?\n/);
  const instructions: DockerfileInstruction[] = [];
  const stages: DockerfileStage[] = [];
  let stage = -1;
  for (const node of ast.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const range = node.getRange();
    if (keyword === 'FROM') stage++;
    const heredoc = (node as unknown as { getHeredocs(): unknown[] }).getHeredocs().length > 0;
    const text = heredoc
      ? (lines[range.start.line] ?? '').trim()
      : joinLines(lines.slice(range.start.line, range.end.line + 1), escapeChar);
    const args = text.replace(/^\S+\s*/, '');
    const instruction: DockerfileInstruction = {
      keyword,
      text: `${keyword} ${args}`.trim(),
      args,
      line: range.start.line + 1,
      endLine: range.end.line + 1,
      stage,
      legacyNumber: instructions.length + 1,
      heredoc,
      flags: flagsOf(node),
      words: node.getArguments().map((a) => a.getValue()),
      json: jsonForm(args),
      env: envOf(node),
    };
    instructions.push(instruction);
    if (keyword === 'FROM') {
      const from = node as unknown as { getImage(): string | null; getBuildStage(): string | null };
      const name = from.getBuildStage()?.toLowerCase() ?? null;
      stages.push({
        index: stage,
        name,
        id: name ?? `stage-${stage}`,
        base: from.getImage() ?? '',
        line: instruction.line,
        instructions: [],
      });
    }
    stages[stage]?.instructions.push(instruction);
  }
  const args: DockerfileArg[] = ast.getARGs().flatMap((arg) => {
    const property = arg.getProperty();
    if (!property) return [];
    const line = arg.getRange().start.line + 1;
    const owner = instructions.find((i) => i.line === line);
    return [{ name: property.getName(), defaultValue: property.getValue(), line, stage: owner?.stage ?? -1 }];
  });
  const directive = ast.getDirectives().find((d) => d.getName().toLowerCase() === 'syntax');
  const syntax = directive ? { image: directive.getValue(), line: directive.getRange().start.line + 1 } : null;
  return { instructions, stages, args, syntax, escape: escapeChar };
}

function flagsOf(node: unknown): DockerfileInstruction['flags'] {
  const withFlags = node as { getFlags?(): Array<{ getName(): string; getValue(): string | null }> };
  return (withFlags.getFlags?.() ?? []).map((f) => ({ name: f.getName(), value: f.getValue() }));
}

function envOf(node: unknown): DockerfileInstruction['env'] {
  const env = node as { getProperties?(): Array<{ getName(): string; getValue(): string | null }> };
  if (!env.getProperties || (node as { getKeyword(): string }).getKeyword().toUpperCase() !== 'ENV') return [];
  return env.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() ?? '' }));
}

/** The exec form as the builders read it: the arguments are a JSON array of strings. */
function jsonForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** The stage a `FROM <ref>` or `COPY --from=<ref>` names: by name, or by index. */
export function findStage(stages: DockerfileStage[], ref: string): DockerfileStage | undefined {
  const lower = ref.toLowerCase();
  return stages.find((s) => s.name === lower) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
}

/**
 * Joins an instruction's physical lines as the builders print it: a line ending in the escape character
 * continues on the next; comment and empty lines inside a continuation are dropped; the continuation's own
 * leading blanks are kept.
 */
function joinLines(physical: string[], escapeChar: string): string {
  const continued = new RegExp(`${escapeChar === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  let text = (physical[0] ?? '').trim();
  for (const next of physical.slice(1)) {
    if (!continued.test(text)) break;
    const trimmed = next.trim();
    if (trimmed.startsWith('#') || trimmed === '') continue;
    text = text.replace(continued, '') + next.replace(/\s+$/, '');
  }
  return text.replace(continued, '');
}
