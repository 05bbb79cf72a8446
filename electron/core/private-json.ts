/**
 * Berth's own records (builds, pipelines) as private JSON files: folder 0700, file 0600, written atomically.
 */
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `<dir>/<name>` atomically: into a temp file that is flushed to disk (fsync), then renamed over the
 * final name, then the folder is flushed so the rename survives a crash. A reader never sees half a file; on
 * failure the temp file is removed and the error is thrown as it came.
 */
export async function writePrivateJson(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700); // a folder made by an older Berth (0755) becomes private too
    await rm(temp, { force: true }); // left by a crash: 'wx' below must create the file, with mode 0600
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(JSON.stringify(value, null, 1));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  const folder = await open(dir, 'r').catch(() => undefined);
  await folder
    ?.sync()
    .catch(() => undefined)
    .finally(() => folder.close());
  return path;
}
