/** POST /api/call/:procedure — one contract procedure per request, JSON in and JSON out. */
import express, { type NextFunction, type Request, type Response, Router as routes } from 'express';
import type { Router } from '../api/router';
import { BerthError, type CallReply, httpStatusFor } from '../contract';
import { replyError } from './http-replies';
import { sessionOf } from './web-sessions';

const BODY_LIMIT = '1mb';

function requireJson(req: Request, res: Response, next: NextFunction): void {
  if (req.is('application/json')) {
    next();
    return;
  }
  replyError(
    res,
    415,
    new BerthError('INVALID_INPUT', 'The request body must be JSON.', 'Send Content-Type: application/json.'),
  );
}

export function callRoutes(router: Router) {
  const api = routes();
  api.post(
    '/api/call/:procedure',
    requireJson,
    express.json({ limit: BODY_LIMIT, strict: true }),
    async (req: Request, res: Response) => {
      try {
        const session = sessionOf(res);
        const value = await router.call(req.params.procedure, req.body ?? {}, session === undefined ? {} : { session });
        res.status(200).json({ ok: true, value } satisfies CallReply);
      } catch (error) {
        const berthError =
          error instanceof BerthError ? error : new BerthError('INTERNAL', 'Something went wrong inside Berth.');
        replyError(res, httpStatusFor(berthError.code), berthError);
      }
    },
  );
  return api;
}

/**
 * One line per unexpected failure, never a stack trace: a request from anyone must not be able to
 * fill the log, and a trace says nothing the user can act on.
 */
export function logRequestFailure(error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[berth] web request failed: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
}

/** Last handler: malformed JSON, oversized bodies, bad paths and anything unexpected, without stack traces. */
export function errorReply(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const { type, status } = error as { type?: string; status?: unknown };
  res.setHeader('Connection', 'close');
  if (type === 'entity.too.large') {
    replyError(res, 413, new BerthError('INVALID_INPUT', 'The request body is larger than 1 MB.', 'Send less.'));
    return;
  }
  if (type === 'entity.parse.failed') {
    replyError(res, 400, new BerthError('INVALID_INPUT', 'The request body is not valid JSON.', 'Send JSON.'));
    return;
  }
  // Express's own 4xx (a path that does not decode, say) is the client's mistake, not Berth's.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    replyError(res, 400, new BerthError('INVALID_INPUT', 'The request is malformed.', 'Check the address and body.'));
    return;
  }
  logRequestFailure(error);
  replyError(res, 500, new BerthError('INTERNAL', 'Something went wrong inside Berth.'));
}
