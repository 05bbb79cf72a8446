/**
 * What a stage's variables hold, as far as the Dockerfile itself says: the global ARG defaults (for FROM
 * lines), then each stage's ARGs and ENVs in order. Build args given at build time are not known here.
 */
import type { DockerfileStage, ParsedDockerfile } from '../../dockerfile';

export type Vars = ReadonlyMap<string, string>;

/** `$NAME`, `${NAME}` and `${NAME:-default}` replaced where known; unknown ones left as written. */
export function expand(text: string, vars: Vars): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, d, b) => {
    const name = (a ?? b) as string;
    return vars.get(name) ?? (d as string | undefined) ?? whole;
  });
}

/** The global ARG defaults: what a FROM line may use. */
export function globalVars(parsed: ParsedDockerfile): Map<string, string> {
  const vars = new Map<string, string>();
  for (const arg of parsed.args.filter((a) => a.stage < 0)) {
    if (arg.defaultValue !== null) vars.set(arg.name, expand(arg.defaultValue, vars));
  }
  return vars;
}

/**
 * The variables in force just before line `beforeLine` of `stage`: global ARGs it redeclares, its own ARG
 * defaults and ENVs, and (for a stage FROM an earlier stage) that stage's ENVs.
 */
export function stageVars(
  parsed: ParsedDockerfile,
  chain: readonly DockerfileStage[],
  beforeLine = Number.POSITIVE_INFINITY,
): Map<string, string> {
  const globals = globalVars(parsed);
  const vars = new Map<string, string>();
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.line >= beforeLine) break;
      if (instruction.keyword === 'ARG') {
        const arg = parsed.args.find((a) => a.line === instruction.line);
        if (!arg) continue;
        const value = arg.defaultValue !== null ? expand(arg.defaultValue, vars) : globals.get(arg.name);
        if (value !== undefined && !vars.has(arg.name)) vars.set(arg.name, value);
      } else if (instruction.keyword === 'ENV') {
        for (const { name, value } of instruction.env) vars.set(name, expand(value, vars));
      }
    }
  }
  return vars;
}
