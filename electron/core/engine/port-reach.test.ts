import { createServer, type Server } from 'node:net';
import { portReach, tcpAnswers } from './port-reach';

let server: Server;
let open: number;
/** A port that was just free: nothing listens there. */
let closed: number;

const listen = (s: Server) =>
  new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)));

beforeAll(async () => {
  server = createServer((socket) => socket.end());
  open = await listen(server);
  const spare = createServer();
  closed = await listen(spare);
  await new Promise((resolve) => spare.close(resolve));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("a remote engine's port, tried from here", () => {
  it('answers when something accepts the connection, and not when nothing listens', async () => {
    expect(await tcpAnswers('127.0.0.1', open)).toBe(true);
    expect(await tcpAnswers('127.0.0.1', closed)).toBe(false);
  });

  it('when it does not answer, says where it was tried and gives the ssh forward for an SSH engine', async () => {
    expect(await portReach('127.0.0.1', open, '-p 2222 me@box')).toEqual({
      host: '127.0.0.1',
      port: open,
      reachable: true,
    });
    const viaSsh = await portReach('127.0.0.1', closed, '-p 2222 me@box');
    expect(viaSsh).toMatchObject({ host: '127.0.0.1', port: closed, reachable: false });
    expect(viaSsh.reason).toContain(`Nothing answers at 127.0.0.1:${closed}`);
    expect(viaSsh.reason).toContain(`ssh -L ${closed}:127.0.0.1:${closed} -p 2222 me@box`);
    const overTls = await portReach('127.0.0.1', closed, undefined);
    expect(overTls.reason).toMatch(/same network as the engine/);
  });
});
