/**
 * Web-mode log downloads. A browser download is a plain GET that cannot carry the API's headers, and its
 * address stays in history and in logs. So the address carries only a ticket, minted through the contract
 * (`logs.downloadLink`), that names nothing, works once, and dies after TICKET_LIFETIME_MS; the request
 * must still pass the web server's Host, Origin and session-cookie checks. The export itself is streamed
 * by the core straight into the response.
 */
import type { Writable } from 'node:stream';
import {
  BerthError,
  exportFileName,
  LOG_DOWNLOAD_PATH,
  type LogDownloadTicket,
  type LogExportRequest,
} from '../contract';
import type { EngineHandle } from '../core/engine';
import { type ExportResult, exportLogs, resolveSelection } from '../core/logs';
import { LaunchCodes } from '../web/launch-codes';

/** Long enough for the page to start the download, short for a replay. */
export const TICKET_LIFETIME_MS = 30_000;
/** Tickets not yet redeemed that are remembered; minting more drops the oldest. */
const MAX_PENDING = 16;

interface Pending {
  request: LogExportRequest;
  fileName: string;
}

export type TicketRedemption =
  | { outcome: 'accepted'; request: LogExportRequest; fileName: string }
  | { outcome: 'missing' | 'used' | 'expired' | 'unknown' };

export class LogDownloads {
  // The one-time codes of the sign-in links, reused: constant-time comparison, expiry, spent-code memory.
  private readonly tickets: LaunchCodes;
  private readonly pending = new Map<string, Pending>();
  private readonly now: () => number;

  constructor(
    private readonly engine: () => EngineHandle,
    options: { now?: () => number; lifetimeMs?: number } = {},
  ) {
    this.tickets = new LaunchCodes({
      lifetimeMs: options.lifetimeMs ?? TICKET_LIFETIME_MS,
      ...(options.now && { now: options.now }),
    });
    this.now = options.now ?? Date.now;
  }

  /** Checks the selection names containers that exist (NOT_FOUND otherwise), then mints a ticket for it. */
  async issue(request: LogExportRequest): Promise<LogDownloadTicket> {
    const sources = await resolveSelection(this.engine(), request.selection);
    const label = sources.length === 1 ? sources[0]!.name : 'merged';
    const at = this.now();
    const fileName = exportFileName(label, request.format, at);
    const ticket = this.tickets.issue();
    this.pending.set(ticket, { request, fileName });
    while (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    return {
      href: `${LOG_DOWNLOAD_PATH}?ticket=${encodeURIComponent(ticket)}`,
      fileName,
      expiresAt: at + TICKET_LIFETIME_MS,
    };
  }

  redeem(ticket: unknown): TicketRedemption {
    if (typeof ticket !== 'string' || ticket === '') return { outcome: 'missing' };
    const outcome = this.tickets.redeem(ticket);
    if (outcome !== 'accepted') return { outcome };
    const found = this.pending.get(ticket);
    this.pending.delete(ticket);
    return found ? { outcome, ...found } : { outcome: 'expired' };
  }

  /** Streams the whole range into `out` (not ended here); resolves 'cancelled' when `signal` aborts. */
  write(request: LogExportRequest, out: Writable, signal: AbortSignal): Promise<ExportResult> {
    const { selection, since, until, format } = request;
    return exportLogs(
      this.engine(),
      { selection, tail: 'all', ...(since !== undefined && { since }), ...(until !== undefined && { until }) },
      format,
      out,
      { signal },
    );
  }
}

/** Why a ticket was refused, in the user's words. */
export function ticketRefusal(outcome: Exclude<TicketRedemption['outcome'], 'accepted'>): BerthError {
  const fix = 'Start the export again from the Logs view; each download link works once, for a short time.';
  const message = {
    missing: 'This download address has no ticket.',
    used: 'This download link was already used.',
    expired: 'This download link has expired.',
    unknown: 'This download link was not issued by this Berth.',
  }[outcome];
  return new BerthError(outcome === 'missing' ? 'INVALID_INPUT' : 'NOT_FOUND', message, fix);
}
