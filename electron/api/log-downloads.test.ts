import type Dockerode from 'dockerode';
import { exportFileName } from '../contract';
import { LogDownloads, TICKET_LIFETIME_MS, ticketRefusal } from './log-downloads';

/** Just enough of an engine for the selection check: one container, `web`. */
const engine = () => ({
  endpoint: 'unix:///test.sock',
  docker: {
    getContainer: (id: string) => ({
      inspect: async () => {
        if (id !== 'web') throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return { Id: 'a'.repeat(64), Name: '/web' };
      },
    }),
  } as unknown as Dockerode,
});

const request = { selection: { by: 'containers' as const, ids: ['web'] }, format: 'text' as const };

describe('LogDownloads: one-time tickets for web-mode exports', () => {
  it('mints a link that names nothing and works once, for the request it was minted for', async () => {
    const desk = new LogDownloads(engine);
    const ticket = await desk.issue(request);
    expect(ticket.href).toMatch(/^\/api\/download\/logs\?ticket=[A-Za-z0-9_-]{32}$/);
    expect(ticket.fileName).toMatch(/^web-\d{8}T\d{6}Z\.log$/);
    const value = new URL(ticket.href, 'http://x').searchParams.get('ticket');
    expect(desk.redeem(value)).toEqual({ outcome: 'accepted', request, fileName: ticket.fileName });
    expect(desk.redeem(value).outcome).toBe('used');
  });

  it('refuses a missing, foreign or expired ticket with a code and a fix', async () => {
    let now = 1_000;
    const desk = new LogDownloads(engine, { now: () => now });
    expect(desk.redeem(undefined).outcome).toBe('missing');
    expect(desk.redeem('').outcome).toBe('missing');
    expect(desk.redeem('A'.repeat(32)).outcome).toBe('unknown');
    const ticket = await desk.issue(request);
    now += TICKET_LIFETIME_MS;
    expect(desk.redeem(new URL(ticket.href, 'http://x').searchParams.get('ticket')).outcome).toBe('expired');
    for (const outcome of ['missing', 'used', 'expired', 'unknown'] as const) {
      expect(ticketRefusal(outcome).toShape()).toMatchObject({ message: expect.any(String), fix: expect.any(String) });
    }
  });

  it('answers NOT_FOUND for a container that does not exist, and mints nothing', async () => {
    const desk = new LogDownloads(engine);
    await expect(desk.issue({ ...request, selection: { by: 'containers', ids: ['gone'] } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('exportFileName', () => {
  it('keeps only safe characters, and names JSON lines .jsonl', () => {
    const at = Date.UTC(2026, 10, 30, 16, 5, 9, 123);
    expect(exportFileName('web', 'text', at)).toBe('web-20261130T160509Z.log');
    expect(exportFileName('../../etc/"passwd";\r\n', 'jsonl', at)).toBe('etc-passwd-20261130T160509Z.jsonl');
    expect(exportFileName('', 'text', at)).toBe('logs-20261130T160509Z.log');
  });
});
