/** Images the pipeline's engine tests run: the bundled notes service, and a small app that ignores $PORT. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuild } from '../../build';
import { copyNotesContext, expectedStates, NOTES_ROWS } from '../../build/test/notes-build';
import type { EngineHandle } from '../../engine/engine-handle';

/** Builds the notes service from a temp copy of its context as `tag`; returns the context folder (the caller removes it). */
export async function buildNotes(
  engine: EngineHandle,
  tag: string,
  nodeImage: string,
  recordsDir?: string,
): Promise<string> {
  const dir = copyNotesContext();
  const request = { contextDir: dir, buildArgs: { NODE_IMAGE: nodeImage }, tags: [tag] };
  const model = await startBuild(engine, request, recordsDir ? { recordsDir } : {}).done;
  if (model.state !== 'succeeded') throw new Error(`the notes service did not build: ${model.failure?.message}`);
  return dir;
}

/** The port the PORT-ignoring app listens on, whatever $PORT says. */
export const FIXED_PORT = 3917;

/** An HTTP app that listens on FIXED_PORT and never reads $PORT, as many first Dockerfiles do. */
export async function buildPortIgnoringApp(engine: EngineHandle, tag: string, nodeImage: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-fixed-port-'));
  try {
    writeFileSync(
      join(dir, 'server.js'),
      `require('node:http').createServer((q, s) => s.end('fixed')).listen(${FIXED_PORT}, '0.0.0.0');\n`,
    );
    writeFileSync(
      join(dir, 'Dockerfile'),
      'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\nCOPY server.js /srv/server.js\nCMD ["node", "/srv/server.js"]\n',
    );
    const model = await startBuild(engine, { contextDir: dir, buildArgs: { NODE_IMAGE: nodeImage }, tags: [tag] }).done;
    if (model.state !== 'succeeded') throw new Error(`the PORT-ignoring app did not build: ${model.failure?.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Edits the notes page heading in a copy of the context: a source change that the served page shows. */
export function editHeading(contextDir: string, heading: string): void {
  const file = join(contextDir, 'service/src/notes-page.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/<h1>[^<]*<\/h1>/, `<h1>${heading}</h1>`));
}

/** The instructions of the bundled Dockerfile that a source edit must rebuild (all others stay cached). */
export const SOURCE_EDIT_MISSES: string[] = NOTES_ROWS.filter((_, n) =>
  expectedStates('edit', 'buildkit')[n]?.endsWith(' done'),
).map((row) => row.split(' ').slice(2).join(' '));

/**
 * An image with no `cat` (FROM scratch, only a static busybox, no applet links) serving HTTP on FIXED_PORT:
 * its sockets cannot be read through exec, only from the host's /proc/<pid>/net.
 */
export async function buildCatlessApp(engine: EngineHandle, tag: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-catless-'));
  try {
    copyFileSync('/bin/busybox', join(dir, 'busybox'));
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM scratch\nCOPY busybox /busybox\nCMD ["/busybox", "httpd", "-f", "-p", "${FIXED_PORT}"]\n`,
    );
    const model = await startBuild(engine, { contextDir: dir, tags: [tag] }).done;
    if (model.state !== 'succeeded') throw new Error(`the cat-less app did not build: ${model.failure?.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
