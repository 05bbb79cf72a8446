/**
 * Web mode's file transfers: GET a download and PUT an upload through a one-time link that the page asked
 * for with a contract call (files.downloadLink / files.uploadLink). These routes sit behind the same
 * guard as the API (launch token, exact Host, Origin), send no CORS headers, and stream both ways.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Request, type Response, Router as routes } from 'express';
import type { Links } from '../api/links';
import { BerthError, type CallReply, httpStatusFor } from '../contract';
import { DOWNLOAD_PATH, openDownload, UPLOAD_PATH, uploadFile } from '../core/files';
import { logRequestFailure } from './call-route';
import { replyError } from './http-replies';
import { replyLinkRefused } from './link-refusal';
import { sessionOf } from './web-sessions';

/**
 * A download whose reader stops taking bytes for this long is cut off: while it is open the engine holds
 * the container's lock (see container-transfers.ts).
 */
export const DOWNLOAD_IDLE_MS = 30_000;

const AGAIN = 'Start the download or upload again from the Files dialog.';

const asBerthError = (error: unknown): BerthError =>
  error instanceof BerthError ? error : new BerthError('INTERNAL', 'Something went wrong inside Berth.');

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987). */
export function attachment(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function fileRoutes(links: Links) {
  const api = routes();

  api.get(`${DOWNLOAD_PATH}:ticket`, async (req: Request, res: Response) => {
    // Express answers HEAD with the GET route: that would spend the link and read the archive for nothing.
    if (req.method === 'HEAD') return void res.status(405).setHeader('Allow', 'GET').end();
    const redeemed = links.redeem('files.download', req.params.ticket, sessionOf(res));
    if (redeemed.outcome !== 'accepted') return replyLinkRefused(res, redeemed.outcome, AGAIN);
    const link = redeemed.value;
    let download: Awaited<ReturnType<typeof openDownload>>;
    try {
      download = await openDownload(link.engine, link.id, link.path);
    } catch (error) {
      const berthError = asBerthError(error);
      return replyError(res, httpStatusFor(berthError.code), berthError);
    }
    res.setTimeout(DOWNLOAD_IDLE_MS, () => res.destroy());
    res.status(200);
    res.setHeader('Content-Type', download.contentType);
    res.setHeader('Content-Disposition', attachment(download.fileName));
    if (download.sizeBytes !== undefined) res.setHeader('Content-Length', String(download.sizeBytes));
    try {
      await pipeline(download.body, res);
    } catch (error) {
      // Mid-stream there is no way to answer with an error: the connection is cut, so the file is not complete.
      if (!res.destroyed) logRequestFailure(error);
      download.body.destroy();
      res.destroy();
    }
  });

  api.put(`${UPLOAD_PATH}:ticket`, async (req: Request, res: Response) => {
    res.setHeader('Connection', 'close');
    const redeemed = links.redeem('files.upload', req.params.ticket, sessionOf(res));
    if (redeemed.outcome !== 'accepted') {
      req.resume();
      return replyLinkRefused(res, redeemed.outcome, AGAIN);
    }
    const link = redeemed.value;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) !== link.request.sizeBytes) {
      req.resume();
      return replyError(
        res,
        400,
        new BerthError(
          'INVALID_INPUT',
          `The upload is ${declared} bytes, but ${link.request.sizeBytes} were announced.`,
          'Send exactly the announced size.',
        ),
      );
    }
    try {
      await uploadFile(link.engine, link.request, req as Readable);
      res.status(200).json({ ok: true, value: { bytes: link.request.sizeBytes } } satisfies CallReply);
    } catch (error) {
      req.resume();
      const berthError = asBerthError(error);
      replyError(res, httpStatusFor(berthError.code), berthError);
    }
  });

  return api;
}
