/**
 * Turns what ended a build (an engine error line, a refused request, a context problem) into the model's failure:
 * a code, a message that names the cause and its Dockerfile line, and a fix. Failures before any step ran are
 * recognised here: a `# syntax=` frontend that cannot be fetched, a base image that cannot be pulled, an unknown
 * target stage, a Dockerfile parse error (a heredoc the frontend does not know among them).
 */
import { BerthError, type BuildModel, type BuildRequest, type BuildStep } from '../../contract';
import { type ParsedDockerfile, parseDockerfile } from '../dockerfile';
import { engineMessage } from '../errors';
import { knownCause } from './failure-causes';

type Failure = NonNullable<BuildModel['failure']>;

/** What the failure is read against: the Dockerfile as parsed, and the request (build args, target). */
export interface FailureContext {
  dockerfile: string;
  source: string | null;
  request: Pick<BuildRequest, 'buildArgs' | 'target'>;
}

/** An `error` line in the stream, with the step it points at (and the internal vertex that failed, if any). */
export function streamFailure(
  error: { message: string; exitCode: number | null; stepId: string | null },
  steps: BuildStep[],
  context: FailureContext,
  internal: { name: string; error: string } | null = null,
): Failure {
  const step = steps.find((s) => s.id === error.stepId);
  const { dockerfile } = context;
  if (step && /^FROM\s/i.test(step.instruction) && error.exitCode === null) {
    const image = resolvedBase(context, step.line) ?? step.instruction.replace(/^FROM\s+/i, '').split(/\s+/)[0];
    return noStep(baseImageError(context, image ?? '', step.line, error.message), step.id);
  }
  if (step) {
    const where = step.line ? ` (${dockerfile} line ${step.line})` : '';
    const how = error.exitCode !== null ? `the command exited with code ${error.exitCode}` : error.message;
    const known = knownCause([...step.logs.map((l) => l.text), step.error, error.message], error.exitCode);
    return {
      code: 'BUILD_FAILED',
      message: `Step "${short(step.instruction)}"${where} failed: ${how}${known ? `: ${known.cause}` : ''}.`,
      fix:
        known?.fix ??
        'Read the end of the step log for the cause, fix the command or the files it uses, then build again.',
      stepId: step.id,
      exitCode: error.exitCode,
    };
  }
  const before = beforeSteps(`${internal?.name ?? ''}\n${error.message}`, context);
  if (before) return { ...noStep(before), exitCode: error.exitCode };
  const known = knownCause([error.message], error.exitCode);
  return {
    code: 'BUILD_FAILED',
    message: `The build failed before any step ran: ${error.message}${known ? ` (${known.cause})` : ''}`,
    fix:
      known?.fix ?? 'Read the message above, fix the cause in the Dockerfile or the build options, then build again.',
    stepId: null,
    exitCode: error.exitCode,
  };
}

/** The engine refused the build before it started (the legacy builder answers a Dockerfile error with HTTP 400). */
export function refusedFailure(error: unknown, context: FailureContext): Failure {
  if (error instanceof BerthError) return noStep(error);
  const message = engineMessage(error);
  return noStep(
    beforeSteps(message, context) ??
      new BerthError(
        'BUILD_FAILED',
        `The engine refused the build: ${message}`,
        'Check the Dockerfile and the build options, then build again.',
      ),
  );
}

/**
 * The engine stopped answering in the middle of the build (restarted, crashed, or the connection broke).
 * dockerd 20.10's BuildKit is known to crash ("failed to get edge") when identical builds overlap, so a
 * BuildKit build says where to look.
 */
export function engineLostFailure(endpoint: string, builder: BuildModel['builder'], detail: string): Failure {
  const panic =
    builder === 'buildkit'
      ? ' If dockerd crashed, its log may show a BuildKit panic ("failed to get edge"), which dockerd 20.10 hits when identical builds overlap: run them one at a time.'
      : ' A legacy build cut off this way can leave a "Created" container behind: remove it from the Containers view.';
  return {
    code: 'ENGINE_UNREACHABLE',
    message: `The Docker engine at ${endpoint} stopped answering during the build (${detail}), so the build did not finish.`,
    fix: `Wait until the engine answers again (Berth reconnects by itself and shows it), then build again.${panic}`,
    stepId: null,
    exitCode: null,
  };
}

const noStep = (error: BerthError, stepId: string | null = null): Failure => ({
  ...error.toShape(),
  stepId,
  exitCode: null,
});

