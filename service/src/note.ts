import { z } from 'zod';

const title = z.string().trim().min(1, 'title must not be empty').max(200, 'title must be at most 200 characters');
const body = z.string().max(20_000, 'body must be at most 20000 characters');

/** What a client may send to create a note. */
export const NoteInput = z.object({ title, body: body.default('') }).strict();

/**
 * What a client may send to change a note: any subset of the fields. Built from the bare fields,
 * not NoteInput.partial(): zod 4 keeps defaults inside partial(), so a patch without `body`
 * would reset the body to '' and an empty patch would pass.
 */
export const NotePatch = z
  .object({ title, body })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one of: title, body' });

export const NoteListQuery = z
  .object({
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type NoteInput = z.infer<typeof NoteInput>;
export type NotePatch = z.infer<typeof NotePatch>;

export interface Note {
  id: string;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}
