import { Router, urlencoded } from 'express';
import { HttpError } from './http-error.js';
import { type Note, NoteInput } from './note.js';
import type { NoteStore } from './note-store.js';
import { BODY_LIMIT } from './notes-api.js';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function renderPage(notes: Note[], problem?: string): string {
  const items = notes
    .map((n) => `<li><strong>${escapeHtml(n.title)}</strong><p>${escapeHtml(n.body)}</p></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Notes</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}
label{display:block;margin-top:.5rem}input,textarea{width:100%;font:inherit}.problem{color:#c00}</style>
</head><body>
<h1>Notes</h1>
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/notes">
<label>Title <input name="title" required maxlength="200"></label>
<label>Text <textarea name="body" rows="3"></textarea></label>
<button type="submit">Add note</button>
</form>
${notes.length > 0 ? `<ul>\n${items}\n</ul>` : '<p>No notes yet: add the first one above.</p>'}
</body></html>`;
}

/** GET / lists the notes; POST /notes adds one from a plain HTML form, no JavaScript needed. */
export function notesPage(store: NoteStore): Router {
  const router = Router();
  const latest = () => store.list({ limit: 100, offset: 0 }).items;

  router.get('/', (_req, res) => {
    res.type('html').send(renderPage(latest()));
  });

  router.post('/notes', urlencoded({ extended: false, limit: BODY_LIMIT }), async (req, res) => {
    const parsed = NoteInput.safeParse({ title: req.body?.title ?? '', body: req.body?.body ?? '' });
    if (!parsed.success) {
      const problem = parsed.error.issues.map((i) => i.message).join('; ');
      res.status(400).type('html').send(renderPage(latest(), problem));
      return;
    }
    await store.create(parsed.data);
    res.redirect(303, '/');
  });

  router.all('/notes', () => {
    throw new HttpError(405, 'method_not_allowed', 'Use POST /notes from the form, or the JSON API at /api/notes.');
  });

  return router;
}
