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
