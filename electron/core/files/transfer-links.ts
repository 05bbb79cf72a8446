/**
 * One-time links for file transfers: a link names a transfer the page asked for through the contract
 * (JSON, Origin-checked, token-checked), works once, and dies after LINK_LIFETIME_MS. It carries no secret
 * of the session and no container path, so the address a browser keeps in its history is worthless.
 */
import { randomBytes } from 'node:crypto';

export const LINK_LIFETIME_MS = 60_000;
/** Links not yet used; the oldest is dropped when more are asked for. */
export const MAX_OPEN_LINKS = 64;
const TICKET = /^[A-Za-z0-9_-]{43}$/;

export class TransferLinks<T> {
  private readonly open = new Map<string, { value: T; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(value: T): string {
    this.sweep();
    while (this.open.size >= MAX_OPEN_LINKS) this.open.delete(this.open.keys().next().value as string);
    const ticket = randomBytes(32).toString('base64url');
    this.open.set(ticket, { value, expires: this.now() + LINK_LIFETIME_MS });
    return ticket;
  }

  /** The transfer a ticket names, once; undefined when unknown, used or expired. */
  redeem(ticket: string): T | undefined {
    if (!TICKET.test(ticket)) return undefined;
    const entry = this.open.get(ticket);
    this.open.delete(ticket);
    return entry && entry.expires > this.now() ? entry.value : undefined;
  }

  private sweep(): void {
    const now = this.now();
    for (const [ticket, entry] of this.open) if (entry.expires <= now) this.open.delete(ticket);
  }
}
