/**
 * Test support: a unix-socket proxy in front of the real engine socket, which a test can stop (cutting
 * every open connection, as an engine restart would) and start again, without touching the real dockerd.
 * It also records the request line of each HTTP request, to count GET /events streams.
 */
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

export class SocketProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** the request line of every HTTP request, e.g. "GET /events HTTP/1.1" */
  readonly requests: string[] = [];

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  get endpoint(): string {
    return `unix://${this.path}`;
  }

  async start(): Promise<void> {
    rmSync(this.path, { force: true });
    const server = createServer((client) => {
      const upstream = connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk: Buffer) => {
        const lines = chunk.toString('latin1').match(/^[A-Z]+ \S+ HTTP\/1\.[01]\r?$/gm) ?? [];
        this.requests.push(...lines.map((l) => l.trim()));
      });
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, resolve);
    });
    this.server = server;
  }

  /** Closes the socket and cuts every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  /** How many GET /events streams were asked for. */
  eventStreams(): number {
    return this.requests.filter((r) => /^GET \S*\/events/.test(r)).length;
  }
}
