/**
 * Field messages from zod issues: the ONE place that turns a failed parse into the `fields` of an
 * INVALID_INPUT error, used by core, api and renderer alike, so every layer keys fields the same way.
 */
import { BerthError } from './errors';

/** The key for a problem with the input as a whole rather than one field of it. */
export const WHOLE_INPUT = '(input)';

/** What fieldsFromIssues needs of an issue: zod's, or one made by hand for a check zod cannot express. */
export interface FieldIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** A field's key: its path joined with dots (`ports.0.hostPort`); WHOLE_INPUT for the input itself. */
export const fieldKey = (path: readonly PropertyKey[]): string => path.map(String).join('.') || WHOLE_INPUT;

/** Groups issue messages by field key, in the order the issues came. */
export function fieldsFromIssues(issues: readonly FieldIssue[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = fieldKey(issue.path);
    fields[key] ??= [];
    fields[key].push(issue.message);
  }
  return fields;
}

/** INVALID_INPUT naming every field at fault and its messages: `Invalid build request: tags.0: ...`. */
export function invalidInput(what: string, issues: readonly FieldIssue[]): BerthError {
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
