/**
 * Files inside a container: browse a folder, download a file or folder, upload a file into a folder, and
 * (desktop app) copy a file or folder out to a host folder. Paths are absolute container paths, checked
 * and normalised here once; names of uploaded files are single path segments.
 * Pure: imported by the renderer too.
 */
import { z } from 'zod';
import { ContainerRef } from './ids';

/** Longest container path accepted (Linux PATH_MAX). */
export const CONTAINER_PATH_MAX = 4096;
/** Longest file name accepted, in UTF-8 bytes (Linux NAME_MAX). */
export const FILE_NAME_MAX_BYTES = 255;
/** Largest single upload: the body is streamed into the engine, never held in memory. */
export const UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;
/** Entries a folder listing shows; a larger folder is listed in part and says so. */
export const LISTING_MAX_ENTRIES = 2000;

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

/**
 * `/a/./b//c/../d` → `/a/b/d`, or null when the path is not absolute, holds NUL, or a `..` climbs above `/`.
 * Lexical only: the engine resolves symlinks inside the container's own root, so nothing here can leave it.
 */
export function normaliseContainerPath(path: string): string | null {
  if (!path.startsWith('/') || path.includes('\0')) return null;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export const ContainerFilePath = z
  .string()
  .min(1, 'give an absolute path such as /app')
  .max(CONTAINER_PATH_MAX, `at most ${CONTAINER_PATH_MAX} characters`)
  .refine((path) => normaliseContainerPath(path) !== null, 'an absolute path (starts with /), no NUL, no .. above /')
  .transform((path) => normaliseContainerPath(path) as string);

/** A name for a new file: one path segment, not `.` or `..`, no `/`, NUL or control characters. */
export const FileName = z
  .string()
  .min(1, 'give a file name')
  .refine((name) => utf8Bytes(name) <= FILE_NAME_MAX_BYTES, `at most ${FILE_NAME_MAX_BYTES} bytes`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  .refine((name) => !/[/\u0000-\u001f\u007f]/.test(name), 'no /, NUL or control characters')
  .refine((name) => name !== '.' && name !== '..', 'not . or ..');

export const FileKind = z.enum(['file', 'folder', 'symlink', 'other']);
export type FileKind = z.infer<typeof FileKind>;

export const FileEntry = z.object({
  name: z.string(),
  kind: FileKind,
  sizeBytes: z.number().min(0),
  /** Permission bits (0o755...), without the file type. */
  mode: z.number().int().min(0),
  modified: z.string(),
  linkTarget: z.string().optional(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const FolderListing = z.object({
  /** The normalised folder path. */
  path: z.string(),
  entries: z.array(FileEntry),
  /** True when the folder has more than LISTING_MAX_ENTRIES entries, or is too big to scan in full. */
  truncated: z.boolean(),
});
export type FolderListing = z.infer<typeof FolderListing>;

const PathInput = z.object({ id: ContainerRef, path: ContainerFilePath }).strict();

export const DownloadLink = z.object({
  /** A same-origin address that works once, within a minute; it carries no secret of the session. */
  url: z.string(),
  /** What the browser saves: the file's name, or `<folder>.tar`. */
  fileName: z.string(),
  kind: FileKind,
});

export const UploadRequest = z
  .object({
    id: ContainerRef,
    folder: ContainerFilePath,
    name: FileName,
    sizeBytes: z.number().int().min(0).max(UPLOAD_MAX_BYTES),
  })
  .strict();
export type UploadRequest = z.infer<typeof UploadRequest>;

export const CopyOutReport = z.object({
  /** The host folder chosen, or null when the user cancelled the dialog. */
  destination: z.string().nullable(),
  files: z.number().int().min(0),
  bytes: z.number().min(0),
  /** Entries left out (a link pointing outside the copy, a device file), with why. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
});
export type CopyOutReport = z.infer<typeof CopyOutReport>;

export const filesProcedures = {
  /** The entries of a container folder (the engine's archive of it, read for names only). */
  'files.list': { input: PathInput, output: FolderListing },
  /** A one-time same-origin link that downloads a file, or a folder as a tar (web mode). */
  'files.downloadLink': { input: PathInput, output: DownloadLink },
  /** A one-time same-origin link to PUT one file's bytes to (exactly `sizeBytes` of them) into a container folder. */
  'files.uploadLink': {
    input: UploadRequest,
    output: z.object({ url: z.string(), maxBytes: z.number() }),
  },
  /** Desktop app: copies a file or folder out to a host folder chosen in the native dialog. */
  'files.copyOut': { input: PathInput, output: CopyOutReport },
} as const;
