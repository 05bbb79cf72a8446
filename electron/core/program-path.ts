/** Finding a program Berth runs (a docker credential helper, the Azure CLI) on PATH without trusting the working folder. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * A program's absolute path, as spawn would find it on PATH but safely: the first executable file of that name in an absolute PATH entry. A
 * relative entry (".", an empty one, "bin") is skipped, as the docker CLI's Go runtime refuses it: it names
 * whatever folder Berth happens to run in, which may be anyone's (a shared temp folder, a cloned project).
 * On Windows the name is left to spawn (PATHEXT).
 */
export function findOnPath(program: string, path: string | undefined): string | undefined {
  if (process.platform === 'win32') return program;
  for (const dir of (path ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, program);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
