/**
 * GET /api/download/logs?ticket=T — a whole-range log export as a browser download. It sits behind the
 * request guard like every route (exact Host, Origin when sent, the session cookie); the ticket, minted
 * through `logs.downloadLink`, works once and names nothing. The export streams from the engine into the
 * response with backpressure, and a browser that cancels the download cancels the engine reads.
 */
import { type Request, type Response, Router as routes } from 'express';
import type { LogDownloads } from '../api/log-downloads';
import { ticketRefusal } from '../api/log-downloads';
import { BerthError, LOG_DOWNLOAD_PATH } from '../contract';
import { logRequestFailure } from './call-route';
import { replyError } from './http-replies';

const STATUS = { missing: 400, used: 410, expired: 410, unknown: 403 } as const;

export function logDownloadRoutes(downloads: LogDownloads) {
  const api = routes();
  api.get(LOG_DOWNLOAD_PATH, async (req: Request, res: Response) => {
    const ticket = req.query.ticket;
    const redeemed = downloads.redeem(Array.isArray(ticket) ? undefined : ticket);
    if (redeemed.outcome !== 'accepted') {
      res.setHeader('Connection', 'close');
      replyError(res, STATUS[redeemed.outcome], ticketRefusal(redeemed.outcome));
      return;
    }
    const stop = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) stop.abort();
    });
    res.status(200);
    res.setHeader(
      'Content-Type',
      redeemed.request.format === 'jsonl' ? 'application/x-ndjson; charset=utf-8' : 'text/plain; charset=utf-8',
    );
    // The name is reduced to [A-Za-z0-9._-] (exportFileName), so it needs no quoting beyond the quotes.
    res.setHeader('Content-Disposition', `attachment; filename="${redeemed.fileName}"`);
    try {
      const result = await downloads.write(redeemed.request, res, stop.signal);
      if (result.outcome === 'done') res.end();
    } catch (error) {
      if (!res.headersSent) {
        res.removeHeader('Content-Disposition');
        const shape =
          error instanceof BerthError ? error : new BerthError('INTERNAL', 'Something went wrong inside Berth.');
        replyError(res, shape.code === 'NOT_FOUND' ? 404 : 502, shape);
        return;
      }
      // Half a file must not look like a whole one: the download is broken off, and the browser says so.
      logRequestFailure(error);
      res.destroy();
    }
  });
  return api;
}
