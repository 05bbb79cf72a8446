/**
 * One push of a local image to a registry: checking (the source exists, the credentials work) →
 * tagging (when the target differs from the source) → pushing → succeeded or failed.
 * Emits the contract's PushModel on every change; `done` resolves with the final model, never rejects.
 */
import { randomUUID } from 'node:crypto';
import {
  BerthError,
  invalidInput,
  isAmbiguousTagName,
  JsonLines,
  normalizeRegistry,
  type PushModel,
  PushRequest,
  parseImageReference,
  registryHost,
} from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { engineAnswers } from '../engine-check';
import { engineMessage, toBerthError, unreachable } from '../errors';
import { authConfigFor, type CredentialStore, type RegistryCredentials } from './credentials';
import { missingImage, pushFailure } from './failures';
import { checkCredentials } from './login';
import {
  type DigestProof,
  failPush,
  finishPush,
  foldPushEvent,
  newPushModel,
  type PushProgress,
  type PushStreamEvent,
} from './push-progress';

export interface PushSetup {
  engine: EngineHandle;
  /** Validated by startPush: INVALID_INPUT with the fields at fault. */
  request: PushRequest;
  /** Overrides `request.credentials`. */
  credentials?: RegistryCredentials;
  /** Where saved logins are looked up when neither `credentials` nor the request carries any. */
  store?: CredentialStore;
  pushId?: string;
}

interface ValidSetup {
  engine: EngineHandle;
  request: PushRequest;
  credentials: RegistryCredentials | Promise<RegistryCredentials | undefined> | undefined;
  pushId?: string;
}

export type PushListener = (model: PushModel) => void;

export class Push {
  readonly pushId: string;
  readonly done: Promise<PushModel>;
  private model: PushModel;
  /** The digest the stream has sent so far; it goes into the model only when the push succeeds. */
  private proof: DigestProof | null = null;
  private readonly listeners = new Set<PushListener>();

  constructor(setup: ValidSetup) {
    this.pushId = setup.pushId ?? randomUUID();
    this.model = newPushModel(this.pushId, setup.request.target);
    this.done = this.run(setup).then(
      () => this.model,
      (error: unknown) => this.update(failPush(this.model, toBerthError(error, setup.engine.endpoint))),
    );
  }

  /** The same as pushId: what the JobRunner keys jobs by. */
  get id(): string {
    return this.pushId;
  }

  current(): PushModel {
    return this.model;
  }

