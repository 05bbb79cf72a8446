/**
 * Web mode's one-time links, for every download and upload a browser makes with a plain GET or PUT (log
 * exports, container files). Such a request cannot carry the API's headers and its address stays in
 * history and logs, so the address carries only a link id that names nothing. One set of rules:
 * - the id is 32 random bytes (base64url, 43 characters), and anything else is refused before a lookup;
 * - it works once, within LINK_LIFETIME_MS, and only for the session that asked for it;
 * - a session has at most MAX_LINKS_PER_SESSION waiting; asking for more is refused, never silently dropped;
 * - a session's links die with it, and all of them when the server closes;
 * - a link that dies unused (expired, revoked, shown by another session) runs its `discard`, so what was
 *   staged for it (a file on disk, say) never outlives it.
 * Ids are kept by their SHA-256, so a lookup's timing says nothing about a guess.
 * The HTTP side (exact Host, Origin, session cookie, the routes) belongs to the web transport.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BerthError } from '../contract';

/** Long enough for the page to start the transfer, short for a replay. */
export const LINK_LIFETIME_MS = 60_000;
/** Links one session may have waiting at once. */
export const MAX_LINKS_PER_SESSION = 16;
/** Used or expired links remembered, so a replay is told "already used" rather than "unknown". */
const MAX_SPENT = 256;
/** The exact shape of a link id: what `randomBytes(32).toString('base64url')` gives. */
export const LINK_ID = /^[A-Za-z0-9_-]{43}$/;

export type LinkRefusal = 'malformed' | 'used' | 'expired' | 'unknown';
export type Redemption<T> = { outcome: 'accepted'; value: T } | { outcome: LinkRefusal };

export interface IssueOptions {
  /** Removes what was staged for the link; run once if the link ends without being used. */
  discard?: () => void | Promise<void>;
}

interface Live<K, T> {
  kind: K;
  session: string;
  value: T;
  expiresAt: number;
  timer: ReturnType<typeof setTimeout>;
  discard: IssueOptions['discard'];
}

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** `Kinds` maps each kind of link ('logs.export', 'files.download'...) to what its link carries. */
export class OneTimeLinks<Kinds extends Record<string, unknown>> {
  private readonly live = new Map<string, Live<keyof Kinds, Kinds[keyof Kinds]>>();
  private readonly spent = new Map<string, 'used' | 'expired'>();
  private readonly now: () => number;
  private readonly lifetimeMs: number;
  private readonly onDiscardError: (error: unknown) => void;

  constructor(options: { now?: () => number; lifetimeMs?: number; onDiscardError?: (error: unknown) => void } = {}) {
    this.now = options.now ?? Date.now;
    this.lifetimeMs = options.lifetimeMs ?? LINK_LIFETIME_MS;
    this.onDiscardError =
      options.onDiscardError ??
      ((error) => console.error(`[berth] a link's discard failed: ${String(error).slice(0, 200)}`));
  }

  /** A fresh link id for `session`; TOO_MANY (CONFLICT) when the session already has its fill waiting. */
  issue<K extends keyof Kinds & string>(
    session: string,
    kind: K,
    value: Kinds[K],
    options: IssueOptions = {},
  ): { id: string; expiresAt: number } {
    if (this.waiting(session) >= MAX_LINKS_PER_SESSION)
      throw new BerthError(
        'CONFLICT',
        `${MAX_LINKS_PER_SESSION} download or upload links are already waiting to be used.`,
        `Use them, or wait ${Math.round(this.lifetimeMs / 1000)} s for them to expire, then ask again.`,
      );
    const id = randomBytes(32).toString('base64url');
    const key = digest(id);
    const expiresAt = this.now() + this.lifetimeMs;
    const timer = setTimeout(() => this.end(key, 'expired'), this.lifetimeMs);
    timer.unref?.();
    this.live.set(key, { kind, session, value, expiresAt, timer, discard: options.discard });
    return { id, expiresAt };
  }

  /**
   * Spends the link if it is live, of this kind and this session's. A live link shown by another session
   * has leaked: it is refused as unknown (its existence is not confirmed) and dies.
   */
  redeem<K extends keyof Kinds & string>(
    kind: K,
    candidate: unknown,
    session: string | undefined,
  ): Redemption<Kinds[K]> {
    if (typeof candidate !== 'string' || !LINK_ID.test(candidate)) return { outcome: 'malformed' };
    const key = digest(candidate);
    const link = this.live.get(key);
    if (!link) return { outcome: this.spent.get(key) ?? 'unknown' };
    if (link.kind !== kind || link.session !== session) {
      this.end(key, 'used');
      return { outcome: 'unknown' };
    }
    if (this.now() >= link.expiresAt) {
      this.end(key, 'expired');
      return { outcome: 'expired' };
    }
    this.end(key, 'used', { keep: true });
    return { outcome: 'accepted', value: link.value as Kinds[K] };
  }

  /** How many links `session` has waiting. */
  waiting(session: string): number {
    let count = 0;
    for (const link of this.live.values()) if (link.session === session) count += 1;
    return count;
  }

  /** The session ended: its links die (told as expired), and what was staged for them goes. */
  revokeSession(session: string): void {
    for (const [key, link] of this.live) if (link.session === session) this.end(key, 'expired');
  }

  /** The server closes: every link dies. */
  close(): void {
    for (const key of [...this.live.keys()]) this.end(key, 'expired');
  }

  private end(key: string, as: 'used' | 'expired', { keep = false } = {}): void {
    const link = this.live.get(key);
    if (!link) return;
    this.live.delete(key);
    clearTimeout(link.timer);
    this.spent.set(key, as);
    while (this.spent.size > MAX_SPENT) this.spent.delete(this.spent.keys().next().value as string);
    // A used link's staging belongs to whoever redeemed it; an unused one's is removed here.
    if (!keep && link.discard) {
      const { discard } = link;
      Promise.resolve()
        .then(discard)
        .catch((error: unknown) => this.onDiscardError(error));
    }
  }
}
