/**
 * Turning whatever went wrong into the BerthError that crosses a transport: validation failures become
 * INVALID_INPUT with per-field messages, anything unexpected becomes INTERNAL without its stack.
 */
import type { z } from 'zod';
import { BerthError } from '../contract';

/** Groups zod issues by dotted field path ("ports.0.hostPort"); issues on the whole input use "(input)". */
export function fieldsFromIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.') || '(input)';
    fields[path] ??= [];
    fields[path].push(issue.message);
  }
  return fields;
}

export function invalidInput(what: string, issues: readonly z.core.$ZodIssue[]): BerthError {
  const fields = fieldsFromIssues(issues);
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
    .join(', ');
  return new BerthError(
    'INVALID_INPUT',
    `Invalid ${what}: ${summary}`,
    `Correct ${Object.keys(fields).join(', ')} and try again.`,
    fields,
  );
}

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