  /** Calls `listener` with each new model; returns the function that stops it. */
  onChange(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(next: PushModel): PushModel {
    if (next === this.model) return next;
    this.model = next;
    for (const listener of this.listeners) {
      try {
        listener(next);
      } catch {
        // a failing subscriber must not stop the push or the other subscribers
      }
    }
    return next;
  }

  private fail(error: BerthError): void {
    this.proof = null;
    this.update(failPush(this.model, error));
  }

  private async run({ engine, request, credentials }: ValidSetup): Promise<void> {
    const { docker, endpoint } = engine;
    const { source, target } = request;
    const reference = parseImageReference(target);
    // An image id (sha256:<hex>) is an ImageRef, but reads as the name sha256, which the engine never tags.
    if (!reference || isAmbiguousTagName(reference)) {
      return this.fail(
        new BerthError('INVALID_INPUT', `"${target}" is not an image reference.`, 'Use [host[:port]/]name:tag.', {
          target: ['use [host[:port]/]name:tag'],
        }),
      );
    }
    const { repository, digest } = reference;
    const tag = reference.tag ?? 'latest';
    if (digest) {
      return this.fail(
        new BerthError('INVALID_INPUT', `The target "${target}" pins a digest; a push needs a tag.`, 'Use name:tag.', {
          target: ['use name:tag, without @sha256:...'],
        }),
      );
    }
    const found = await docker
      .getImage(source)
      .inspect()
      .then(
        () => undefined,
        (error: unknown) => asMissing(error, source, endpoint),
      );
    if (found) return this.fail(found);

    const login = await credentials;
    const registry = registryHost(target);
    if (login) {
      if (normalizeRegistry(login.registry) !== registry) {
        return this.fail(
          new BerthError(
            'INVALID_INPUT',
            `The credentials are for ${login.registry}, but "${target}" goes to ${registry}.`,
            `Give credentials for ${registry}, or a target on ${login.registry}.`,
            { credentials: [`expected credentials for ${registry}`] },
          ),
        );
      }
      const checked = await checkCredentials(engine, login).then(
        () => undefined,
        (error: BerthError) => error,
      );
      if (checked) return this.fail(checked);
    }

    if (source !== target) {
      this.update({ ...this.model, state: 'tagging' });
      const tagged = await docker
        .getImage(source)
        .tag({ repo: repository, tag })
        .then(
          () => undefined,
          (error: unknown) => asMissing(error, source, endpoint),
        );
      if (tagged) return this.fail(tagged);
    }

    this.update({ ...this.model, state: 'pushing' });
    // authconfig is always sent, `{}` without credentials: the engine answers 400 without X-Registry-Auth.
    const stream = await docker
      .getImage(repository)
      .push({ tag, authconfig: authConfigFor(login) })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode === undefined || error.statusCode === 404) throw asMissing(error, source, endpoint);
        throw pushFailure(engineMessage(error), target, source);
      });
    const lines = new JsonLines<PushStreamEvent>();
    const fold = (events: PushStreamEvent[]) => {
      let next: PushProgress = { model: this.model, proof: this.proof };
      for (const event of events) next = foldPushEvent(next, event, source);
      this.proof = next.proof;
      this.update(next.model);
    };
    try {
      for await (const chunk of stream) fold(lines.push(chunk as Uint8Array | string));
      fold(lines.end());
    } catch (error) {
      return this.fail(
        (await engineAnswers(docker))
          ? new BerthError(
              'PUSH_FAILED',
              `The push stream from the engine broke off: ${(error as Error).message ?? String(error)}`,
              'Check that the Docker engine is still running, then push again.',
            )
          : engineLost(endpoint, target, error),
      );
    }
    if (this.model.state === 'pushing' && !this.proof && !(await engineAnswers(docker))) {
      return this.fail(engineLost(endpoint, target, 'the push stream ended early'));
    }
    this.update(
      finishPush(
        { model: this.model, proof: this.proof },
        () =>
          new BerthError(
            'PUSH_FAILED',
            `The push of "${target}" to ${registry} ended without a digest, so it cannot be confirmed.`,
            'Push again; if it keeps happening, check the registry log.',
          ),
      ),
    );
  }
}

/** The engine stopped answering in the middle of a push. */
function engineLost(endpoint: string, target: string, cause: unknown): BerthError {
  const detail = unreachable(endpoint, typeof cause === 'string' ? undefined : cause);
  return new BerthError(
    'ENGINE_UNREACHABLE',
    `${detail.message.replace(/\.$/, '')}: it stopped answering in the middle of the push of "${target}", so the push did not finish.`,
    'Wait until the engine answers again (Berth reconnects by itself and shows it), then push again; layers already in the registry are not sent twice.',
  );
}

function asMissing(error: unknown, source: string, endpoint: string): BerthError {
  return (error as { statusCode?: number }).statusCode === 404
    ? missingImage(source)
    : toBerthError(error, endpoint, `image "${source}"`);
}

/**
 * Validates the request (INVALID_INPUT with the fields at fault; nothing starts) and starts pushing right
 * away; follow it with `onChange`, `current()` or `done`. Credentials come from the call, the request, or
 * the store's saved login for the target's registry.
 */
export function startPush({ engine, request, credentials, store, pushId }: PushSetup): Push {
  const parsed = PushRequest.safeParse(request);
  if (!parsed.success) throw invalidInput('push request', parsed.error.issues);
  const given = credentials ?? parsed.data.credentials;
  return new Push({
    engine,
    request: parsed.data,
    credentials: given ?? store?.load(registryHost(parsed.data.target)).catch(() => undefined),
    ...(pushId !== undefined && { pushId }),
  });
}
