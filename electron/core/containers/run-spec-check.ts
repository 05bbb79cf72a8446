import type { z } from 'zod';
import { BerthError, RunSpec } from '../../contract';

/** A dotted field path as the UI shows it: `ports[0].hostPort`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)),
    '',
  );
}

function fixFor(field: string): string {
  if (/Port$/.test(field)) return `Set ${field} to a whole number between 1 and 65535, e.g. 8080.`;
  if (field === 'image') return 'Use a lowercase image reference such as notas-iv:latest or user/app:1.0.';
  if (field === 'name') return 'Use letters, digits, _ . - starting with a letter or digit, or leave the name empty.';
  if (field.endsWith('hostIp')) return 'Use 127.0.0.1 (this machine only) or 0.0.0.0 (all addresses).';
  if (field.startsWith('env')) return 'Env names must not contain "=" and values must be text.';
  if (field.startsWith('volumes'))
    return 'Give a volume name or an absolute host path, and an absolute container path.';
  return `Correct ${field || 'the run settings'} and try again.`;
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

function invalid(issues: ReadonlyArray<Pick<z.core.$ZodIssue, 'path' | 'message'>>, input: unknown): BerthError {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = fieldName(issue.path);
    fields[field] = [...(fields[field] ?? []), issue.message];
  }
  const [first] = issues;
  const field = fieldName(first?.path ?? []);
  const got = valueAt(input, first?.path ?? []);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new BerthError(
    'INVALID_INPUT',
    `Invalid run settings: ${field || 'settings'}: ${first?.message ?? 'invalid'}${shown}${more}.`,
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
