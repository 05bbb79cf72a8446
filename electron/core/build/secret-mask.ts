/**
 * BuildKit secret values never leave the build: the model (and so the UI and the record) carries the
 * secret ids with masked values, and any text the engine sends back (a step printing the secret) is masked.
 */
import { type BuildModel, type BuildRequest, MASKED } from '../../contract';

/** Values this short are not masked in free text: that would garble every message (they still never go out as values). */
const MIN_MASKED_IN_TEXT = 4;

/** The request as the model shows it: each secret's id with its value masked. */
export function maskedRequest(request: BuildRequest): BuildRequest {
  return { ...request, secrets: request.secrets.map(({ id }) => ({ id, value: MASKED })) };
}

/** Replaces every occurrence of the values in every string of the model (its request is left as is). */
export function maskValuesInModel(model: BuildModel, values: readonly string[]): BuildModel {
  // Longest first, so a value that contains another is masked whole.
  const inText = values.filter((v) => v.length >= MIN_MASKED_IN_TEXT).sort((a, b) => b.length - a.length);
  if (inText.length === 0) return model;
  const mask = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.length < inText.at(-1)!.length
        ? value
        : inText.reduce((text, secret) => text.split(secret).join(MASKED), value);
    if (Array.isArray(value)) return value.map(mask);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mask(inner)]));
    }
    return value;
  };
  return { ...(mask({ ...model, request: null }) as BuildModel), request: model.request };
}
