import { createServer, get, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { DIAL_STDIO, type SshChannel, SshEngineAgent, type SshSession } from './ssh-agent';

/**
 * A fake SSH side: each "connection" is a session object, each exec'd channel a TCP connection to a local
 * HTTP server standing in for dockerd behind `docker system dial-stdio`. Counts what the agent opened.
 */
function fakeSsh(port: number, options: { fail?: Error } = {}) {
  const sessions: Array<{
    ended: boolean;
    end: () => void;
    drop: () => Promise<void>;
    /** channels exec'd on it in all, and the most open at once */
    channels: number;
    mostAtOnce: number;
  }> = [];
  const commands: string[] = [];
  const open = async (): Promise<SshSession> => {
    if (options.fail) throw options.fail;
    const listeners: Array<() => void> = [];
    const sockets: Socket[] = [];
    const record = {
      ended: false,
      channels: 0,
      mostAtOnce: 0,
      end: () => {
        if (record.ended) return;
        record.ended = true;
        for (const socket of sockets) socket.destroy();
        for (const l of listeners.splice(0)) l();
      },
      /** The connection drops: resolves once its channels have closed. */
      drop: async () => {
        const closed = sockets.map((s) => (s.closed ? undefined : new Promise((r) => s.once('close', r))));
        record.end();
        await Promise.all(closed);
      },
    };
    sessions.push(record);
    return {
      exec: async (command) => {
        if (record.ended) throw new Error('No response from server');
        commands.push(command);
        record.channels += 1;
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        const open = sockets.filter((s) => !s.closed).length;
        record.mostAtOnce = Math.max(record.mostAtOnce, open);
        return Object.assign(socket as Duplex, { stderr: new PassThrough(), close: () => socket.destroy() });
      },
      onEnd: (listener) => listeners.push(listener),
      end: record.end,
    };
  };
  return { open, sessions, commands };
}

/** Generous: no channel of the test is held this long, so waiting never opens another connection. */
const LONG_WAIT_MS = 60_000;
let server: Server;
let port: number;
/** Requests to /hang are answered only when released (a long-lived stream standing in for events). */
const hanging: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') {
      res.writeHead(200);
      res.write('open\n');
      hanging.push(() => res.end());
      return;
    }
    res.end(`pong ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  for (const release of hanging.splice(0)) release();
  server.closeAllConnections();
  server.close();
});

function fetchText(agent: SshEngineAgent, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: 'engine', path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Sends `count` requests at once through a new agent, checks each got its own answer, and says what was opened. */
async function burst(count: number, channelsPerConnection?: number) {
  const ssh = fakeSsh(port);
  const agent = new SshEngineAgent(ssh.open, channelsPerConnection, LONG_WAIT_MS);
  try {
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => fetchText(agent, `/b${i}`)));
    expect(answers).toEqual(Array.from({ length: count }, (_, i) => `pong /b${i}`));
    return { sessions: ssh.sessions, opened: agent.opened };
  } finally {
    agent.destroy();
  }
}

/** Resolves with the first chunk of a response that stays open. */
function openStream(agent: SshEngineAgent): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: 'engine', path: '/hang', agent }, (res) => res.once('data', (c) => resolve(String(c)))).on(
      'error',
      reject,
    );
  });
}

describe('the shared SSH transport of an ssh:// engine', () => {
  it('sends sequential requests over one SSH connection and one kept-alive dial-stdio channel', async () => {
    const ssh = fakeSsh(port);
    const agent = new SshEngineAgent(ssh.open);
    try {
      for (let i = 0; i < 5; i++) expect(await fetchText(agent, `/_ping?${i}`)).toBe(`pong /_ping?${i}`);
      expect(ssh.sessions).toHaveLength(1);
      expect(ssh.commands).toEqual([DIAL_STDIO]);
    } finally {
      agent.destroy();
    }
  });

  it('sends parallel requests over one SSH connection, a channel each, opened once for all of them', async () => {
    const { sessions, opened } = await burst(8);
    expect({ sessions: sessions.length, opened, channels: sessions[0]?.channels }).toEqual({
      sessions: 1,
      opened: 1,
      channels: 8,
    });
  });

  it('lets a burst beyond the channels of a connection wait for a free one, not open another', async () => {
    const { sessions } = await burst(7, 2);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.mostAtOnce).toBeLessThanOrEqual(2);
  });

  it('opens one more connection only when every channel of the open one stays held by a stream', async () => {
    const ssh = fakeSsh(port);
    const agent = new SshEngineAgent(ssh.open, 2, 0);
    try {
      expect(await Promise.all([openStream(agent), openStream(agent)])).toEqual(['open\n', 'open\n']);
      expect(ssh.sessions).toHaveLength(1);
      expect(await fetchText(agent, '/third')).toBe('pong /third');
      expect(ssh.sessions).toHaveLength(2);
    } finally {
      agent.destroy();
      for (const release of hanging.splice(0)) release();
    }
  });

  it('opens a new connection after the shared one dropped', async () => {
    const ssh = fakeSsh(port);
    const agent = new SshEngineAgent(ssh.open);
    try {
      expect(await fetchText(agent, '/before')).toBe('pong /before');
      await ssh.sessions[0]?.drop();
      expect(await fetchText(agent, '/after')).toBe('pong /after');
      expect(ssh.sessions).toHaveLength(2);
      expect(ssh.sessions[1]?.ended).toBe(false);
    } finally {
      agent.destroy();
    }
  });

  it('shares one failed attempt among the requests made together, with its reason', async () => {
    const refused = new Error('All configured authentication methods failed');
    const ssh = fakeSsh(port, { fail: refused });
    const agent = new SshEngineAgent(ssh.open);
    try {
      const results = await Promise.allSettled([
        fetchText(agent, '/a'),
        fetchText(agent, '/b'),
        fetchText(agent, '/c'),
      ]);
      expect(results.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(
        Array(3).fill(refused.message),
      );
      expect(agent.opened).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('ends its SSH connections when destroyed (engine switched, Berth stopping) and refuses later requests', async () => {
    const ssh = fakeSsh(port);
    const agent = new SshEngineAgent(ssh.open);
    expect(await fetchText(agent, '/x')).toBe('pong /x');
    agent.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ssh.sessions.map((s) => s.ended)).toEqual([true]);
    await expect(fetchText(agent, '/y')).rejects.toThrow(/closed/);
    expect(ssh.sessions).toHaveLength(1);
  });

  it("fails with what the far side said when dial-stdio cannot run there (no docker on the engine's host)", async () => {
    const channel = Object.assign(new Duplex({ read: () => undefined, write: (_c, _e, done) => done() }), {
      stderr: new PassThrough(),
      close: () => undefined,
    });
    const agent = new SshEngineAgent(async () => ({
      exec: async () => {
        setImmediate(() => {
          channel.stderr.write('sh: 1: docker: not found\n');
          channel.push(null);
        });
        return channel as unknown as SshChannel;
      },
      onEnd: () => undefined,
      end: () => undefined,
    }));
    try {
      await expect(fetchText(agent, '/_ping')).rejects.toThrow(
        "docker system dial-stdio on the engine's host: sh: 1: docker: not found",
      );
    } finally {
      agent.destroy();
    }
  });
});
