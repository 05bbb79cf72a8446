/**
 * The push progress fold: the engine's push stream, one JSON event at a time, into the contract's
 * PushModel. Pure, so recorded streams replay through it in unit tests.
 *
 * Success needs proof: a digest (`aux.Digest`, or the "tag: digest: sha256:... size: N" status).
 * Every `error`/`errorDetail` line is a failure, whatever the HTTP status of the stream said.
 */
import { StringDecoder } from 'node:string_decoder';
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

const DIGEST_STATUS = /digest: (sha256:[a-f0-9]{64}) size: (\d+)/;
const FINISHED_LAYER = new Set<PushLayer['status']>(['pushed', 'exists']);

export function newPushModel(pushId: string, target: string): PushModel {
  return { pushId, target, state: 'checking', layers: [], digest: null, size: null, failure: null };
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

/** Ends the push as failed with `error`; layers still under way are marked failed. */
export function failPush(model: PushModel, error: BerthError): PushModel {
  if (isOver(model)) return model;
  return {
    ...model,
    state: 'failed',
    layers: model.layers.map((layer) => (FINISHED_LAYER.has(layer.status) ? layer : { ...layer, status: 'failed' })),
    failure: error.toShape(),
  };
}

/** Folds one stream event. `source` names the local image in "no such image" failures. */
export function foldPushEvent(model: PushModel, event: PushStreamEvent, source?: string): PushModel {
  if (isOver(model)) return model;
  const errorMessage = event.error ?? event.errorDetail?.message;
  if (errorMessage !== undefined) {
    return failPush(model, pushFailure(errorMessage || 'the engine reported an empty error', model.target, source));
  }
  let next: PushModel = model.state === 'pushing' ? model : { ...model, state: 'pushing' };
  if (event.id && event.status && layerStatus(event.status)) {
    next = { ...next, layers: foldLayer(next.layers, event.id, event) };
  }
  const fromStatus = event.status ? DIGEST_STATUS.exec(event.status) : null;
  if (fromStatus) next = { ...next, digest: fromStatus[1] ?? null, size: Number(fromStatus[2]) };
  if (event.aux?.Digest) {
    next = { ...next, digest: event.aux.Digest, size: event.aux.Size ?? next.size };
  }
  return next;
}

/** The stream ended: succeeded only with a digest; a stream that ends without one is a failure. */
export function finishPush(model: PushModel, noDigest: () => BerthError): PushModel {
  if (isOver(model)) return model;
  if (model.digest) return { ...model, state: 'succeeded' };
  return failPush(model, noDigest());
}

/** Splits a byte stream into JSON events; lines that are not JSON objects are skipped. */
export class PushStreamDecoder {
  private pending = '';
  private readonly utf8 = new StringDecoder('utf8');

  write(chunk: Buffer | string): PushStreamEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap(parseLine);
  }

  end(): PushStreamEvent[] {
    const rest = (this.pending + this.utf8.end()).split('\n').flatMap(parseLine);
    this.pending = '';
    return rest;
  }
}

function parseLine(line: string): PushStreamEvent[] {
  const text = line.trim();
  if (!text) return [];
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? [value as PushStreamEvent] : [];
  } catch {
    return [];
  }
}
