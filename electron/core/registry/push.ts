/**
 * One push of a local image to a registry: checking (the source exists, the credentials work) →
 * tagging (when the target differs from the source) → pushing → succeeded or failed.
 * Emits the contract's PushModel on every change; `done` resolves with the final model, never rejects.
 */
import { randomUUID } from 'node:crypto';
import {
  BerthError,
  checkNamespace,
  invalidInput,
  isAmbiguousTagName,
  JsonLines,
  type LoginSource,
  normalizeRegistry,
  type PushModel,
  PushRequest,
  parseImageReference,
  registryHost,
  repositoryPage,
  type TagPush,
} from '../../contract';
import type { EngineHandle } from '../engine/engine-handle';
import { pushQueryFor } from '../engine/podman';
import { engineAnswers } from '../engine-check';
import { engineMessage, toBerthError, unreachable } from '../errors';
import { authConfigFor, type RegistryCredentials } from './credentials';
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

/** A login for the push: typed for this push, or found by a LoginLookup (with its source). Holds the secret. */
export type PushLogin = RegistryCredentials & { identityToken?: string; source?: LoginSource };

/** Where a push finds the login for a registry (RegistryLogins, or Berth's CredentialStore alone). */
export interface LoginLookup {
  load(registry: string): Promise<PushLogin | undefined>;
}

export interface PushSetup {
  engine: EngineHandle;
  /** Validated by startPush: INVALID_INPUT with the fields at fault. */
  request: PushRequest;
  /** Overrides `request.credentials`. */
  credentials?: RegistryCredentials;
  /** Where saved logins are looked up when neither `credentials` nor the request carries any. */
  store?: LoginLookup;
  pushId?: string;
}

interface ValidSetup {
  engine: EngineHandle;
  request: PushRequest;
  credentials: PushLogin | Promise<PushLogin | undefined> | undefined;
  pushId?: string;
}

export type PushListener = (model: PushModel) => void;

export class Push {
  readonly pushId: string;
  readonly done: Promise<PushModel>;
  private model: PushModel;
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

