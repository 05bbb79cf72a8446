import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
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

  it('answers false, never rejects, when the finder fails or nothing listens', async () => {
    expect(await engineAnswers(withModem({ socketPath: async () => Promise.reject(new Error('none')) }))).toBe(false);
    expect(await engineAnswers(withModem({ socketPath: join(dir, 'missing.sock') }))).toBe(false);
  });
});
