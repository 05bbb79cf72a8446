/**
 * The connection to the Docker engine: which engine (context), whether it answers, and a dockerode
 * client for everything else. When the engine does not answer, the status says so with an
 * ENGINE_UNREACHABLE error naming the address and the fix, and the engine retries on its own (back-off
 * up to a second); subscribers hear when it comes back. No electron import: runs under plain Node.
 */
import type Dockerode from 'dockerode';
import type { BerthError, EngineContext, EngineStatus } from '../../contract';
import { toBerthError, unreachable } from '../errors';
import { supportsBuildkit } from './builder-support';
import { dockerConfigDir } from './context-store';
import { dockerClient } from './docker-client';
import { contextEndpoint, defaultEndpoint, type EngineEndpoint, listContexts, resolveEndpoint } from './endpoint';
import type { EngineHandle } from './engine-handle';

type Env = Record<string, string | undefined>;

export interface EngineOptions {
  /** the environment to resolve DOCKER_HOST etc. from; defaults to process.env */
  env?: Env;
  /** the docker config folder; defaults to $DOCKER_CONFIG or ~/.docker */
  configDir?: string;
  /** how often to ping while connected, to notice the engine going away (ms) */
  heartbeatMs?: number;
  /** the longest wait between reconnection attempts (ms) */
  maxRetryMs?: number;
  /** how long a ping may take before the engine counts as unreachable (ms) */
  pingTimeoutMs?: number;
  /** labels put on every image and container Berth creates through this engine (a test suite marks its own) */
  labels?: Readonly<Record<string, string>>;
}

export type StatusListener = (status: EngineStatus) => void;

const FIRST_RETRY_MS = 250;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class Engine implements EngineHandle {
  private readonly env: Env;
  private readonly configDir: string;
  private readonly heartbeatMs: number;
  private readonly maxRetryMs: number;
  private readonly pingTimeoutMs: number;
  /** Labels put on every image and container Berth creates through this engine. */
  readonly labels: Readonly<Record<string, string>>;
  private target: EngineEndpoint;
  private client: Dockerode;
  /** why the configured engine could not be used (e.g. DOCKER_CONTEXT names a missing context) */
  private setupError: BerthError | undefined;
  private last: EngineStatus;
  private readonly listeners = new Set<StatusListener>();
  private inflight: Promise<EngineStatus> | undefined;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private retryMs = 0;
  private closed = false;

  constructor(options: EngineOptions = {}) {
    this.env = options.env ?? process.env;
    this.configDir = options.configDir ?? dockerConfigDir(this.env);
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    // At most a second between attempts: Berth must be back within 3 s of the engine answering again.
    this.maxRetryMs = options.maxRetryMs ?? 1000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.labels = { ...options.labels };
    try {
      this.target = resolveEndpoint(this.env, this.configDir);
      this.client = dockerClient(this.target, this.env);
    } catch (error) {
      this.setupError = toBerthError(error, 'the configured engine');
      this.target = defaultEndpoint({}, this.configDir);
      this.client = dockerClient(this.target, {});
    }
    this.last = this.baseStatus('connecting');
    this.schedule(0);
  }

  /** The dockerode client for the current context; a new one after useContext. */
  get docker(): Dockerode {
    return this.client;
  }
  /** The current engine address, e.g. unix:///var/run/docker.sock */
  get endpoint(): string {
    return this.target.host;
  }
  /** The current docker context name; "default" when none. */
  get context(): string {
    return this.target.context;
  }

  /** The last known status, without asking the engine. */
  current(): EngineStatus {
    return this.last;
  }

  /** Pings the engine now and returns its status; never rejects. */
  status(): Promise<EngineStatus> {
    if (this.inflight) return this.inflight;
    const generation = this.generation;
    const run = this.probe().then((status) => {
      if (this.inflight === run) this.inflight = undefined;
      if (generation !== this.generation || this.closed) return status;
      this.publish(status);
      this.schedule(status.state === 'connected' ? this.heartbeatMs : this.nextRetry());
      return status;
    });
    this.inflight = run;
    return run;
  }

  /** "default" plus the docker CLI's stored contexts, marking the current one. */
  async contexts(): Promise<EngineContext[]> {
    return listContexts(this.env, this.configDir, this.context);
  }

  /** Switches to another docker context in this process only (config.json is not touched). */
  async useContext(name: string): Promise<EngineStatus> {
    const target = contextEndpoint(this.env, this.configDir, name, 'chosen');
    const client = dockerClient(target, this.env);
    this.target = target;
    this.client = client;
    this.setupError = undefined;
    this.generation += 1;
    this.inflight = undefined;
    this.retryMs = 0;
    this.publish(this.baseStatus('connecting'));
    return this.status();
  }

  /** Calls `listener` on every change of connection state; returns the function that unsubscribes. */
  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops retrying and pinging, and forgets every subscriber. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.listeners.clear();
  }

  private baseStatus(state: EngineStatus['state']): EngineStatus {
    return { state, endpoint: this.endpoint, context: this.context, buildkit: null };
  }

  private async probe(): Promise<EngineStatus> {
    if (this.setupError) return { ...this.baseStatus('disconnected'), error: this.setupError.toShape() };
    const client = this.client;
    try {
      const [, v] = await withTimeout(Promise.all([client.ping(), client.version()]), this.pingTimeoutMs);
      return {
        ...this.baseStatus('connected'),
        version: v.Version,
        apiVersion: v.ApiVersion,
        os: v.Os,
        arch: v.Arch,
        buildkit: supportsBuildkit(v.ApiVersion, v.Os),
      };
    } catch (cause) {
      const answered = typeof (cause as { statusCode?: unknown }).statusCode === 'number';
      const error = answered ? toBerthError(cause, this.endpoint) : unreachable(this.endpoint, cause);
      return { ...this.baseStatus('disconnected'), error: error.toShape() };
    }
  }

  private nextRetry(): number {
    this.retryMs = Math.min(Math.max(this.retryMs * 2, FIRST_RETRY_MS), this.maxRetryMs);
    return this.retryMs;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    this.timer = setTimeout(() => void this.status(), ms);
    this.timer.unref();
  }

  private publish(status: EngineStatus): void {
    const changed = JSON.stringify(status) !== JSON.stringify(this.last);
    this.last = status;
    if (status.state === 'connected') this.retryMs = 0;
    if (!changed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(status);
      } catch {
        // a failing subscriber must not stop the others
      }
    }
  }
}
