/**
 * Secret values never leave the build: the model (and so the UI and the record) carries BuildKit secret ids
 * with masked values, and any text the engine sends back (a step printing the secret) is masked. The same
 * rule masks secret-looking build args in records and traces (records.ts, insight/build-trace.ts).
 *
 * The rule, whatever a value's length:
 * - a value of MIN_MASKED_IN_TEXT characters or more is masked wherever it appears in any text;
 * - a shorter one is masked only where it is known to be that value, so unrelated text is not mangled (a
 *   two-letter value would otherwise eat every word that contains it): a text that is exactly the value
 *   (spaces around aside), and, for a named value (a build arg), `NAME=value` with the value ending there
 *   (quoted or not), as the legacy builder and BuildKit write build args into step and error text.
 */
import { type BuildModel, type BuildRequest, MASKED } from '../../contract';

/** Values this long or longer are masked anywhere in free text; shorter ones only at known positions. */
export const MIN_MASKED_IN_TEXT = 4;

/** A value to mask; `name` is the build arg that holds it (BuildKit secrets have none that text shows). */
export interface SecretValue {
  name?: string;
  value: string;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A function that masks the values in one text (see the rule above); null when there is nothing to mask. */
export function textMasker(secrets: readonly SecretValue[]): ((text: string) => string) | null {
  const present = secrets.filter((s) => s.value !== '' && s.value !== MASKED);
  if (present.length === 0) return null;
  // Longest first, so a value that contains another is masked whole.
  const anywhere = present
    .filter((s) => s.value.length >= MIN_MASKED_IN_TEXT)
    .map((s) => s.value)
    .sort((a, b) => b.length - a.length);
  const short = present.filter((s) => s.value.length < MIN_MASKED_IN_TEXT);
  const exact = new Set(short.map((s) => s.value));
  const assignments = short
    .filter((s): s is Required<SecretValue> => !!s.name)
    .map(
      (s) =>
        new RegExp(
          `(?<![\\w$])(${escapeRegExp(s.name)}=)(["']?)${escapeRegExp(s.value)}\\2(?=$|[\\s"'\`;&|)\\\\])`,
          'g',
        ),
    );
  return (text) => {
    if (exact.has(text.trim())) return text.replace(text.trim(), MASKED);
    let masked = anywhere.reduce((result, secret) => result.split(secret).join(MASKED), text);
    for (const pattern of assignments) masked = masked.replace(pattern, `$1$2${MASKED}$2`);
    return masked;
  };
}

/** Masks the values in every string of `value` (objects and arrays walked), by the rule above. */
export function maskStrings<T>(value: T, secrets: readonly SecretValue[]): T {
  const maskText = textMasker(secrets);
  if (!maskText) return value;
  const walk = (inner: unknown): unknown => {
    if (typeof inner === 'string') return maskText(inner);
    if (Array.isArray(inner)) return inner.map(walk);
    if (inner && typeof inner === 'object') {
      return Object.fromEntries(Object.entries(inner).map(([key, item]) => [key, walk(item)]));
    }
    return inner;
  };
  return walk(value) as T;
}

/** The request as the model shows it: each secret's id with its value masked. */
export function maskedRequest(request: BuildRequest): BuildRequest {
  return { ...request, secrets: request.secrets.map(({ id }) => ({ id, value: MASKED })) };
}

/** Masks the values in every string of the model (its request is left as is). */
export function maskValuesInModel(model: BuildModel, secrets: readonly SecretValue[]): BuildModel {
  return { ...maskStrings({ ...model, request: null }, secrets), request: model.request };
}
