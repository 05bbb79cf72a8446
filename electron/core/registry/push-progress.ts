/**
 * The push progress fold: the engine's push stream, one JSON event at a time, into the contract's
 * PushModel. Pure, so recorded streams replay through it in unit tests.
 *
 * Success needs proof: a digest (`aux.Digest`, or the "tag: digest: sha256:... size: N" status). The
 * proof is held beside the model, not in it: the model carries a digest only once the push has
 * succeeded, so a push that fails after the digest arrived never shows one (the contract enforces it).
 *
 * Error lines, decided deliberately (the engine sends them inside an HTTP 200 stream):
 * - a line with a non-null `error` or a non-null `errorDetail` is a failure, whatever else it holds;
 * - its text is the first non-empty of `errorDetail.message` and `error`; without either, the failure
 *   says the engine gave no message and names `errorDetail.code` when there is one;
 * - `"error": null` (or `"errorDetail": null`) is the absence of an error, as an omitted field is.
 */
import type { BerthError, PushLayer, PushModel } from '../../contract';
import { pushFailure } from './failures';

/** One JSON line of `POST /images/{name}/push`. */
export interface PushStreamEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { Tag?: string; Digest?: string; Size?: number };
}

/** What proves a push succeeded: the manifest digest the registry answered with. */
export interface DigestProof {
  digest: string;
  size: number | null;
}

/** The fold's state: the model sent to subscribers, and the proof of success not yet shown in it. */
export interface PushProgress {
  model: PushModel;
  proof: DigestProof | null;
}

const DIGEST_STATUS = /digest: (sha256:[a-f0-9]{64}) size: (\d+)/;
const FINISHED_LAYER = new Set<PushLayer['status']>(['pushed', 'exists']);

export function newPushModel(pushId: string, target: string): PushModel {
  return { pushId, target, state: 'checking', layers: [], digest: null, size: null, failure: null };
}

export function newPushProgress(pushId: string, target: string): PushProgress {
  return { model: newPushModel(pushId, target), proof: null };
}

const isOver = (model: PushModel): boolean => model.state === 'succeeded' || model.state === 'failed';

/** The layer status a stream status means, or undefined for statuses that do not move a layer. */
function layerStatus(status: string): PushLayer['status'] | undefined {
  if (status === 'Preparing') return 'preparing';
  if (status === 'Waiting' || status.startsWith('Retrying')) return 'waiting';
  if (status === 'Pushing') return 'pushing';
  if (status === 'Pushed') return 'pushed';
  if (status === 'Layer already exists' || status.startsWith('Mounted from')) return 'exists';
  return undefined;
}

function foldLayer(layers: PushLayer[], id: string, event: PushStreamEvent): PushLayer[] {
  const status = layerStatus(event.status ?? '');
  const index = layers.findIndex((layer) => layer.id === id);
  const before: PushLayer = layers[index] ?? { id, status: 'waiting', current: 0, total: 0 };
  const after: PushLayer = { ...before, status: status ?? before.status };
  if (status === 'pushing') {
    const total = Math.max(0, event.progressDetail?.total ?? before.total);
    const current = Math.max(0, event.progressDetail?.current ?? before.current);
    // The engine counts bytes sent (compressed) against the layer size: current can pass total.
    after.total = total;
    after.current = total > 0 ? Math.min(current, total) : current;
  } else if (status && FINISHED_LAYER.has(status)) {
    after.current = after.total;
  }
  if (index < 0) return [...layers, after];
  return layers.map((layer, i) => (i === index ? after : layer));
}

/**
 * Ends the push as failed with `error`: layers still under way are marked failed, and any digest is
 * dropped, since a failed push proves nothing about what the registry holds.
 */
export function failPush(model: PushModel, error: BerthError): PushModel {
  if (isOver(model)) return model;
  return {
    ...model,
    state: 'failed',
    layers: model.layers.map((layer) => (FINISHED_LAYER.has(layer.status) ? layer : { ...layer, status: 'failed' })),
    digest: null,
    size: null,
    failure: error.toShape(),
  };
}

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.trim() ? s : undefined;
};

/**
 * The error an event carries, or undefined when it carries none (see the rules at the top of the file).
 * Exported for the unit tests of those rules.
 */
export function streamError(event: PushStreamEvent): string | undefined {
  const raw = event as { error?: unknown; errorDetail?: unknown };
  const hasError = raw.error !== undefined && raw.error !== null;
  const detail = raw.errorDetail !== null && typeof raw.errorDetail === 'object' ? event.errorDetail : undefined;
  const hasDetail = raw.errorDetail !== undefined && raw.errorDetail !== null;
  if (!hasError && !hasDetail) return undefined;
  const message = text(detail?.message) ?? text(raw.error);
  if (message) return message;
  const code = typeof detail?.code === 'number' ? ` (code ${detail.code})` : '';
  return `the engine reported an error without a message${code}`;
}

/** Folds one stream event. `source` names the local image in "no such image" failures. */
export function foldPushEvent(progress: PushProgress, event: PushStreamEvent, source?: string): PushProgress {
  const { model } = progress;
  if (isOver(model)) return progress;
  const error = streamError(event);
  if (error !== undefined) {
    return { model: failPush(model, pushFailure(error, model.target, source)), proof: null };
  }
  let next: PushModel = model.state === 'pushing' ? model : { ...model, state: 'pushing' };
  if (event.id && event.status && layerStatus(event.status)) {
    next = { ...next, layers: foldLayer(next.layers, event.id, event) };
  }
  let proof = progress.proof;
  const fromStatus = event.status ? DIGEST_STATUS.exec(event.status) : null;
  if (fromStatus?.[1]) proof = { digest: fromStatus[1], size: Number(fromStatus[2]) };
  if (typeof event.aux?.Digest === 'string' && event.aux.Digest) {
    proof = { digest: event.aux.Digest, size: event.aux.Size ?? proof?.size ?? null };
  }
  return next === model && proof === progress.proof ? progress : { model: next, proof };
}

/**
 * The stream ended: succeeded, with the digest, only when the stream proved it; a stream that ends
 * without a digest is a failure.
 */
export function finishPush(progress: PushProgress, noDigest: () => BerthError): PushModel {
  const { model, proof } = progress;
  if (isOver(model)) return model;
  if (proof) return { ...model, state: 'succeeded', digest: proof.digest, size: proof.size };
  return failPush(model, noDigest());
}
