/**
 * The connection to the Docker engine: which engine (context), whether it answers, and a dockerode
 * client for everything else. When the engine does not answer, the status says so with an
 * ENGINE_UNREACHABLE error naming the address and the fix, and the engine retries on its own (back-off
 * up to a second); subscribers hear when it comes back. No electron import: runs under plain Node.
 */
import type Dockerode from 'dockerode';
import type { BerthError, EngineContext, EngineStatus, NewEngine, PortReach } from '../../contract';
import { toBerthError } from '../errors';
import { buildkitMissingReason, engineCapabilities, type InfoAnswer, type VersionAnswer } from './builder-support';
import { connectionError } from './connection-errors';
import { dockerConfigDir, readContext } from './context-store';
import { writeContext } from './context-writer';
import { closeDockerClient, dockerClient } from './docker-client';
import { contextEndpoint, defaultEndpoint, type EngineEndpoint, listContexts, resolveEndpoint } from './endpoint';
import type { EngineChoice } from './engine-choice';
import { type EngineHandle, engineIsLocal } from './engine-handle';
import { portReach } from './port-reach';

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
  /** where the user's choice of context is remembered; it wins over DOCKER_HOST and the CLI's current context */
  choice?: EngineChoice;
}

export type StatusListener = (status: EngineStatus) => void;

const FIRST_RETRY_MS = 250;

/** `-p 2222 me@box` for ssh://me@box:2222: what `ssh` needs to reach the engine's host; undefined for others. */
function sshArguments(host: string): string | undefined {
  if (!host.startsWith('ssh://')) return undefined;
  try {
    const url = new URL(host);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `${url.port ? `-p ${url.port} ` : ''}${user}${url.hostname.replace(/^\[|\]$/g, '')}`;
  } catch {
    return undefined;
  }
}

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
  private readonly choice: EngineChoice | undefined;
  private readonly switchListeners = new Set<() => void>();

  constructor(options: EngineOptions = {}) {
    this.env = options.env ?? process.env;
    this.configDir = options.configDir ?? dockerConfigDir(this.env);
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    // At most a second between attempts: Berth must be back within 3 s of the engine answering again.
    this.maxRetryMs = options.maxRetryMs ?? 1000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.labels = { ...options.labels };
    this.choice = options.choice;
    const remembered = this.choice?.read();
    const chosen =
      remembered && (remembered === 'default' || readContext(this.configDir, remembered)) ? remembered : undefined;
    try {
      this.target = resolveEndpoint(this.env, this.configDir, chosen);
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
  /** Changes with every switch of context, even to one at the same address: streams of the old one end. */
  get connectionKey(): string {
    return `${this.generation}:${this.target.host}`;
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

  /**
   * Switches to another docker context (config.json is not touched) and remembers the choice. Whatever
   * streams from the old engine (logs, events) is told to stop through onSwitch.
   */
  async useContext(name: string): Promise<EngineStatus> {
    const target = contextEndpoint(this.env, this.configDir, name, 'chosen');
    const client = dockerClient(target, this.env);
    // The old engine's SSH connections end here: its streams are told to stop just below anyway.
    closeDockerClient(this.client);
    this.target = target;
    this.client = client;
    this.setupError = undefined;
    this.generation += 1;
    this.inflight = undefined;
    this.retryMs = 0;
    this.choice?.write(name);
    for (const listener of [...this.switchListeners]) {
      try {
        listener();
      } catch {
        // a failing listener must not stop the others
      }
    }
    this.publish(this.baseStatus('connecting'));
    return this.status();
  }

  /** Saves a new docker context in the CLI's format (not switching to it) and returns it as listed. */
  async addContext(engine: NewEngine): Promise<EngineContext> {
    writeContext(this.configDir, engine);
    const added = listContexts(this.env, this.configDir, this.context).find((c) => c.name === engine.name);
    if (!added) throw new Error(`the context "${engine.name}" was written but cannot be read back`);
    return added;
  }

  /**
   * Whether a host port the engine publishes answers at the engine's host from here. A local engine's ports
   * are on this machine and are not probed; a remote one's are tried with one TCP connection.
   */
  async portReachable(port: number): Promise<PortReach> {
    const host = this.portHost();
    if (engineIsLocal(this.target.host)) return { host, port, reachable: true };
    return portReach(host, port, sshArguments(this.target.host));
  }

  /** Calls `listener` when the user switches to another context; returns the function that unsubscribes. */
  onSwitch(listener: () => void): () => void {
    this.switchListeners.add(listener);
    return () => this.switchListeners.delete(listener);
  }

  /** Calls `listener` on every change of connection state; returns the function that unsubscribes. */
  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops retrying and pinging, forgets every subscriber, and ends the engine's SSH connections (if any). */
  close(): void {
    this.closed = true;
    closeDockerClient(this.client);
    clearTimeout(this.timer);
    this.listeners.clear();
    this.switchListeners.clear();
  }

  private baseStatus(state: EngineStatus['state']): EngineStatus {
    return { state, endpoint: this.endpoint, context: this.context, buildkit: null, portHost: this.portHost() };
  }

  /** Where a port published on all interfaces answers: here for a local engine, else the engine's host. */
  private portHost(): string {
    if (engineIsLocal(this.target.host)) return '127.0.0.1';
    const url = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(this.target.host);
    return url?.[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1';
  }

  private async probe(): Promise<EngineStatus> {
    if (this.setupError) return { ...this.baseStatus('disconnected'), error: this.setupError.toShape() };
    const client = this.client;
    try {
      const [, v, info] = await withTimeout(
        Promise.all([client.ping(), client.version(), client.info().catch(() => undefined)]),
        this.pingTimeoutMs,
      );
      const version = v as VersionAnswer;
      const capabilities = engineCapabilities(version, info as InfoAnswer | undefined);
      const missing = buildkitMissingReason(version);
      return {
        ...this.baseStatus('connected'),
        version: v.Version,
        apiVersion: v.ApiVersion,
        os: v.Os,
        arch: v.Arch,
        ...capabilities,
        ...(missing && { buildkitMissing: missing }),
      };
    } catch (cause) {
      const answered = typeof (cause as { statusCode?: unknown }).statusCode === 'number';
      const error = answered ? toBerthError(cause, this.endpoint) : connectionError(this.target, cause);
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
