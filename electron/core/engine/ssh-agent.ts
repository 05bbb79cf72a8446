/**
 * The transport for ssh:// engines: ONE SSH connection per engine, shared by every request, instead of
 * docker-modem's own ssh transport, which opens a new SSH connection (a full handshake, ~200 ms, and a
 * MaxStartups slot at sshd) for each request. Each HTTP connection to the engine is a new channel on the
 * shared SSH connection running `docker system dial-stdio` on the far side (as the docker CLI does), kept
 * alive by the http.Agent and reused by later requests.
 * - The SSH connection is opened on the first request; requests made while it is being opened wait for it,
 *   so a burst of requests never becomes a burst of SSH connections.
 * - OpenSSH lets one connection carry MaxSessions channels (10 by default). A request that finds every
 *   channel in use waits for one to be free (a burst of short requests stays on one connection); only when
 *   none frees up within SLOT_WAIT_MS (the channels are held by long-lived streams: events, followed logs)
 *   is one more connection opened, one at a time.
 * - A connection that drops (or fails its keepalives) is forgotten; the next request opens a new one. A
 *   failed attempt is shared by the requests made within RETRY_GAP_MS, so a broken host costs one attempt
 *   per gap, not one per request; the Engine's status retries (with its back-off) bring it back.
 * - destroy() ends every SSH connection and refuses later requests: the engine was switched or Berth stops.
 */
import { Agent } from 'node:http';
import { Duplex, type Readable } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';

/** What runs on the engine's host for each HTTP connection: the docker CLI's own stdio bridge to dockerd. */
export const DIAL_STDIO = 'docker system dial-stdio';
/** OpenSSH's default MaxSessions: how many channels one connection may carry. */
export const CHANNELS_PER_CONNECTION = 10;
/** How long a failed connection attempt answers for every request, before the next request tries again. */
export const RETRY_GAP_MS = 200;
/** How long a request waits for a channel of an open connection to be free before another connection is opened. */
export const SLOT_WAIT_MS = 1000;
/** Idle kept-alive channels beyond this many are closed, leaving session slots free for streams. */
const MAX_IDLE_CHANNELS = 4;

/** An exec channel: a duplex stream with stderr, closed with close(). */
export interface SshChannel extends Duplex {
  stderr: Readable;
  close(): void;
}

/** One open SSH connection, as the agent uses it. */
export interface SshSession {
  exec(command: string): Promise<SshChannel>;
  /** Calls `listener` once when the connection ends, for whatever reason. */
  onEnd(listener: () => void): void;
  end(): void;
}

/** Opens one SSH connection (handshake, host-key check, login); rejects with the reason it failed. */
export type SshOpener = () => Promise<SshSession>;

/** The opener for a real host through ssh2; `config` carries the host-key verifier and the key. */
export function ssh2Opener(config: ConnectConfig): SshOpener {
  return () =>
    new Promise((resolve, reject) => {
      const client = new Client();
      let ready = false;
      const ended: Array<() => void> = [];
      const finish = () => {
        for (const listener of ended.splice(0)) listener();
      };
      client.once('ready', () => {
        ready = true;
        resolve({
          exec: (command) =>
            new Promise((ok, fail) => {
              client.exec(command, (error, channel) => (error ? fail(error) : ok(channel as unknown as SshChannel)));
            }),
          onEnd: (listener) => ended.push(listener),
          end: () => client.end(),
        });
      });
      client.on('error', (error) => {
        if (!ready) reject(error);
        else client.end();
      });
      client.once('close', () => {
        if (!ready) reject(new Error('The SSH connection closed before it was ready.'));
        finish();
      });
      client.connect(config);
    });
}

/**
 * An exec channel dressed as the socket node's http client and Agent expect (keep-alive, timeouts, ref):
 * destroying it closes the channel; the channel closing destroys it. Its stderr is kept, so a far side
 * that cannot run the bridge (no docker there) fails with what it said.
 */
export class ChannelSocket extends Duplex {
  timeout = 0;
  private timer: NodeJS.Timeout | undefined;
  private answered = false;
  private said = '';

  constructor(private readonly channel: SshChannel) {
    super({ allowHalfOpen: false });
    channel.on('data', (chunk: Buffer) => {
      this.answered = true;
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      this.said = `${this.said}${chunk.toString()}`.slice(-1000);
    });
    channel.on('end', () => {
      const failed = this.failure();
      if (failed) this.destroy(failed);
      else this.push(null);
    });
    channel.on('error', (error: Error) => this.destroy(error));
    channel.on('close', () => this.destroy(this.failure()));
  }

  /** The far side's complaint, when it closed without answering anything. */
  private failure(): Error | undefined {
    const said = this.said.trim();
    return !this.answered && said ? new Error(`${DIAL_STDIO} on the engine's host: ${said}`) : undefined;
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.channel.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.channel.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    this.channel.close();
    callback(error);
  }

  /** As net.Socket's: 'timeout' after `ms` without traffic; 0 switches it off. */
  setTimeout(ms: number, listener?: () => void): this {
    this.timeout = ms;
    if (listener) this.once('timeout', listener);
    this.touch();
    return this;
  }

  setKeepAlive(): this {
    return this; // the SSH connection keeps itself alive (ssh2 keepalives)
  }