/** The causes recognised in an engine message when no step has run. */
function beforeSteps(message: string, context: FailureContext): BerthError | null {
  const parsed = parse(context);
  const { dockerfile } = context;
  const syntax = parsed?.syntax;
  if (syntax && /frontend gateway|resolve image config for/.test(message)) {
    return new BerthError(
      'BUILD_FAILED',
      `The "# syntax=${syntax.image}" directive on line ${syntax.line} of ${dockerfile} asks the engine for the ` +
        `Dockerfile frontend image ${syntax.image}, which it could not fetch: ${lastCause(message)}`,
      `Remove line ${syntax.line} to build with the engine's built-in frontend, or make ${syntax.image} available ` +
        'to the engine (pull it where the registry is reachable, or docker load it), then build again.',
    );
  }
  const metadata =
    /(?:load metadata for|failed to resolve source metadata for|pull access denied for|manifest for) ([^\s,:]+(?::[^\s,]+)?)/.exec(
      message,
    );
  if (metadata?.[1]) {
    const image = metadata[1];
    return baseImageError(context, image, fromLineOf(context, image), message);
  }
  const target = /target stage (\S+) could not be found|failed to reach build target (\S+)/.exec(message);
  if (target) {
    const name = target[1] ?? target[2] ?? context.request.target ?? '';
    const named = (parsed?.stages ?? []).flatMap((s) => (s.name ? [s.name] : []));
    return new BerthError(
      'BUILD_FAILED',
      `${dockerfile} has no stage named "${name}". ` +
        (named.length ? `Its stages: ${named.join(', ')}.` : 'None of its stages has a name (FROM ... AS <name>).'),
      named.length
        ? `Choose one of ${named.join(', ')} as the target, or clear the target to build the last stage.`
        : 'Clear the target to build the last stage, or name a stage with FROM ... AS <name>.',
    );
  }
  const syntaxError = /dockerfile parse error line (\d+): (.*)$/im.exec(message);
  if (syntaxError) {
    const line = Number(syntaxError[1]);
    const heredoc = parsed?.instructions.find((i) => i.heredoc && line > i.line && line <= i.endLine);
    if (heredoc) {
      return new BerthError(
        'BUILD_FAILED',
        `${dockerfile} line ${heredoc.line} starts a heredoc ("${short(heredoc.text)}"), which this engine's ` +
          `Dockerfile frontend does not support: it read line ${line} as an instruction (${syntaxError[2]}).`,
        'Heredocs need BuildKit with a Dockerfile frontend of version 1.4 or later (a "# syntax=docker/dockerfile:1.4" ' +
          'line, with that image available to the engine). Otherwise write the commands on one RUN line joined with ' +
          '&&, then build again.',
      );
    }
    return new BerthError(
      'BUILD_FAILED',
      `${dockerfile} has a syntax error on line ${line}: ${syntaxError[2]}.`,
      `Correct line ${line} of ${dockerfile} (see the Dockerfile reference for the instruction), then build again.`,
    );
  }
  return null;
}

function baseImageError(context: FailureContext, image: string, line: number | null, message: string): BerthError {
  const where = line ? ` (FROM on line ${line} of ${context.dockerfile})` : '';
  return new BerthError(
    'BUILD_FAILED',
    `The base image ${image}${where} is not on this engine and could not be pulled: ${lastCause(message)}`,
    `Check the image name and tag on that FROM line; if it is right, make ${image} available to the engine ` +
      '(docker pull where its registry is reachable, docker login for a private one, or docker load), then build again.',
  );
}

function parse(context: FailureContext): ParsedDockerfile | null {
  if (context.source === null) return null;
  try {
    return parseDockerfile(context.source);
  } catch {
    return null;
  }
}

/** The image a FROM line names once its ARGs are filled in (build args first, then the ARG defaults). */
function resolvedBase(context: FailureContext, line: number | null): string | null {
  const parsed = parse(context);
  const stage = parsed?.stages.find((s) => s.line === line);
  if (!parsed || !stage) return null;
  const values = new Map<string, string>();
  for (const arg of parsed.args.filter((a) => a.stage < 0)) {
    const value = context.request.buildArgs[arg.name] ?? arg.defaultValue;
    if (value !== null) values.set(arg.name, value);
  }
  return stage.base.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => values.get(a ?? b) ?? '');
}

/** The FROM line whose image is `image` (as BuildKit names it: docker.io/library/name:tag). */
function fromLineOf(context: FailureContext, image: string): number | null {
  const parsed = parse(context);
  const wanted = normalise(image);
  for (const stage of parsed?.stages ?? []) {
    const base = resolvedBase(context, stage.line);
    if (base && normalise(base) === wanted) return stage.line;
  }
  return null;
}

function normalise(image: string): string {
  let name = image.split('@')[0] ?? image;
  if (!/:[^/]+$/.test(name)) name += ':latest';
  const parts = name.split('/');
  if (parts.length === 1) return `docker.io/library/${name}`;
  const first = parts[0] ?? '';
  return first.includes('.') || first.includes(':') || first === 'localhost' ? name : `docker.io/${name}`;
}

/** The innermost cause in a chain of "a: b: c" engine messages, kept whole when short. */
function lastCause(message: string): string {
  const line = message.trim().split('\n').at(-1) ?? message;
  return line.length > 240 ? `${line.slice(0, 237)}...` : line;
}

const short = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);
