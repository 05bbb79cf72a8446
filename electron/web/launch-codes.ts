/**
 * One-time sign-in codes: the only secret a web-mode URL ever carries. A URL handed to a browser is
 * public while the opener runs (`/proc/<pid>/cmdline` is readable by every user) and stays in the
 * browser's history, so the code it carries dies on first use or after CODE_LIFETIME_MS, whichever
 * comes first. Redeeming one sets the long-lived launch token as an HttpOnly cookie (request-guard.ts).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a printed or opened link stays valid: enough to open a browser, short for a replay. */
export const CODE_LIFETIME_MS = 60_000;
/** Codes not yet used and not yet expired; issuing one more drops the oldest. */
export const MAX_LIVE_CODES = 8;
/** Used or expired codes remembered, so a replay is told "already used" rather than "unknown". */
const MAX_SPENT_CODES = 64;

export type Redemption = 'accepted' | 'used' | 'expired' | 'unknown';

interface Code {
  value: Buffer;
  expiresAt: number;
  used: boolean;
}

export interface LaunchCodesOptions {
  /** Milliseconds, as Date.now(); tests inject their own clock. */
  now?: () => number;
  lifetimeMs?: number;
}

export class LaunchCodes {
  private readonly now: () => number;
  private readonly lifetimeMs: number;
  private codes: Code[] = [];

  constructor(options: LaunchCodesOptions = {}) {
    this.now = options.now ?? Date.now;
    this.lifetimeMs = options.lifetimeMs ?? CODE_LIFETIME_MS;
  }

  /** A fresh code, valid once within the lifetime. */
  issue(): string {
    const value = randomBytes(24);
    this.codes.push({ value, expiresAt: this.now() + this.lifetimeMs, used: false });
    this.trim();
    return value.toString('base64url');
  }

  /**
   * Spends the code if it is live. Every remembered code is compared in constant time (no early exit),
   * so the answer's timing does not tell how much of a guess was right.
   */
  redeem(candidate: unknown): Redemption {
    if (typeof candidate !== 'string') return 'unknown';
    const given = Buffer.from(candidate, 'base64url');
    let found: Code | undefined;
    for (const code of this.codes) {
      const same = code.value.length === given.length && timingSafeEqual(code.value, given);
      if (same) found = code;
    }
    // Base64url decoding skips stray characters: only the exact encoding of a code counts.
    if (!found || given.toString('base64url') !== candidate) return 'unknown';
    if (found.used) return 'used';
    if (this.now() >= found.expiresAt) return 'expired';
    found.used = true;
    return 'accepted';
  }

  private trim(): void {
    const now = this.now();
    const live = this.codes.filter((code) => !code.used && now < code.expiresAt);
    const spent = this.codes.filter((code) => code.used || now >= code.expiresAt);
    this.codes = [...spent.slice(-MAX_SPENT_CODES), ...live.slice(-MAX_LIVE_CODES)];
  }
}
