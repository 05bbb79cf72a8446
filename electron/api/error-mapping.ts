/**
 * Turning whatever went wrong into the BerthError that crosses a transport: anything unexpected becomes
 * INTERNAL without its stack. (Validation failures become INVALID_INPUT through the contract's invalidInput.)
 */
import { BerthError } from '../contract';

/**
 * Keeps BerthErrors as they are and hides everything else behind INTERNAL. The original error is
 * logged here, on the backend, and never sent to the UI (no stack traces or paths cross).
 */
export function toPublicError(error: unknown, context: string): BerthError {
  if (error instanceof BerthError) return error;
  console.error(`[berth] unexpected error in ${context}:`, error);
  return new BerthError(
    'INTERNAL',
    `Something went wrong inside Berth while running ${context}.`,
    'Try again; if it keeps happening, restart Berth and report the problem with its log.',
  );
}
