/**
 * Runs pushes by id for the contract's 'push.start' / 'push.get' procedures and 'push' stream.
 * Credentials come from the call, the request, or the CredentialStore for the target's registry.
 */
import type Dockerode from 'dockerode';
import { BerthError, invalidInput, type PushModel, PushRequest, registryHost } from '../../contract';
import type { CredentialStore, RegistryCredentials } from './credentials';
import { Push, type PushListener } from './push';

/** Finished pushes kept for `get` and late subscribers; older ones are dropped first. */
const FINISHED_KEPT = 50;

export class PushRunner {
  private readonly pushes = new Map<string, Push>();

  constructor(
    private readonly docker: Dockerode,
    private readonly endpoint: string,
    private readonly store?: CredentialStore,
  ) {}

  /** Validates the request and starts the push; returns its id at once. */
  start(request: PushRequest, credentials?: RegistryCredentials): string {
    const parsed = PushRequest.safeParse(request);
    if (!parsed.success) throw invalidInput('push request', parsed.error.issues);
    const given = credentials ?? parsed.data.credentials;
    const push = new Push({
      docker: this.docker,
      endpoint: this.endpoint,
      request: parsed.data,
      credentials: given ?? this.store?.load(registryHost(parsed.data.target)).catch(() => undefined),
    });
    this.pushes.set(push.pushId, push);
    void push.done.then(() => this.forgetOldest());
    return push.pushId;
  }

  get(pushId: string): PushModel {
    return this.find(pushId).current();
  }

  /** The push itself, e.g. to await `done`. */
  push(pushId: string): Push {
    return this.find(pushId);
  }

  /** Sends the current model at once, then every change; returns the function that ends it. */
  subscribe(pushId: string, listener: PushListener): () => void {
    const push = this.find(pushId);
    const stop = push.onChange(listener);
    listener(push.current());
    return stop;
  }

  private find(pushId: string): Push {
    const push = this.pushes.get(pushId);
    if (!push) {
      throw new BerthError(
        'NOT_FOUND',
        `No push with id "${pushId}".`,
        'Start the push again; old pushes are forgotten.',
      );
    }
    return push;
  }

  private forgetOldest(): void {
    const finished = [...this.pushes.values()].filter((p) => ['succeeded', 'failed'].includes(p.current().state));
    for (const push of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) {
      this.pushes.delete(push.pushId);
    }
  }
}
