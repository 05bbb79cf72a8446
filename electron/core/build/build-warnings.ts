/**
 * Warnings a build carries besides its steps: the legacy builder's own "[Warning] ..." lines (BuildKit's
 * warnings come decoded from its trace), and, for BuildKit engines that do not report them (Engine 20.10),
 * the build args that no ARG of the stages built declares, found from the parsed Dockerfile.
 */
import type { DockerfileOutline } from '../../contract';
import { stagesUpTo } from '../project/dockerfile-outline';
import type { StreamLine } from './build-event';

/** The legacy builder's "[Warning] One or more build-args [X Y] were not consumed" line. */
const LEGACY_UNUSED_ARGS = /^\[Warning\] (One or more build-args \[[^\]]*\] were not consumed)\s*$/;

/** The engine's warning in a legacy stream line, without its "[Warning]" tag; null for any other line. */
export function legacyWarningOf(line: StreamLine): string | null {
  if (typeof line.stream !== 'string') return null;
  const match = LEGACY_UNUSED_ARGS.exec(line.stream.trim());
  return match?.[1] ?? null;
}

/** Args every builder accepts without an ARG (the proxies), and those BuildKit's frontend reads itself. */
const PREDEFINED = /^(?:(?:HTTP|HTTPS|FTP|NO|ALL)_PROXY|(?:http|https|ftp|no|all)_proxy|BUILDKIT_[A-Z_]+)$/;

/** Build args given that no ARG in the stages built (or before the first FROM) declares, in the order given. */
export function undeclaredBuildArgs(
  outline: DockerfileOutline,
  buildArgs: Record<string, string>,
  target: string | null | undefined,
): string[] {
  const stages = new Set(stagesUpTo(outline, target));
  const declared = new Set(outline.args.filter((a) => a.stage === null || stages.has(a.stage)).map((a) => a.name));
  return Object.keys(buildArgs).filter((name) => !declared.has(name) && !PREDEFINED.test(name));
}

/** Berth's own wording of the unused-args warning, for builders that do not say it themselves. */
export const undeclaredArgsWarning = (names: string[]): string =>
  `One or more build-args [${names.join(' ')}] were not consumed: no ARG in the stages built declares them (found by Berth from the Dockerfile; this engine's BuildKit does not report it).`;
