/**
 * What the web transport says when a one-time link (core/one-time-links.ts) is refused, the same for
 * every kind: a malformed id is the client's mistake (400), a used or expired one is gone (410), and one
 * this session never got, whoever minted it, is not found (404).
 */
import type { Response } from 'express';
import { BerthError } from '../contract';
import type { LinkRefusal } from '../core/one-time-links';
import { replyError } from './http-replies';

const STATUS: Record<LinkRefusal, number> = { malformed: 400, used: 410, expired: 410, unknown: 404 };

const MESSAGE: Record<LinkRefusal, string> = {
  malformed: 'This address does not carry a well-formed link id.',
  used: 'This link was already used.',
  expired: 'This link has expired.',
  unknown: 'This link was not issued to this browser session by this Berth.',
};

/** Answers the refusal (closing the connection) with a code, a message and `fix`, the way back. */
export function replyLinkRefused(res: Response, outcome: LinkRefusal, fix: string): void {
  res.setHeader('Connection', 'close');
  const code = outcome === 'malformed' ? 'INVALID_INPUT' : 'NOT_FOUND';
  replyError(
    res,
    STATUS[outcome],
    new BerthError(code, MESSAGE[outcome], `${fix} Each link works once, for a short time.`),
  );
}
