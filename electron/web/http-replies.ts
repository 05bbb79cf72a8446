/** JSON error replies for web mode; the body is always `{ ok: false, error: ErrorShape }`. */
import type { Response } from 'express';
import type { CallReply } from '../api/wire';
import type { ErrorShape } from '../contract';
import { BerthError } from '../contract';

export function replyError(res: Response, status: number, error: BerthError | ErrorShape): void {
  const shape = error instanceof BerthError ? error.toShape() : error;
  res.status(status).json({ ok: false, error: shape } satisfies CallReply);
}

export const missingToken = (): ErrorShape => ({
  code: 'INVALID_INPUT',
  message: 'This request does not carry Berth’s launch token.',
  fix: 'Open the address Berth printed when it started (it includes ?token=...).',
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
