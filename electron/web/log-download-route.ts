/**
 * GET /api/download/logs?ticket=T — a whole-range log export as a browser download. It sits behind the
 * request guard like every route (exact Host, Origin when sent, the session cookie); the ticket, minted
 * through `logs.downloadLink`, works once and names nothing. The export streams from the engine into the
 * response with backpressure, and a browser that cancels the download cancels the engine reads.
 */
import { type Request, type Response, Router as routes } from 'express';
import type { Links } from '../api/links';
import { BerthError, LOG_DOWNLOAD_PATH } from '../contract';
import { exportLogs } from '../core/logs';
import { logRequestFailure } from './call-route';
import { replyError } from './http-replies';
import { replyLinkRefused } from './link-refusal';
import { sessionOf } from './web-sessions';

export function logDownloadRoutes(links: Links) {
  const api = routes();
  api.get(LOG_DOWNLOAD_PATH, async (req: Request, res: Response) => {
    const redeemed = links.redeem('logs.export', req.query.ticket, sessionOf(res));
    if (redeemed.outcome !== 'accepted')
      return replyLinkRefused(res, redeemed.outcome, 'Start the export again from the Logs view.');
    const { engine, request, fileName } = redeemed.value;
    const stop = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) stop.abort();
    });
    res.status(200);
    res.setHeader(
      'Content-Type',
      request.format === 'jsonl' ? 'application/x-ndjson; charset=utf-8' : 'text/plain; charset=utf-8',
    );
    // The name is reduced to [A-Za-z0-9._-] (exportFileName), so it needs no quoting beyond the quotes.
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    try {
      const { selection, since, until, format } = request;
      const range = { ...(since !== undefined && { since }), ...(until !== undefined && { until }) };
      const result = await exportLogs(engine, { selection, tail: 'all', ...range }, format, res, {
        signal: stop.signal,
      });
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