    // A helper that fails or hangs fails the push with its own error, rather than a silent anonymous push.
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
      this.update({ ...this.model, login: { username: login.username, source: login.source ?? 'typed' } });
    }
    const namespace = namespaceRefusal(target, login?.username || null, request.allowOtherNamespace === true);
    if (namespace) return this.fail(namespace);
    if (login) {
      const checked = await checkCredentials(engine, login).then(
        () => undefined,
        (error: BerthError) => error,
      );
      if (checked) return this.fail(checked);
    }

    const tags = [tag, ...(request.alsoTags ?? []).filter((t) => t !== tag)];
    const targets = tags.map((t) => `${repository}:${t}`);
    this.update({
      ...this.model,
      tags: targets.map((t) => ({ target: t, state: 'waiting', digest: null, pushed: 0, existing: 0 })),
    });
    const toTag = tags.filter((_t, i) => i > 0 || source !== target);
    if (toTag.length > 0) {
      this.update({ ...this.model, state: 'tagging' });
      for (const t of toTag) {
        if (`${repository}:${t}` === source) continue;
        const tagged = await docker
          .getImage(source)
          .tag({ repo: repository, tag: t })
          .then(
            () => undefined,
            (error: unknown) => asMissing(error, source, endpoint),
          );
        if (tagged) return this.fail(tagged);
      }
    }

    this.update({ ...this.model, state: 'pushing' });
    let first: DigestProof | null = null;
    // One tag after another: the second finds the first's layers in the registry ("Layer already exists").
    for (const [index, t] of tags.entries()) {
      const proof = await this.pushTag(engine, repository, t, index, source, login);
      if (!proof) return;
      first ??= proof;
    }
    if (!first) return;
    this.update({
      ...this.model,
      state: 'succeeded',
      digest: first.digest,
      size: first.size,
      page: repositoryPage(target),
    });
  }

  /** Pushes one tag, folding its stream into the model; its digest, or null once the push has failed. */
  private async pushTag(
    engine: EngineHandle,
    repository: string,
    tag: string,
    index: number,
    source: string,
    login: PushLogin | undefined,
  ): Promise<DigestProof | null> {
    const { docker, endpoint } = engine;
    const target = `${repository}:${tag}`;
    let progress: PushProgress = {
      model: { ...newPushModel(this.pushId, target), state: 'pushing' },
      proof: null,
    };
    const show = (entry: Partial<TagPush>) => {
      const layers = progress.model.layers;
      const tags = (this.model.tags ?? []).map((t, i) =>
        i === index
          ? {
              ...t,
              ...entry,
              pushed: layers.filter((l) => l.status === 'pushed').length,
              existing: layers.filter((l) => l.status === 'exists').length,
            }
          : t,
      );
      this.update({ ...this.model, layers, tags });
    };
    const failTag = (error: BerthError): null => {
      show({ state: 'failed' });
      this.fail(error);
      return null;
    };
    show({ state: 'pushing' });
    // authconfig is always sent, `{}` without credentials: the engine answers 400 without X-Registry-Auth.
    const stream = await docker
      .getImage(repository)
      .push({ tag, authconfig: authConfigFor(login), ...(await pushQueryFor(engine, registryHost(target))) })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode === undefined || error.statusCode === 404) throw asMissing(error, source, endpoint);
        throw pushFailure(engineMessage(error), target, source);
      });
    const lines = new JsonLines<PushStreamEvent>();
    const fold = (events: PushStreamEvent[]) => {
      const before = progress.model;
      for (const event of events) progress = foldPushEvent(progress, event, source);
      if (progress.model !== before) show({});
    };
    try {
      // Read to the end even after an error line, as the engine sends it: later lines change nothing.
      for await (const chunk of stream) fold(lines.push(chunk as Uint8Array | string));
      fold(lines.end());
    } catch (error) {
      return failTag(
        (await engineAnswers(docker))
          ? new BerthError(
              'PUSH_FAILED',
              `The push stream from the engine broke off: ${(error as Error).message ?? String(error)}`,
              'Check that the Docker engine is still running, then push again.',
            )
          : engineLost(endpoint, target, error),
      );
    }
    if (progress.model.failure) return failTag(BerthError.fromShape(progress.model.failure));
    if (!progress.proof && !(await engineAnswers(docker))) {
      return failTag(engineLost(endpoint, target, 'the push stream ended early'));
    }
    const done = finishPush(
      progress,
      () =>
        new BerthError(
          'PUSH_FAILED',
          `The push of "${target}" to ${registryHost(target)} ended without a digest, so it cannot be confirmed.`,
          'Push again; if it keeps happening, check the registry log.',
        ),
    );
    if (done.failure) return failTag(BerthError.fromShape(done.failure));
    show({ state: 'succeeded', digest: done.digest });
    return progress.proof;
  }
}

/**
 * The namespace check before anything reaches the registry: INVALID_INPUT (on `target`, with the retag in
 * the fix) when the target's namespace is not the logged-in user's, unless the user said to push anyway.
 */
function namespaceRefusal(target: string, username: string | null, allowed: boolean): BerthError | undefined {
  const check = checkNamespace(target, username);
  if (allowed || (check.verdict !== 'not-yours' && check.verdict !== 'official')) return undefined;
  const retag = check.retag
    ? `Push it as "${check.retag}" instead (the Ship view offers that retag)`
    : 'Pick a target under your own name';
  const anyway =
    check.verdict === 'not-yours'
      ? `, or push anyway if "${check.namespace}" is an organisation or group you may write to`
      : '';
  return new BerthError('INVALID_INPUT', `Nothing was pushed. ${check.message}`, `${retag}${anyway}.`, {
    target: [`the namespace "${check.namespace}" is not "${username}"`],
  });
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
    credentials: given ?? store?.load(registryHost(parsed.data.target)),
    ...(pushId !== undefined && { pushId }),
  });
}
