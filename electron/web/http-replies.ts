/**
 * Error replies for web mode: JSON `{ ok: false, error: ErrorShape }` for the API, a small HTML page
 * for the sign-in link (a person reads that one), and raw HTTP for sockets Express never sees
 * (refused upgrades, unparsable requests).
 */
import type { Duplex } from 'node:stream';
import type { Response } from 'express';
import { BerthError, type CallReply, type ErrorShape } from '../contract';
import { CODE_LIFETIME_MS } from './launch-codes';

export function replyError(res: Response, status: number, error: BerthError | ErrorShape): void {
  const shape = error instanceof BerthError ? error.toShape() : error;
  res.status(status).json({ ok: false, error: shape } satisfies CallReply);
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A refused sign-in link: the code, the message and the fix, readable without scripts or styles. */
export function replyErrorPage(res: Response, status: number, error: ErrorShape): void {
  const page = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Berth: link refused</title></head><body>',
    `<h1>${escapeHtml(error.message)}</h1>`,
    error.fix === undefined ? '' : `<p>${escapeHtml(error.fix)}</p>`,
    `<p>Error code: <code>${escapeHtml(error.code)}</code></p>`,
    '</body></html>',
  ].join('\n');
  res.status(status).type('html').send(page);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** Answers on a raw socket (no Express response exists) and closes it; never throws. */
export function replyOnSocket(socket: Duplex, status: number, error: ErrorShape): void {
  try {
    if (socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ ok: false, error } satisfies CallReply);
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
  } catch {
    socket.destroy();
  }
}

const NEW_LINK = 'press Enter in the terminal where Berth runs (or send it SIGUSR2) to print a new link';

export const missingToken = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'This request does not carry Berth’s launch token.',
  fix: `Open the link Berth printed when it started (it carries a one-time ?code=...); ${NEW_LINK}.`,
});

export const codeUsed = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'This sign-in link was already used: each link opens Berth once.',
  fix: `To open Berth again, ${NEW_LINK}. If you did not open this link yourself, restart Berth.`,
});

export const codeExpired = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: `This sign-in link has expired: links last ${CODE_LIFETIME_MS / 1000} seconds.`,
  fix: `To get a fresh one, ${NEW_LINK}.`,
});

export const codeUnknown = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'This sign-in link was not issued by the running Berth (it may have restarted since).',
  fix: `Open the newest link Berth printed, or ${NEW_LINK}.`,
});

export const tokenInUrl = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'Berth’s launch token is never accepted in an address: addresses end up in process lists and history.',
  fix: `Open a sign-in link with a one-time ?code=...; ${NEW_LINK}.`,
});

export const forbiddenHost = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'Berth only answers requests addressed to 127.0.0.1 or localhost on its own port.',
  fix: 'Open the address Berth printed when it started.',
});

export const forbiddenOrigin = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'Requests from other web pages are refused.',
  fix: 'Use Berth from its own page.',
});
