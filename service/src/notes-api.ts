import { json, type RequestHandler, Router } from 'express';
import { HttpError } from './http-error.js';
import { NoteInput, NoteListQuery, NotePatch } from './note.js';
import type { NoteStore } from './note-store.js';
import { validate } from './validate.js';

export const BODY_LIMIT = '64kb';

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    next(new HttpError(415, 'unsupported_media_type', 'Send the note as JSON with Content-Type: application/json.'));
    return;
  }
  next();
};

/** The REST API under /api/notes. */
export function notesApi(store: NoteStore): Router {
  const router = Router();
  const body = [requireJson, json({ limit: BODY_LIMIT })];
  const notFound = (id: string) => new HttpError(404, 'not_found', `No note has id ${id}.`);

  router.get('/', (req, res) => {
    const query = validate(NoteListQuery, req.query);
    const page = store.list(query);
    res.json({ ...page, limit: query.limit, offset: query.offset });
  });

  router.get('/:id', (req, res) => {
    const note = store.get(req.params.id);
    if (!note) throw notFound(req.params.id);
    res.json(note);
  });

  router.post('/', ...body, async (req, res) => {
    const note = await store.create(validate(NoteInput, req.body));
    res.status(201).location(`/api/notes/${note.id}`).json(note);
  });

  const update: RequestHandler<{ id: string }> = async (req, res) => {
    const note = await store.update(req.params.id, validate(NotePatch, req.body));
    if (!note) throw notFound(req.params.id);
    res.json(note);
  };
  router.put('/:id', ...body, update);
  router.patch('/:id', ...body, update);

  router.delete('/:id', async (req, res) => {
    if (!(await store.remove(req.params.id))) throw notFound(req.params.id);
    res.status(204).end();
  });

  return router;
}
