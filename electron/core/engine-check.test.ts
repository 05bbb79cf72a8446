import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { SshEngineAgent } from './engine/ssh-agent';
import { engineAnswers } from './engine-check';

/** A stand-in engine on a unix socket that answers /_ping, and a dockerode-like modem pointing at it. */
describe('engineAnswers', () => {
  let dir: string;
  let server: Server;
  let socketPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-engine-check-'));
    socketPath = join(dir, 'engine.sock');
    server = createServer((req, res) => res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK'));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const withModem = (modem: object) => ({ modem }) as unknown as Dockerode;

  it('pings a socket path given as a string', async () => {
    expect(await engineAnswers(withModem({ socketPath }))).toBe(true);
  });

  it('resolves the default-socket finder docker-modem keeps when it was given no address', async () => {
    expect(await engineAnswers(withModem({ socketPath: async () => socketPath }))).toBe(true);
  });

  it('pings an ssh:// engine on a NEW dial-stdio channel of its shared SSH connection, which it keeps', async () => {
    let channels = 0;
    let ended = false;
    const agent = new SshEngineAgent(async () => ({
      exec: async () => {
        channels += 1;
        const socket = connect(socketPath);
        return Object.assign(socket, { stderr: new PassThrough(), close: () => socket.destroy() });
      },
      onEnd: () => undefined,
      end: () => {
        ended = true;
      },
    }));
    try {
      const docker = withModem({ protocol: 'http', host: '127.0.0.1', port: 22, agent });
      expect(await engineAnswers(docker)).toBe(true);
      expect(await engineAnswers(docker)).toBe(true);
      expect({ channels, opened: agent.opened, ended }).toEqual({ channels: 2, opened: 1, ended: false });
    } finally {
      agent.destroy();
    }
  });

  it('answers false, never rejects, when the finder fails or nothing listens', async () => {
    expect(await engineAnswers(withModem({ socketPath: async () => Promise.reject(new Error('none')) }))).toBe(false);
    expect(await engineAnswers(withModem({ socketPath: join(dir, 'missing.sock') }))).toBe(false);
  });
});