  setNoDelay(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  private touch(): void {
    clearTimeout(this.timer);
    if (this.timeout > 0 && !this.destroyed) {
      this.timer = setTimeout(() => this.emit('timeout'), this.timeout);
      this.timer.unref();
    }
  }
}

interface Connection {
  session: Promise<SshSession>;
  /** channels open or being opened on it */
  channels: number;
}

/** The http.Agent of an ssh:// engine: every HTTP connection is a channel on a shared SSH connection. */
export class SshEngineAgent extends Agent {
  private connections: Connection[] = [];
  private closed = false;
  /** How many SSH connections this agent has opened (or tried to), for tests and benchmarks. */
  opened = 0;

  constructor(
    private readonly open: SshOpener,
    private readonly channelsPerConnection = CHANNELS_PER_CONNECTION,
    private readonly slotWaitMs = SLOT_WAIT_MS,
  ) {
    super({ keepAlive: true, maxFreeSockets: MAX_IDLE_CHANNELS });
    // An idle kept-alive channel holds a slot a waiting request needs: close it (after node's own 'free'
    // handler, which gives the socket to a request queued at the agent first, if there is one).
    this.on('free', (socket: Duplex) => {
      if (this.waiters.length > 0 && this.idle().includes(socket)) socket.destroy();
    });
  }

  /** The kept-alive channels no request is using. */
  private idle(): Duplex[] {
    const free = (this as unknown as { freeSockets: Record<string, Duplex[] | undefined> }).freeSockets;
    return Object.values(free).flatMap((list) => list ?? []);
  }

  /** http.Agent's hook: answers through `callback` with a channel running dial-stdio. */
  override createConnection(_options: unknown, callback?: (error: Error | null, socket: Duplex) => void): undefined {
    this.channel().then(
      (channel) => callback?.(null, new ChannelSocket(channel)),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }

  /** A new dial-stdio channel, on a connection with a free slot or on one opened for it. */
  async channel(): Promise<SshChannel> {
    if (this.closed) throw new Error('The connection to this engine was closed (the engine was switched).');
    // A slot is taken before any await, so requests made together share one connection attempt.
    let connection = this.reserve();
    if (!connection && this.connections.length > 0) connection = await this.waitForSlot();
    if (this.closed) {
      if (connection) this.release(connection);
      throw new Error('The connection to this engine was closed (the engine was switched).');
    }
    if (!connection) {
      connection = this.connect();
      connection.channels += 1;
      this.wake(); // the new connection has room for the others waiting too
      this.armStall();
    }
    const taken = connection;
    let channel: SshChannel;
    try {
      channel = await (await taken.session).exec(DIAL_STDIO);
    } catch (error) {
      this.release(taken);
      throw error;
    }
    channel.once('close', () => this.release(taken));
    if (this.closed) channel.close();
    return channel;
  }

  private readonly waiters: Array<(connection?: Connection) => void> = [];

  /** A connection with a free channel slot, the slot taken. */
  private reserve(): Connection | undefined {
    const connection = this.connections.find((c) => c.channels < this.channelsPerConnection);
    if (connection) connection.channels += 1;
    return connection;
  }

  private release(connection: Connection): void {
    connection.channels -= 1;
    this.wake();
    this.armStall(); // a channel was freed: the connections are moving, waiting longer is worth it
  }

  /** Hands free slots to the requests waiting, in order. */
  private wake(): void {
    while (this.waiters.length > 0) {
      const connection = this.reserve();
      if (!connection) return;
      this.waiters.shift()?.(connection);
    }
  }

  /**
   * A freed slot (taken), or undefined when no channel at all was freed for slotWaitMs (they are held by
   * streams): then the caller opens another connection, and the others waiting move onto it.
   */
  private waitForSlot(): Promise<Connection | undefined> {
    this.idle()[0]?.destroy(); // its slot is handed to this request when its channel has closed
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (this.waiters.length === 1) this.armStall();
    });
  }

  private stall: NodeJS.Timeout | undefined;

  /** (Re)starts the wait after which the first waiter gives up on the open connections. */
  private armStall(): void {
    clearTimeout(this.stall);
    if (this.waiters.length === 0) return;
    this.stall = setTimeout(() => this.waiters.shift()?.(undefined), this.slotWaitMs);
  }

  /** Ends every SSH connection (their channels with them) and refuses further requests. */
  override destroy(): void {
    this.closed = true;
    clearTimeout(this.stall);
    for (const give of this.waiters.splice(0)) give();
    super.destroy();
    for (const { session } of this.connections.splice(0)) {
      session.then(
        (s) => s.end(),
        () => undefined,
      );
    }
  }

  private connect(): Connection {
    this.opened += 1;
    // Opened one at a time: a new connection waits for the one being opened, never a burst at sshd.
    const previous = this.connections.at(-1)?.session.catch(() => undefined);
    const session = Promise.resolve(previous).then(() => this.open());
    const connection: Connection = { session, channels: 0 };
    this.connections.push(connection);
    const forget = () => {
      this.connections = this.connections.filter((c) => c !== connection);
    };
    session.then(
      (s) => {
        if (this.closed) s.end();
        s.onEnd(forget);
      },
      () => setTimeout(forget, RETRY_GAP_MS).unref(),
    );
    return connection;
  }
}
