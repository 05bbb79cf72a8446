import { BerthError, type FieldIssue, fieldKey, fieldsFromIssues, RunSpec, WHOLE_INPUT } from '../../contract';

function fixFor(field: string): string {
  if (/Port$/.test(field)) return `Set ${field} to a whole number between 1 and 65535, e.g. 8080.`;
  if (field === 'image') return 'Use a lowercase image reference such as notas-iv:latest or user/app:1.0.';
  if (field === 'name') return 'Use letters, digits, _ . - starting with a letter or digit, or leave the name empty.';
  if (field.endsWith('hostIp')) return 'Use 127.0.0.1 (this machine only) or 0.0.0.0 (all addresses).';
  if (field.startsWith('env')) return 'Env names must not contain "=" and values must be text.';
  if (field.startsWith('volumes'))
    return 'Give a volume name or an absolute host path, and an absolute container path.';
  return `Correct ${field === WHOLE_INPUT ? 'the run settings' : field} and try again.`;
}

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Validates run settings with the contract's RunSpec (the core does not trust callers) and adds what the
 * schema cannot say: a volume source is a volume name or an absolute host path. INVALID_INPUT names each
 * bad field and how to fix it.
 */
export function checkRunSpec(input: unknown): RunSpec {
  const parsed = RunSpec.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues, input);
  parsed.data.volumes.forEach((volume, i) => {
    if (!volume.source.startsWith('/') && !VOLUME_NAME.test(volume.source)) {
      throw invalid(
        [
          {
            path: ['volumes', i, 'source'],
            message: `"${volume.source}" is neither a volume name nor an absolute path`,
          },
        ],
        input,
      );
    }
  });
  return parsed.data;
}

function invalid(issues: readonly FieldIssue[], input: unknown): BerthError {
  const fields = fieldsFromIssues(issues);
  const [first] = issues;
  const field = fieldKey(first?.path ?? []);
  const got = valueAt(input, first?.path ?? []);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new BerthError(
    'INVALID_INPUT',
    `Invalid run settings: ${field}: ${first?.message ?? 'invalid'}${shown}${more}.`,
    fixFor(field),
    fields,
  );
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return typeof value === 'object' ? undefined : value;
}
