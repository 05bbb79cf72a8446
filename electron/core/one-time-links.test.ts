import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LINK_ID, LINK_LIFETIME_MS, MAX_LINKS_PER_SESSION, OneTimeLinks } from './one-time-links';

type Kinds = { download: string; upload: number };
const A = 'session-a';
const B = 'session-b';

describe('one-time links: the rules every download and upload link follows', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000 }));
  afterEach(() => vi.useRealTimers());

  it('mints unguessable ids of one fixed shape, each different', () => {
    const links = new OneTimeLinks<Kinds>();
    const ids = Array.from({ length: MAX_LINKS_PER_SESSION }, () => links.issue(A, 'download', 'x').id);
    for (const id of ids) expect(id).toMatch(LINK_ID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(links.issue(B, 'upload', 1).expiresAt).toBe(1_000 + LINK_LIFETIME_MS);
  });

  it('works once: a link used twice is refused as used, and names its value only the first time', () => {
    const links = new OneTimeLinks<Kinds>();
    const { id } = links.issue(A, 'download', '/srv/notes.txt');
    expect(links.redeem('download', id, A)).toEqual({ outcome: 'accepted', value: '/srv/notes.txt' });
    expect(links.redeem('download', id, A)).toEqual({ outcome: 'used' });
  });

  it('dies at its expiry, even if nobody asks again, and is then refused as expired', () => {
    const links = new OneTimeLinks<Kinds>();
    const { id } = links.issue(A, 'download', 'x');
    vi.advanceTimersByTime(LINK_LIFETIME_MS - 1);
    expect(links.waiting(A)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(links.waiting(A)).toBe(0);
    expect(links.redeem('download', id, A)).toEqual({ outcome: 'expired' });
  });

  it('is refused past its expiry even when the timer has not run yet (a stalled event loop)', () => {
    let now = 5_000;
    const links = new OneTimeLinks<Kinds>({ now: () => now });
    const { id } = links.issue(A, 'download', 'x');
    now += LINK_LIFETIME_MS;
    expect(links.redeem('download', id, A)).toEqual({ outcome: 'expired' });
  });

  it('belongs to the session that asked: another session is told unknown, and the leaked link dies', () => {
    const links = new OneTimeLinks<Kinds>();
    const { id } = links.issue(A, 'download', 'x');
    expect(links.redeem('download', id, B)).toEqual({ outcome: 'unknown' });
    expect(links.redeem('download', id, A)).toEqual({ outcome: 'used' });
    const other = links.issue(A, 'download', 'x').id;
    expect(links.redeem('download', other, undefined)).toEqual({ outcome: 'unknown' });
    expect(links.waiting(A)).toBe(0);
  });

  it('belongs to its kind: a download link does not open an upload', () => {
    const links = new OneTimeLinks<Kinds>();
    const { id } = links.issue(A, 'download', 'x');
    expect(links.redeem('upload', id, A)).toEqual({ outcome: 'unknown' });
  });

  it('refuses ids of the wrong shape before any lookup, and well-formed ids it never minted as unknown', () => {
    const links = new OneTimeLinks<Kinds>();
    const { id } = links.issue(A, 'download', 'x');
    for (const bad of [
      undefined,
      '',
      42,
      ['a'],
      '../../etc/passwd',
      `${id}=`,
      `${id}A`,
      id.slice(1),
      `${id.slice(1)}+`,
    ])
      expect(links.redeem('download', bad, A)).toEqual({ outcome: 'malformed' });
    expect(links.redeem('download', 'A'.repeat(43), A)).toEqual({ outcome: 'unknown' });
    expect(links.redeem('download', id, A).outcome).toBe('accepted');
  });

  it('bounds the links waiting per session: one more is refused with a code and a fix, other sessions go on', () => {
    const links = new OneTimeLinks<Kinds>();
    const first = Array.from({ length: MAX_LINKS_PER_SESSION }, () => links.issue(A, 'download', 'x').id);
    expect(() => links.issue(A, 'download', 'y')).toThrowError(expect.objectContaining({ code: 'CONFLICT' }));
    try {
      links.issue(A, 'download', 'y');
    } catch (error) {
      expect((error as { toShape(): object }).toShape()).toMatchObject({
        message: expect.any(String),
        fix: expect.any(String),
      });
    }
    expect(links.issue(B, 'download', 'z').id).toMatch(LINK_ID);
    // Nothing already handed out was dropped to make room; using one frees a place.
    for (const id of first.slice(1)) expect(links.redeem('download', id, A).outcome).toBe('accepted');
    expect(links.redeem('download', first[0], A).outcome).toBe('accepted');
    expect(links.issue(A, 'download', 'y').id).toMatch(LINK_ID);
  });

  it('revokes a session: its links die, other sessions keep theirs', () => {
    const links = new OneTimeLinks<Kinds>();
    const a = links.issue(A, 'download', 'x').id;
    const b = links.issue(B, 'download', 'x').id;
    links.revokeSession(A);
    expect(links.redeem('download', a, A).outcome).not.toBe('accepted');
    expect(links.redeem('download', b, B).outcome).toBe('accepted');
    const c = links.issue(B, 'upload', 3).id;
    links.close();
    expect(links.redeem('upload', c, B).outcome).not.toBe('accepted');
  });
});

describe('one-time links: what was staged for a link never outlives it', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-links-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  const staged = (name: string) => {
    const file = join(dir, name);
    writeFileSync(file, 'staged bytes');
    return { file, discard: () => rmSync(file, { force: true }) };
  };

  it('removes the staged file of a link that expires, is revoked, leaks or is closed unused; never of one used', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const links = new OneTimeLinks<Kinds>();
    const expiring = staged('expiring');
    const revoked = staged('revoked');
    const leaked = staged('leaked');
    const closed = staged('closed');
    const used = staged('used');
    links.issue(A, 'download', expiring.file, expiring);
    links.issue(B, 'download', revoked.file, revoked);
    const leakedId = links.issue(A, 'download', leaked.file, leaked).id;
    const usedId = links.issue(A, 'download', used.file, used).id;
    expect(links.redeem('download', usedId, A).outcome).toBe('accepted');
    links.redeem('download', leakedId, B);
    links.revokeSession(B);
    vi.advanceTimersByTime(LINK_LIFETIME_MS);
    links.issue(A, 'upload', 1, closed);
    links.close();
    vi.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    for (const gone of [expiring, revoked, leaked, closed]) expect(existsSync(gone.file)).toBe(false);
    expect(existsSync(used.file)).toBe(true);
  });

  it('reports a discard that fails, and goes on', async () => {
    const failures: unknown[] = [];
    const links = new OneTimeLinks<Kinds>({ onDiscardError: (error) => failures.push(error) });
    links.issue(A, 'download', 'x', {
      discard: () => {
        throw new Error('disk gone');
      },
    });
    links.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toHaveLength(1);
  });
});
