/** Turns what ended a build (an engine error line, a refused request, a context problem) into the model's failure. */
import { BerthError, type BuildModel, type BuildStep } from '../../contract';
import { engineMessage } from '../errors';
import { knownCause } from './failure-causes';

type Failure = NonNullable<BuildModel['failure']>;

/** An `error` line in the stream, with the step it points at. */
export function streamFailure(
  error: { message: string; exitCode: number | null; stepId: string | null },
  steps: BuildStep[],
  dockerfile: string,
): Failure {
  const step = steps.find((s) => s.id === error.stepId);
  const syntax = syntaxError(error.message, dockerfile);
  if (syntax && !step) return { ...syntax.toShape(), stepId: null, exitCode: null };
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
  const known = knownCause([error.message], error.exitCode);
  return {
    code: 'BUILD_FAILED',
    message: `The build failed: ${error.message}${known ? ` (${known.cause})` : ''}`,
    fix: known?.fix ?? 'Read the message above and the log of the last step, fix the cause, then build again.',
    stepId: null,
    exitCode: error.exitCode,
  };
}

/** The engine refused the build before it started (the legacy builder answers a Dockerfile error with HTTP 400). */
export function refusedFailure(error: unknown, dockerfile: string): Failure {
  if (error instanceof BerthError) return { ...error.toShape(), stepId: null, exitCode: null };
  const message = engineMessage(error);
  const shape = (
    syntaxError(message, dockerfile) ??
    new BerthError(
      'BUILD_FAILED',
      `The engine refused the build: ${message}`,
      'Check the Dockerfile and the build options, then build again.',
    )
  ).toShape();
  return { ...shape, stepId: null, exitCode: null };
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

function syntaxError(message: string, dockerfile: string): BerthError | null {
  const match = /dockerfile parse error line (\d+): (.*)$/i.exec(message);
  if (!match) return null;
  return new BerthError(
    'BUILD_FAILED',
    `${dockerfile} has a syntax error on line ${match[1]}: ${match[2]}.`,
    `Correct line ${match[1]} of ${dockerfile} (see the Dockerfile reference for the instruction), then build again.`,
  );
}

const short = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);
