import express, { type RequestHandler } from 'express';
import { errorResponder, HttpError } from './http-error.js';
import type { NoteStore } from './note-store.js';
import { notesApi } from './notes-api.js';
import { notesPage } from './notes-page.js';

/** One line per request: method, path, status and milliseconds, so the dashboard has real logs to show. */
const requestLog: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  next();
};

export function createApp(store: NoteStore): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/api/notes', notesApi(store));
  app.use(notesPage(store));
  app.use(() => {
    throw new HttpError(404, 'not_found', 'No such page; the API lives under /api/notes.');
  });
  app.use(errorResponder);
  return app;
}
